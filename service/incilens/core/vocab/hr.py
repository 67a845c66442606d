"""Croatian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="hr",
    name="Croatian",
    headers=("sastojci", "sastav"),
    may_contain=("može sadržavati",),
    ends=("način uporabe", "upute za uporabu", "uporaba", "proizvođač", "proizvedeno", "čuvati"),
    warnings=("upozorenje", "upozorenja", "oprez"),
    contains=("sadrži",),
    free_before=("bez",),
    conjunctions=("i", "ili"),
    negations=("nije",),
    families={"fragrance_free": ("mirisa",)},
)
