"""Swedish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="sv",
    name="Swedish",
    headers=("ingredienser", "innehållsförteckning"),
    may_contain=("kan innehålla",),
    ends=("bruksanvisning", "användning", "tillverkare", "tillverkad i", "förvaras"),
    warnings=("varning", "varningar", "försiktighet"),
    contains=("innehåller",),
    free_before=("utan", "fri från"),
    free_after=("fri", "fritt", "fria"),
    conjunctions=("och", "eller"),
    negations=("inte", "ej"),
    families={"fragrance_free": ("parfym", "doft")},
)
