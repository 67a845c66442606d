"""Polish label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="pl",
    name="Polish",
    headers=("skład", "składniki"),
    may_contain=("może zawierać",),
    ends=(
        "sposób użycia",
        "stosowanie",
        "producent",
        "wyprodukowano",
        "przechowywać",
        "chronić przed",
    ),
    warnings=("ostrzeżenie", "ostrzeżenia", "uwaga", "środki ostrożności"),
    contains=("zawiera",),
    free_before=("bez",),
    conjunctions=("i", "oraz", "lub"),
    negations=("nie",),
    families={
        "fragrance_free": ("zapachu", "substancji zapachowych"),
        "sulfate_free": ("siarczanów",),
        "nut_free": ("orzechów",),
    },
)
