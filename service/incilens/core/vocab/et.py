"""Estonian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="et",
    name="Estonian",
    headers=("koostis", "koostisosad"),
    may_contain=("võib sisaldada",),
    ends=("kasutamisjuhend", "kasutusjuhend", "kasutamine", "tootja", "valmistatud", "hoida"),
    warnings=("hoiatus", "hoiatused", "tähelepanu", "ettevaatust"),
    contains=("sisaldab",),
    free_before=("ilma",),
    free_suffix=("vaba",),
    conjunctions=("ja", "või"),
    negations=("ei", "mitte"),
    families={"fragrance_free": ("lõhnaaine", "lõhnaainete")},
)
