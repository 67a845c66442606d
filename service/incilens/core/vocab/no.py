"""Norwegian (Bokmål) label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="no",
    name="Norwegian",
    headers=("ingredienser",),
    may_contain=("kan inneholde",),
    ends=("bruksanvisning", "bruk", "produsent", "produsert i", "laget i", "oppbevares"),
    warnings=("advarsel", "advarsler", "forsiktig"),
    contains=("inneholder",),
    free_before=("uten", "fri for"),
    free_after=("fri", "fritt", "frie"),
    conjunctions=("og", "eller"),
    negations=("ikke",),
    families={"fragrance_free": ("parfyme",)},
)
