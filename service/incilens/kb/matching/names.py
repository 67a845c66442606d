"""Name-level helpers for matching: cached keys, word units, cuts and brackets. Pure."""

from __future__ import annotations

import re
from functools import lru_cache

from incilens.core.normalize import colour_index_key, name_key, ocr_fold

DIGITS = re.compile(r"\d+")


AND = re.compile(r"\s*\(and\)\s*|\s+(?:and|&|et|und|y|e)\s+", re.IGNORECASE)


_BRACKETED = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*")


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")


COMMA = re.compile(r"\s*,\s*")


COLOUR_INDEX = re.compile(r"^C\s*[.,]?\s*[IiLl1|]\s*[.,]?\s*\d{5}$")


# Words that continue a compound INCI name after a slash (ferments, polymers, extracts).
COMPOUND_WORDS = re.compile(
    r"\b(?:FERMENT|FILTRATE|LYSATE|COPOLYMER|CROSSPOLYMER|POLYMER|EXTRACT|OIL|ESTERS?|ETHER|"
    r"ACRYLATES?|ACRYLATE|GLYCERIDES?|HYDROLYSATE|CULTURE)\b"
)


# A colour index with its lake or salt suffix: "CI 15850:1" is a lake of CI 15850, and the
# knowledge base (like CosIng and Annex IV) has one entry for the colourant and its lakes.
_LAKE = re.compile(r"^(C\s*[.,]?\s*[IiLl1|]\s*[.,]?\s*\d{5})\s*:\s*\d{1,2}$")


@lru_cache(maxsize=1 << 16)
def name_keys(text: str) -> tuple[str, str, str]:
    """The name key (colour indexes read as ``CI nnnnn``), loose key and OCR fold of ``text``.

    Examples:
        >>> name_keys("CI 15850:1")[0], name_keys("C.I. 77891")[0]
        ('CI 15850', 'CI 77891')
    """
    lake = _LAKE.match(text.strip())
    key = colour_index_key(name_key(lake.group(1) if lake else text))
    loose = _NOT_ALNUM.sub("", key)
    return key, loose, ocr_fold(loose)


def word_units(text: str) -> list[tuple[int, int]]:
    """Word spans for splitting; a bracket stays with the word before it ("Aqua (Water)").

    Examples:
        >>> t = "Oryza Sativa (Rice) Bran Extract"
        >>> [t[i:j] for i, j in word_units(t)]
        ['Oryza', 'Sativa (Rice)', 'Bran', 'Extract']
    """
    units: list[tuple[int, int]] = []
    depth, start = 0, None
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == " " and depth == 0:
            following = text[i + 1 : i + 2]
            if start is not None and following not in ("(", "["):
                units.append((start, i))
                start = None
            continue
        if start is None:
            start = i
    if start is not None:
        units.append((start, len(text)))
    return units


def cut_outside_brackets(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Cut ``text`` at ``pattern`` outside brackets; return the non-empty parts' spans."""
    parts: list[tuple[int, int]] = []
    pos = 0
    for m in pattern.finditer(text):
        before = text[: m.start()]
        if before.count("(") != before.count(")") or before.count("[") != before.count("]"):
            continue
        if text[pos : m.start()].strip():
            parts.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        parts.append((pos, len(text)))
    return parts


def strip_brackets(text: str) -> str:
    """Remove bracketed parts, nested ones included.

    Examples:
        >>> strip_brackets("Butyrospermum Parkii Butter (Butyrospermum Parkii (Shea Butter))")
        'Butyrospermum Parkii Butter'
    """
    while True:
        stripped = _BRACKETED.sub(" ", text)
        if stripped == text:
            return " ".join(text.split())
        text = stripped


def first_bracket_span(text: str) -> tuple[int, int] | None:
    """Return the span of the content of the first bracket pair in ``text``."""
    m = re.search(r"[(\[]\s*([^()\[\]]+?)\s*[)\]]", text)
    return (m.start(1), m.end(1)) if m else None


def has_brackets(text: str) -> bool:
    """Whether ``text`` holds a round or square bracket."""
    return "(" in text or "[" in text
