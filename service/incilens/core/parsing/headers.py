"""Ingredient-list headers: ``Ingredients:``, ``INCI:``, ``Zutaten:`` and their kin.

One pattern (:data:`HEADER_RE`) runs on a :func:`~incilens.core.parsing.pieces.fold`-ed copy of the
text, so accents, case and OCR look-alikes cost nothing and spans stay the original's. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from incilens.core.parsing.pieces import fold, is_prose, is_terminator, lower_words
from incilens.core.vocab import words

_HEADER_WORDS = (
    # English, French, German, Spanish, Italian, Portuguese, Dutch, as folded by fold().
    "ingredients list",
    "ingredient list",
    "list of ingredients",
    "ingredients",
    "liste des ingredients",
    "inci",
    "composition",
    "zutaten",
    "inhaltsstoffe",
    "bestandteile",
    "zusammensetzung",
    "ingredientes",
    "composicion",
    "ingredienti",
    "composizione",
    "composicao",
    "ingredienten",
    "samenstelling",
    *words("headers"),  # and their kin in the other languages of incilens.core.vocab
)


_MAY_CONTAIN_WORDS = (
    "may contain",
    "peut contenir",
    "kann enthalten",
    "puede contener",
    "puo contenere",
    "pode conter",
    "kan bevatten",
    *words("may_contain"),
)


def _alternation(words: tuple[str, ...]) -> str:
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in folded)


_WORD = _alternation(_HEADER_WORDS)


_MAY = _alternation(_MAY_CONTAIN_WORDS)


#: The one header pattern, matched against :func:`fold` of the text. A header is an optional
#: qualifier ("full", "active", "inactive", "other"), a header word, optionally more header
#: words joined by "/", "|" or "-" (bilingual packs: "Ingredients/Ingrédients"), an optional
#: short bracket ("(INCI)"), and then a colon, a dash or the end of the line. "May contain" and
#: "+/-" open a colourant block. The code checks that a header starts a line or follows
#: punctuation, and is not "key ingredients:" prose.
HEADER_RE = re.compile(
    rf"""
    (?P<header>
      (?<![a-z])  # a header word starts a word: the pattern fails fast inside words
      (?:(?:fuii|compiete|other|active|inactive)[ \t]+)?
      (?P<word>{_WORD})
      (?:[ \t]*[/i\-][ \t]*(?:{_WORD}))*
      (?:[ \t]*\([^()\n]{{1,20}}\))?
      [ \t]*(?P<end>:|-[ \t]|\n|\r|$)
    |
      (?P<may>
        [\[(][ \t]*(?:\+[ \t]*/?[ \t]*-|±)[ \t]*[\])]?[ \t]*(?:(?:{_MAY})[ \t]*:?)?
      | (?<![a-z])(?:{_MAY})[ \t]*
        (?:\([ \t]*\+[ \t]*/?[ \t]*-[ \t]*\)|\[[ \t]*\+[ \t]*/?[ \t]*-[ \t]*\])?
        [ \t]*:?
      | (?<![\w/])\+[ \t]*/[ \t]*-(?![\w/])[ \t]*:?
      )
    )
    """,
    re.VERBOSE,
)


_NOT_A_HEADER_BEFORE = re.compile(
    r"(?:key|hero|star|main|featured|natural|clean|our|the|active|these|other|of|with|"
    r"wichtigste|principaux|principales)[ \t]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HeaderMatch:
    """One list header found in a text: its span, where the list starts and its kind."""

    start: int
    end: int
    body: int
    may_contain: bool
    label_start: int  # where a short name before the header begins ("Toner - Ingredients:")
    close: int | None = None  # the bracket that closes a "[+/- ...]" block, when it has one


# "+/- 0.5%": a tolerance after a name, not a "may contain" marker.
_TOLERANCE_AFTER = re.compile(r"[ \t]*[<≤]?[ \t]*\d")
_CLOSER = {"[": "]", "(": ")"}


# -- headers --------------------------------------------------------------------------------
# Every header holds one of these (in folded form); most texts hold none, and a substring test
# is far cheaper than running the header pattern over the whole text.
_ANCHOR_WORDS = tuple(
    fold(anchor)
    for anchor in (
        "ngr", "inci", "compos", "zutat", "inhalts", "bestandt", "zusammen", "samenst",
        "contain", "contenir", "enthalten", "contener", "contenere", "conter", "bevatten", "+",
        "±", *(max(w.split(), key=len) for w in words("headers") + words("may_contain")),
    )
)  # fmt: skip
# An anchor that holds a shorter one adds nothing ("ingredienser" holds "ngr").
_HEADER_ANCHORS = tuple(
    sorted(
        {a for a in _ANCHOR_WORDS if not any(b != a and b in a for b in _ANCHOR_WORDS)},
        key=len,
    )
)


def find_headers(text: str, folded: str | None = None) -> Iterator[HeaderMatch]:
    """Every header ("Ingredients:", "INCI:", "May contain") in ``text``, in order.

    ``folded`` is :func:`fold` of ``text`` when the caller has it.
    """
    folded = fold(text) if folded is None else folded
    if not any(anchor in folded for anchor in _HEADER_ANCHORS):
        return
    for m in HEADER_RE.finditer(folded):
        start = m.start()
        before = text[max(0, start - 30) : start]
        if m.group("may") is None:
            if _NOT_A_HEADER_BEFORE.search(before):
                continue  # "key ingredients:", "the ingredients:" introduce prose
            colon = m.group("end") == ":"
            lead = before.rstrip()
            at_boundary = not lead or before[-1] in "\n\r" or lead[-1] in ".;:|•)]>*-–—\"'"
            if not (colon or at_boundary):
                continue
            word = text[m.start("word") : m.end("word")]
            if m.group("end") in ("\n", "\r", "") and not word.isupper():
                # Without a colon, a lower-case "ingredients" must stand alone on its line.
                line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
                if text[line_start:start].strip():
                    continue
        may = m.group("may") is not None
        if may and _TOLERANCE_AFTER.match(text, m.end()):
            continue
        close = _closing_bracket(text, m.start("may"), m.end()) if may else None
        label = start if may else _label_start(text, start)
        yield HeaderMatch(start, m.end(), m.end(), may, label, close)


def _closing_bracket(text: str, start: int, body: int) -> int | None:
    """Where the bracket opening a "[+/- CI 77491, CI 77492]" block closes, or None.

    Only when the marker opened a bracket it did not close itself ("[+/-]" and "(+/-)" close
    at once); the closer must come before another opener of its kind and within 400 characters.
    """
    opener = text[start]
    if opener not in _CLOSER or _CLOSER[opener] in text[start:body]:
        return None
    closer = _CLOSER[opener]
    depth = 0
    for i in range(body, min(len(text), body + 400)):
        ch = text[i]
        if ch == opener:
            depth += 1
        elif ch == closer:
            if depth == 0:
                return i
            depth -= 1
    return None


def _label_start(text: str, start: int) -> int:
    """Return where a short label in front of a header starts, or ``start`` when there is none.

    "Toner - Ingredients:" and "Shade 02 Ingredients:" name the list that follows; the label runs
    back to the previous line break or sentence end and holds at most five words.
    """
    floor = max(0, start - 60)
    cut = max(text.rfind(ch, floor, start) for ch in ".\n\r;,:|")
    begin = cut + 1 if cut >= 0 else floor
    if cut < 0 and floor > 0:
        return start
    label = text[begin:start].strip(" \t-–—|/")
    if not label or len(lower_words(label)) > 5 or is_prose(label) or is_terminator(label):
        return start
    return begin + (len(text[begin:start]) - len(text[begin:start].lstrip()))
