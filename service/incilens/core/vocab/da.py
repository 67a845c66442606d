"""Danish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="da",
    name="Danish",
    headers=("ingredienser",),
    may_contain=("kan indeholde",),
    ends=(
        "brugsanvisning",
        "anvendelse",
        "producent",
        "fremstillet i",
        "produceret i",
        "opbevares",
    ),
    warnings=("advarsel", "advarsler", "forsigtighed"),
    contains=("indeholder",),
    free_before=("uden", "fri for"),
    free_after=("fri", "frit", "frie"),
    conjunctions=("og", "eller"),
    negations=("ikke",),
    families={"fragrance_free": ("parfume",)},
)
