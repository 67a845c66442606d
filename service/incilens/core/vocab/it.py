"""Italian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="it",
    name="Italian",
    headers=("ingredienti", "composizione"),
    may_contain=("può contenere",),
    ends=(
        "modo d'uso",
        "modalità d'uso",
        "istruzioni",
        "prodotto in",
        "fabbricato",
        "conservare",
        "tenere lontano",
    ),
    warnings=("avvertenze", "avvertenza", "precauzioni", "attenzione"),
    contains=("contiene",),
    free_before=("senza", "privo di", "priva di", "senza aggiunta di"),
    conjunctions=("e", "o"),
    negations=("non",),
    families={"fragrance_free": ("profumo",), "nut_free": ("frutta a guscio",)},
)
