"""Hungarian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="hu",
    name="Hungarian",
    headers=("összetevők", "összetétel"),
    may_contain=("tartalmazhat",),
    ends=("használati utasítás", "használat", "gyártó", "gyártja", "készült", "tárolás", "tárolja"),
    warnings=("figyelmeztetés", "figyelem", "óvintézkedések"),
    contains=("tartalmaz",),
    free_suffix=("mentes",),
    conjunctions=("és", "vagy"),
    negations=("nem",),
    families={"fragrance_free": ("illatanyag", "illatszer"), "sulfate_free": ("szulfát",)},
)
