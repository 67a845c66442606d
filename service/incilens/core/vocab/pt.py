"""Portuguese label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="pt",
    name="Portuguese",
    headers=("ingredientes", "composição"),
    may_contain=("pode conter",),
    ends=(
        "modo de usar",
        "modo de utilização",
        "instruções",
        "fabricado",
        "feito em",
        "conservar",
        "manter fora",
    ),
    warnings=("advertência", "advertências", "precauções", "atenção"),
    contains=("contém",),
    free_before=("sem", "livre de", "isento de"),
    conjunctions=("e", "ou"),
    negations=("não",),
    families={"fragrance_free": ("perfume", "fragrância")},
)
