"""The shape of one language's label vocabulary. Pure data: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    """The words of one language that the parser and the claim finder read on a label.

    Every word is written as printed (with its accents); the readers fold case and accents.
    ``ends`` and ``warnings`` are matched at the start of a piece of the list, followed by a
    word boundary; a word ending in ``-`` is a stem and needs no boundary ("fabriqu-").

    Attributes:
        code: ISO 639-1 code.
        name: The language's English name.
        headers: Words that introduce the ingredient list ("Ingredients", "Složení").
        may_contain: Words that open a colourant block ("may contain", "kan inneholde").
        ends: Words that start what follows a list: directions, storage, maker, origin.
        warnings: Words that open a warning panel ("Warning", "Advarsel", "Uyarı").
        contains: The verb of a declaration ("Contains sodium fluoride", "Inneholder").
        free_before: Words before a family that make a free-from claim ("sans", "bez").
        free_after: Words after a family, apart or hyphenated ("free", "frei", "fri").
        free_suffix: Endings glued to a family ("-ton" in Finnish, "-siz" in Turkish).
        conjunctions: "and" and "or", for coordinated claims ("paraben & sulfate free").
        negations: Words that negate a following vegan claim ("not", "nicht", "ikke").
        vegan: Forms of "vegan" not covered by the shared stem ``v[eé]g[aá]n``.
        families: Claim id -> words for the family in this language beyond the shared stems.
    """

    code: str
    name: str
    headers: tuple[str, ...]
    may_contain: tuple[str, ...]
    ends: tuple[str, ...]
    warnings: tuple[str, ...]
    contains: tuple[str, ...]
    free_before: tuple[str, ...] = ()
    free_after: tuple[str, ...] = ()
    free_suffix: tuple[str, ...] = ()
    conjunctions: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    vegan: tuple[str, ...] = ()
    families: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
