"""Czech label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="cs",
    name="Czech",
    headers=("složení",),
    may_contain=("může obsahovat",),
    ends=(
        "návod k použití",
        "způsob použití",
        "použití",
        "výrobce",
        "vyrobeno",
        "skladujte",
        "uchovávejte",
        "spotřebujte",
    ),
    warnings=("upozornění", "varování", "pozor"),
    contains=("obsahuje",),
    free_before=("bez",),
    conjunctions=("a", "i", "nebo"),
    negations=("ne", "není"),
    families={"fragrance_free": ("parfemace", "parfému"), "nut_free": ("ořechů",)},
)
