"""Spanish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="es",
    name="Spanish",
    headers=("ingredientes", "composición"),
    may_contain=("puede contener",),
    ends=(
        "modo de empleo",
        "modo de uso",
        "instrucciones",
        "fabricado",
        "hecho en",
        "conservar",
        "mantener fuera",
    ),
    warnings=("advertencia", "advertencias", "precauciones", "atención"),
    contains=("contiene",),
    free_before=("sin", "libre de", "exento de"),
    conjunctions=("y", "e", "o", "u"),
    negations=("no",),
    families={"fragrance_free": ("perfume", "fragancia"), "nut_free": ("frutos secos",)},
)
