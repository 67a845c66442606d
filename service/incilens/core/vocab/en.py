"""English label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="en",
    name="English",
    headers=("ingredients", "ingredient list", "list of ingredients", "inci", "composition"),
    may_contain=("may contain",),
    ends=(
        "directions",
        "how to use",
        "storage",
        "store",
        "keep out of reach",
        "manufactured",
        "made in",
        "distributed by",
        "period after opening",
        "best before",
    ),
    warnings=("warning", "warnings", "caution", "precautions"),
    contains=("contains",),
    free_before=("free from", "free of", "no", "zero", "without", "no added"),
    free_after=("free",),
    conjunctions=("and", "or"),
    negations=("not", "non", "no"),
    families={"fragrance_free": ("scent", "unscented"), "nut_free": ("peanut", "tree nut")},
)
