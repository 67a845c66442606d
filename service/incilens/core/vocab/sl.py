"""Slovenian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="sl",
    name="Slovenian",
    headers=("sestavine", "sestava"),
    may_contain=("lahko vsebuje",),
    ends=("navodila za uporabo", "uporaba", "proizvajalec", "izdelano", "shranjujte", "hranite"),
    warnings=("opozorilo", "opozorila", "pozor"),
    contains=("vsebuje",),
    free_before=("brez",),
    conjunctions=("in", "ali"),
    negations=("ni",),
    families={"fragrance_free": ("dišav", "dišave")},
)
