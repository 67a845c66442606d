"""Dutch label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="nl",
    name="Dutch",
    headers=("ingrediënten", "samenstelling"),
    may_contain=("kan bevatten",),
    ends=(
        "gebruik",
        "gebruiksaanwijzing",
        "gemaakt in",
        "geproduceerd",
        "bewaren",
        "buiten bereik",
    ),
    warnings=("waarschuwing", "waarschuwingen", "let op", "voorzorgsmaatregelen"),
    contains=("bevat",),
    free_before=("zonder", "vrij van"),
    free_after=("vrij",),
    conjunctions=("en", "of"),
    negations=("niet", "geen"),
    families={
        "fragrance_free": ("geur", "geurstof", "geurstoffen", "parfum"),
        "nut_free": ("noten",),
    },
)
