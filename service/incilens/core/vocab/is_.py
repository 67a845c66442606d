"""Icelandic label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="is",
    name="Icelandic",
    headers=("innihaldsefni",),
    may_contain=("getur innihaldið",),
    ends=(
        "notkunarleiðbeiningar",
        "leiðbeiningar",
        "notkun",
        "framleiðandi",
        "framleitt",
        "geymist",
    ),
    warnings=("varúð", "viðvörun", "aðvörun"),
    contains=("inniheldur",),
    free_before=("án",),
    free_suffix=("laust", "laus", "lausar"),
    conjunctions=("og", "eða"),
    negations=("ekki",),
    families={"fragrance_free": ("ilmefna", "ilmefni")},
)
