"""Find ingredient lists in free text and split them into items that keep their offsets.

The parser reads "prompt, then list": it looks for a header (``Ingredients:``, ``INCI:``,
``Zutaten:`` and their kin in seven languages, see :data:`HEADER_RE`), reads the list after it
and stops where the list stops (directions, warnings, "Made in", addresses, batch codes, prose, a
blank line). "May contain / [+/-]" colourant blocks become their own list, flagged
``may_contain``. A text with no header is searched for a bare list (a run of short items
separated by commas or line breaks); the result says which way each list was found.

Items are split on commas, semicolons, bullets and (when the list is written one item per line)
line breaks, never inside brackets, and never on the comma of a locant (``1,2-HEXANEDIOL``). Each
:class:`~incilens.core.models.Token` keeps ``start``/``end`` into the original text and a cleaned
name for matching (footnote marks, percentages and bullets dropped, line-break hyphenation
undone) with a map from every cleaned character back to the original.

Pure: no I/O, no Flask; every pattern is linear (no nested quantifiers), so hostile input cannot
make the regex engine backtrack for long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from incilens.core.claims import find_claims, may_hold_claims
from incilens.core.models import IngredientList, Token
from incilens.core.parsing.headers import HEADER_RE, HeaderMatch, find_headers
from incilens.core.parsing.pieces import (
    FOOTNOTE_START,
    INNER_LEGEND,
    LATIN,
    MAX_ITEM_CHARS,
    NUMBERING,
    Piece,
    fold,
    is_prose,
    is_terminator,
    split_pieces,
)
from incilens.core.parsing.tokens import add_token

__all__ = ["HEADER_RE", "MAX_ITEM_CHARS", "PARSER_VERSION", "ParsedText", "fold", "parse"]

PARSER_VERSION = "3"
#: How much of a legend that runs on into prose is kept ("Essential Oil Please be aware ...").
LEGEND_WORDS = 6
# After a bracketed "may contain" block closes, a comma or semicolon says the list goes on.
_CONTINUES = re.compile(r"[ \t]*[,;]")
_PROSE_STARTS = frozenset({"please", "note", "this", "these", "the", "may", "all", "see", "for"})


@dataclass(frozen=True)
class ParsedText:
    """The lists found in a text, in reading order, with their tokens."""

    text: str
    lists: tuple[IngredientList, ...]
    tokens: tuple[Token, ...]

    @property
    def list_found(self) -> bool:
        """Whether at least one list with items was found."""
        return bool(self.tokens)


def parse(text: str) -> ParsedText:
    """Find every ingredient list in ``text`` and split it into tokens.

    Examples:
        >>> parsed = parse("Ingredients: Aqua (Water), Glycerin, 1,2-Hexanediol. Made in France")
        >>> [t.text for t in parsed.tokens]
        ['Aqua (Water)', 'Glycerin', '1,2-Hexanediol']
        >>> parsed.lists[0].header
        'Ingredients:'
    """
    folded = fold(text)  # once: every piece's terminator test reads its slice
    headers = list(find_headers(text, folded))
    lists: list[IngredientList] = []
    tokens: list[Token] = []
    if headers:
        for run in _before_first_header(text, headers[0], folded):
            _read_list(text, None, run[-1].end, lists, tokens, body=run[0].start, run=run)
        for i, h in enumerate(headers):
            stop = headers[i + 1].label_start if i + 1 < len(headers) else len(text)
            if h.close is not None and h.close < stop:
                _read_list(text, h, h.close, lists, tokens, folded=folded)
                if _CONTINUES.match(text, h.close + 1):  # "[+/- CI 77491], Talc": list goes on
                    _read_list(text, None, stop, lists, tokens, body=h.close + 1, folded=folded)
                continue
            _read_list(text, h, stop, lists, tokens, folded=folded)
    else:
        for run in _bare_runs(text, folded):
            _read_list(text, None, run[-1].end, lists, tokens, body=run[0].start, run=run)
    return ParsedText(text, tuple(lists), tuple(tokens))


def _before_first_header(text: str, first: HeaderMatch, folded: str) -> Iterator[list[Piece]]:
    """Bare runs before a leading "may contain" block ("Mica, Talc [+/- CI 77891]")."""
    if first.may_contain:
        yield from _bare_runs(text[: first.start], folded[: first.start])


# -- lists ----------------------------------------------------------------------------------
def _read_list(
    text: str,
    header: HeaderMatch | None,
    stop: int,
    lists: list[IngredientList],
    tokens: list[Token],
    *,
    body: int = 0,
    run: list[Piece] | None = None,
    folded: str | None = None,
) -> None:
    """Read the list after ``header`` (or the bare ``run`` at ``body``) into ``lists``/``tokens``.

    A piece followed by a colon inside the list ("Lip gloss: ...", "Shade 02: ...") starts a
    sub-list carrying that label. A bare run's pieces were already checked by
    :func:`_bare_runs`, so only footnotes are taken out of them.
    """
    start = header.body if header else body
    claims = may_hold_claims(text[start:stop])  # once per list: most lists hold no claim
    pieces: list[Piece] = []
    footnotes: dict[str, str] = {}
    carry = ""
    every = run if run is not None else list(split_pieces(text, start, stop))
    for k, p in enumerate(every):
        raw = text[p.start : p.end].strip()
        if run is not None:
            if pieces and FOOTNOTE_START.match(raw):
                footnotes[raw[0]] = raw.lstrip("*†‡°¹²³⁴⁵⁶⁷⁸⁹()0123456789 \t").rstrip(". ")
            else:
                pieces.append(p)
            continue
        if NUMBERING.match(raw):
            carry = carry or p.sep  # "1." of a numbered list: drop it, keep its separator
            continue
        if carry:
            p.sep, carry = carry, ""
        if pieces and FOOTNOTE_START.match(raw):
            footnotes[raw[0]] = raw.lstrip("*†‡°¹²³⁴⁵⁶⁷⁸⁹()0123456789 \t").rstrip(". ")
            continue
        inner = INNER_LEGEND.match(text, p.start, p.end) if pieces else None
        if inner is not None:  # "Phenoxyethanol * Essential Oil ...": the last item, a legend
            words = text[inner.end() : p.end].split()[:LEGEND_WORDS]
            cut = next((i for i, w in enumerate(words) if i and w.lower() in _PROSE_STARTS), None)
            footnotes[inner["mark"][0]] = " ".join(words[:cut]).rstrip(". ")
            pieces.append(Piece(p.start, inner.end("mark"), p.sep, p.label))
            break
        if claims and pieces and _is_claim(raw):
            # "SANS PARABEN" printed inside the panel: not an item; the list goes on when the
            # next piece follows a comma and is no terminator, and ends here otherwise.
            nxt = every[k + 1] if k + 1 < len(every) else None
            if (
                nxt is not None
                and nxt.sep == "comma"
                and not is_terminator(text[nxt.start : nxt.end].strip())
            ):
                continue
            break
        piece_folded = folded[p.start : p.end].strip() if folded is not None else None
        if is_terminator(raw, piece_folded) and not (p.label and not pieces):
            break
        if is_prose(raw) or len(raw) > MAX_ITEM_CHARS * 4:
            if pieces and _between_items(text, p, every[k + 1] if k + 1 < len(every) else None):
                pieces.append(p)  # "Seed Oil and Tocopherol and ...": a blend, not prose
                continue
            if pieces:
                break
            continue  # prose before the first item (a "key ingredients" blurb): skip it
        if p.sep == "blank" and pieces and not _looks_listy(text, p.start, stop):
            break
        pieces.append(p)
    # Cut the pieces into sub-lists at labels, then each sub-list into tokens.
    segments: list[tuple[Piece | None, list[Piece]]] = [(None, [])]
    for p in pieces:
        if p.label:
            segments.append((p, []))
        else:
            segments[-1][1].append(p)
    if not segments[0][1] and len(segments) > 1:
        segments.pop(0)
    for label, group in segments:
        seg_start = label.end + 1 if label else start
        index = len(lists)
        first = len(tokens)
        line_mode = _line_mode(text, group)
        slash_mode = _spaced_mode(group, "slash")
        dash_mode = _spaced_mode(group, "dash")
        item: list[Piece] = []
        for p in group:
            if (
                item
                and p.sep == "newline"
                and (not line_mode or text[item[-1].start : item[-1].end].rstrip().endswith("-"))
            ):
                item.append(p)  # a wrapped name, or a hyphenated one: "Glyc-" + "erin"
                continue
            if item and (
                (p.sep == "slash" and not slash_mode) or (p.sep == "dash" and not dash_mode)
            ):
                item.append(p)  # "Aqua / Water": one item named twice; "PEG - 100 Stearate"
                continue
            add_token(tokens, text, item, index, footnotes)
            item = [p]
        add_token(tokens, text, item, index, footnotes)
        if len(tokens) == first and header is None:
            continue
        end = tokens[-1].end if len(tokens) > first else seg_start
        if len(tokens) > first:
            seg_start = tokens[first].start
        lists.append(_make_list(text, header, label, seg_start, end, index, footnotes))


def _between_items(text: str, piece: Piece, nxt: Piece | None) -> bool:
    """Whether a prose-like piece sits between commas inside a list that goes on.

    "Helianthus Annuus Seed Oil and Tocopherol and Rosmarinus Officinalis Leaf Extract" or "Oil
    of the Seeds of Rosa Canina" has the stop words of prose, but a comma before it and a
    comma and a name after it keep it an item; prose in a list ends with a full stop, or runs
    into directions or more prose.
    """
    if nxt is None or piece.sep != "comma" or nxt.sep != "comma":
        return False
    if len(text[piece.start : piece.end].strip()) > MAX_ITEM_CHARS:
        return False
    after = text[nxt.start : nxt.end].strip()
    return 0 < len(after) <= MAX_ITEM_CHARS and not is_prose(after) and not is_terminator(after)


def _is_claim(raw: str) -> bool:
    """Whether the piece is one claim and nothing else ("SANS PARABEN", "Paraben-free")."""
    body = raw.strip(" \t\n\r.!*")
    return any(c.start == 0 and c.end >= len(body) for c in find_claims(body)) if body else False


def _make_list(
    text: str,
    header: HeaderMatch | None,
    label: Piece | None,
    start: int,
    end: int,
    index: int,
    footnotes: dict[str, str],
) -> IngredientList:
    if label:
        label_text = text[label.start : label.end].strip(" \t\n\r-–—•*")
    elif header and header.label_start < header.start:
        label_text = text[header.label_start : header.start].strip(" \t\n\r-–—•*|/:")
    else:
        label_text = ""
    return IngredientList(
        index=index,
        start=start,
        end=max(start, end),
        found_by="header" if header else "bare",
        header=text[header.start : header.end].strip() if header else None,
        header_start=header.start if header else None,
        header_end=header.end if header else None,
        label=label_text or None,
        may_contain=bool(header and header.may_contain),
        footnotes=tuple(sorted(footnotes.items())),
    )


def _line_mode(text: str, pieces: list[Piece]) -> bool:
    """True when the list is written one item per line (line breaks separate items)."""
    commas = sum(p.sep in ("comma", "sentence") for p in pieces)
    lines = sum(p.sep in ("newline", "blank") for p in pieces)
    return lines > 0 and commas * 2 < lines


def _spaced_mode(pieces: list[Piece], kind: str) -> bool:
    """True when the list separates its items with spaced slashes or dashes (``kind``).

    Most lists use " / " between two names of one item ("Aqua / Water") and " - " only inside
    a name ("PEG - 100 Stearate"); a list with at least three of them and under a quarter as
    many commas ("water / glycerin / ...", "AQUA - GLYCERIN - ...") uses it as its separator.
    A multilingual list ("Aqua / Water / Eau, Glycerin / Glycérine, Parfum / Fragrance") has
    commas between its items, so its slashes stay inside them.
    """
    spaced = sum(p.sep == kind for p in pieces)
    commas = sum(p.sep in ("comma", "sentence") for p in pieces)
    return spaced >= 3 and commas * 4 < spaced


def _looks_listy(text: str, start: int, stop: int) -> bool:
    """Whether the paragraph starting at ``start`` reads like more list (has separators)."""
    para_end = text.find("\n\n", start, stop)
    para = text[start : para_end if para_end >= 0 else min(stop, start + 400)]
    return para.count(",") + para.count(";") >= 2 and not is_prose(para[:120])


def _bare_runs(text: str, folded: str | None = None) -> Iterator[list[Piece]]:
    """Yield the runs of list-like pieces in a text that has no header.

    Short labels ("Lip gloss:") stay inside a run, so a kit without headers still reads as
    sub-lists. A run needs three items, unless the whole text is one short run (a pasted name).
    """
    runs: list[list[Piece]] = []
    run: list[Piece] = []
    every = [
        p
        for p in split_pieces(text, 0, len(text))
        if not NUMBERING.match(text[p.start : p.end].strip())
    ]  # "2." in a numbered list neither adds to nor breaks a run
    for k, p in enumerate(every):
        raw = text[p.start : p.end].strip()
        listy = (
            len(raw) <= MAX_ITEM_CHARS
            and LATIN.search(raw) is not None  # INCI names are written in Latin letters
            and raw.count(" ") < (5 if p.label else 10)
            and (
                not is_prose(raw)
                or (
                    bool(run)
                    and _between_items(text, p, every[k + 1] if k + 1 < len(every) else None)
                )
            )
            and not is_terminator(raw, folded[p.start : p.end].strip() if folded else None)
        )
        if listy and (not run or p.sep != "blank"):
            run.append(p)
            continue
        if run:
            runs.append(run)
        run = [p] if listy else []
    if run:
        runs.append(run)
    for r in runs:
        while r and r[-1].label:
            r.pop()
        items = sum(not p.label for p in r)
        if items >= 3 or (items >= 1 and len(runs) == 1):
            yield r
