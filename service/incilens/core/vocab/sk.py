"""Slovak label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="sk",
    name="Slovak",
    headers=("zloženie",),
    may_contain=("môže obsahovať",),
    ends=(
        "návod na použitie",
        "spôsob použitia",
        "použitie",
        "výrobca",
        "vyrobené",
        "skladujte",
        "uchovávajte",
    ),
    warnings=("upozornenie", "varovanie", "pozor"),
    contains=("obsahuje",),
    free_before=("bez",),
    conjunctions=("a", "alebo"),
    negations=("nie",),
    families={"fragrance_free": ("parfumácie", "parfumu")},
)
