"""Maltese label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="mt",
    name="Maltese",
    headers=("ingredjenti", "kompożizzjoni"),
    may_contain=("jista' jkun fih",),
    ends=("struzzjonijiet", "użu", "manifattur", "magħmul fi", "aħżen"),
    warnings=("twissija", "twissijiet", "attenzjoni"),
    contains=("fih",),
    free_before=("mingħajr", "ħieles minn"),
    conjunctions=("u", "jew"),
    negations=("mhux",),
    families={"fragrance_free": ("fwieħa",)},
)
