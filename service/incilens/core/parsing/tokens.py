"""Tokens: one list item, its span as printed and its cleaned name with an offset map. Pure."""

from __future__ import annotations

import html
import re

from incilens.core.models import Token
from incilens.core.parsing.pieces import Piece

_LETTER = re.compile(r"[^\W\d_]")


_TRAILING_DOTS = re.compile(r"[\s.:]+$")


_LEADING_JUNK = re.compile(r"^(?:[\s\-–—•·●▪◦>*]+|\d{1,2}[.)][ \t]+|(?:and|&|et|und)[ \t]+)+")


_TRAILING_JUNK = re.compile(r"[\s.*†‡°¹²³⁴⁵⁶⁷⁸⁹⁰:]+$")


# A percentage, with an optional bound or tolerance: "5%", "(<1 %)", "max. 2%", "+/- 0.5%".
_PERCENT = re.compile(
    r"[(\[]?[ \t]*(?:<|≤|max\.?|\+[ \t]*/[ \t]*-|±)?[ \t]*"
    r"\d{1,3}(?:[.,]\d{1,3})?[ \t]*%[ \t]*[)\]]?"
)


# An HTML entity left in web text: "&amp;" is "&", "&#39;" is "'", "&nbsp;" a space.
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,5}|#[xX][0-9A-Fa-f]{1,4});")


_NANO = re.compile(r"[(\[][ \t]*nano[ \t]*[)\]]", re.IGNORECASE)


# Anything _clean() must deal with; tokens without any of it are used as printed.
_NEEDS_CLEANING = re.compile(
    r"[%*†‡°¹²³⁴⁵⁶⁷⁸⁹⁰\n\r\t•·●▪◦>]|  |nano|NANO|Nano|^[-–—&(\[]|^\d{1,2}[.)]|"
    r"^(?:and|et|und) |[)\]][ .:]*$|&#?\w+;",
)


# -- tokens ---------------------------------------------------------------------------------
def add_token(
    tokens: list[Token], text: str, group: list[Piece], list_index: int, notes: dict[str, str]
) -> None:
    """Append the token made of ``group`` unless it holds no letter (a stray "1." or "-")."""
    if group:
        token = _make_token(text, group, list_index, notes)
        if _LETTER.search(token.clean):
            tokens.append(token)


def _make_token(text: str, group: list[Piece], list_index: int, notes: dict[str, str]) -> Token:
    start, end = group[0].start, group[-1].end
    raw = text[start:end]
    # Trim surrounding whitespace so the token's span is exactly the item as printed.
    lead = len(raw) - len(raw.lstrip())
    start += lead
    end = start + len(raw.strip())
    if _NEEDS_CLEANING.search(text[start:end]):
        clean, offsets, percent, nano, marks = _clean(text, start, end)
        if offsets:  # the span is the name itself, without bullets, marks or percentages
            start, end = offsets[0], offsets[-1] + 1
    else:  # the common case: the name as printed, maybe with a trailing full stop
        clean = text[start:end]
        tail = _TRAILING_DOTS.search(clean)
        if tail:
            clean = clean[: tail.start()]
        end = start + len(clean)
        offsets, percent, nano, marks = None, None, False, ()
    footnote = next((notes[m] for m in marks if m in notes), None)
    return Token(
        text=text[start:end],
        start=start,
        end=end,
        clean=clean,
        offsets=offsets,
        list_index=list_index,
        percent=percent,
        nano=nano,
        footnote=footnote,
    )


def _clean(
    text: str, start: int, end: int
) -> tuple[str, tuple[int, ...], str | None, bool, tuple[str, ...]]:
    """Return the matchable name of ``text[start:end]`` and its offsets into ``text``."""
    keep = [True] * (end - start)
    raw = text[start:end]
    percent = None
    nano = False
    marks = tuple(ch for ch in raw if ch in "*†‡°¹²³⁴⁵⁶⁷⁸⁹")[:1]
    for m in _PERCENT.finditer(raw):
        percent = percent or m.group(0).strip(" ()[]\t")
        for k in range(m.start(), m.end()):
            keep[k] = False
    for m in _NANO.finditer(raw):
        nano = True
        for k in range(m.start(), m.end()):
            keep[k] = False
    lead = _LEADING_JUNK.match(raw)
    if lead:
        for k in range(lead.end()):
            keep[k] = False
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        entity = _ENTITY.match(raw, i) if ch == "&" and keep[i] else None
        if entity:  # one decoded character, mapped to the entity's "&"
            decoded = html.unescape(entity.group()).replace("\xa0", " ")
            chars.append(decoded if len(decoded) == 1 else ch)
            offsets.append(start + i)
            i = entity.end() if len(decoded) == 1 else i + 1
            continue
        if not keep[i] or ch in "*†‡¹²³⁴⁵⁶⁷⁸⁹":
            i += 1
            continue
        if ch == "-" and i + 1 < len(raw) and raw[i + 1] in "\n\r":
            j = i + 1
            while j < len(raw) and raw[j] in " \t\n\r":
                j += 1
            if j < len(raw) and raw[j].islower() and i > 0 and raw[i - 1].isalpha():
                i = j  # "Glyc-\nerin": hyphenation, drop hyphen and break
                continue
            chars.append("-")
            offsets.append(start + i)
            i = j
            continue
        if ch.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                offsets.append(start + i)
            i += 1
            continue
        chars.append(ch)
        offsets.append(start + i)
        i += 1
    name = "".join(chars)
    head = 0
    while True:
        trail = _TRAILING_JUNK.search(name, head)
        cut = trail.start() if trail else len(name)
        name = name[:cut].rstrip()
        if name.endswith((")", "]")) and _unbalanced_close(name):
            name = name[:-1]
            continue
        if name[head : head + 1] in ("(", "[") and _unbalanced_open(name[head:]):
            head += 1
            while name[head : head + 1] == " ":
                head += 1
            continue
        break
    return name[head:], tuple(offsets[head : len(name)]), percent, nano, marks


def _unbalanced_close(name: str) -> bool:
    return name.count("(") < name.count(")") or name.count("[") < name.count("]")


def _unbalanced_open(name: str) -> bool:
    return name.count("(") > name.count(")") or name.count("[") > name.count("]")
