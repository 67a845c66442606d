"""Romanian label vocabulary."""

from __future__ import annotations

from incilens.core.vocab.model import Vocabulary

VOCAB = Vocabulary(
    code="ro",
    name="Romanian",
    headers=("ingrediente", "compoziție", "compoziţie"),
    may_contain=("poate conține", "poate conţine"),
    ends=(
        "mod de utilizare",
        "mod de folosire",
        "utilizare",
        "producător",
        "fabricat",
        "a se păstra",
        "a se feri",
    ),
    warnings=("avertisment", "avertismente", "atenție", "atenţie", "precauții"),
    contains=("conține", "conţine"),
    free_before=("fără", "fara"),
    conjunctions=("și", "şi", "sau"),
    negations=("nu",),
    families={},
)
