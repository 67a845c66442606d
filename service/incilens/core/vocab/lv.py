"""Latvian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="lv",
    name="Latvian",
    headers=("sastāvs", "sastāvdaļas"),
    may_contain=("var saturēt",),
    ends=("lietošanas instrukcija", "lietošana", "ražotājs", "ražots", "uzglabāt"),
    warnings=("brīdinājums", "brīdinājumi", "uzmanību"),
    contains=("satur",),
    free_before=("bez",),
    conjunctions=("un", "vai"),
    negations=("ne",),
    families={"fragrance_free": ("smaržvielām", "smaržvielu")},
)
