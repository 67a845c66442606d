"""Find ingredient lists in free text and split them into items that keep their offsets.

The parser reads "prompt, then list": it looks for a header (``Ingredients:``, ``INCI:``,
``Zutaten:`` and their kin in seven languages, see :data:`HEADER_RE`), reads the list after it
and stops where the list stops (directions, warnings, "Made in", addresses, batch codes, prose, a
blank line). "May contain / [+/-]" colourant blocks become their own list, flagged
``may_contain``. A text with no header is searched for a bare list (a run of short items
separated by commas or line breaks); the result says which way each list was found.

Items are split on commas, semicolons, bullets and (when the list is written one item per line)
line breaks, never inside brackets, and never on the comma of a locant (``1,2-HEXANEDIOL``). Each
:class:`~incilens.models.Token` keeps ``start``/``end`` into the original text and a cleaned
name for matching (footnote marks, percentages and bullets dropped, line-break hyphenation
undone) with a map from every cleaned character back to the original.

Pure: no I/O, no Flask; every pattern is linear (no nested quantifiers), so hostile input cannot
make the regex engine backtrack for long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from incilens.models import IngredientList, Token

__all__ = ["HEADER_RE", "PARSER_VERSION", "ParsedText", "fold", "parse"]

PARSER_VERSION = "1"

#: Longest item kept as a possible ingredient name; longer pieces are prose or junk.
MAX_ITEM_CHARS = 160
#: A bracket whose partner is further than this is treated as unbalanced (not grouping).
_MAX_BRACKET_SPAN = 160


# Header matching runs on a folded copy of the text of the same length: lower case, accents
# dropped and OCR look-alikes merged (l/1/|/í → i, 0/ó → o ...), so one plain pattern covers
# "Ingrédients", "lngredients" and "INGREDlENTS" and its spans are the original's spans.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("íìïîl1|!", "i"),
        **dict.fromkeys("éèëê", "e"),
        **dict.fromkeys("óòôö0", "o"),
        **dict.fromkeys("áàâãä", "a"),
        "ç": "c",
        "ú": "u",
        "ü": "u",
        "ñ": "n",
        "：": ":",
        "–": "-",
        "—": "-",
    }
)


def fold(text: str) -> str:
    """Lower-case ``text`` and merge accents and OCR look-alikes, keeping its length.

    Examples:
        >>> fold("lNGRÉDIENTS / Zutaten:")
        'ingredients / zutaten:'
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): keep those
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return lowered.translate(_FOLD)


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
)
_MAY_CONTAIN_WORDS = (
    "may contain",
    "peut contenir",
    "kann enthalten",
    "puede contener",
    "puo contenere",
    "pode conter",
    "kan bevatten",
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
      (?:(?:fuii|compiete|other|active|inactive)[ \t]+)?
      (?P<word>{_WORD})
      (?:[ \t]*[/i\-][ \t]*(?:{_WORD}))*
      (?:[ \t]*\([^()\n]{{1,20}}\))?
      [ \t]*(?P<end>:|-[ \t]|\n|\r|$)
    |
      (?P<may>
        [\[(][ \t]*(?:\+[ \t]*/?[ \t]*-|±)[ \t]*[\])]?[ \t]*(?:(?:{_MAY})[ \t]*:?)?
      | (?:{_MAY})[ \t]*(?:\([ \t]*\+[ \t]*/?[ \t]*-[ \t]*\)|\[[ \t]*\+[ \t]*/?[ \t]*-[ \t]*\])?
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

#: Words that end a list when a piece starts with them (directions, warnings, origin, codes,
#: claims), in the seven header languages.
_TERMINATOR_RE = re.compile(
    r"""^(?:
      directions|how[ ]to[ ]use|to[ ]use|usage|use[ ]|apply|warnings?|cautions?|precautions?|
      for[ ]external|external[ ]use|keep[ ]out|keep[ ]away|avoid|do[ ]not|don'?t|store|
      discontinue|if[ ]irritation|made[ ]in|manufactured|mfd|distributed|dist\.?[ ]by|
      imported|produced|packed|product[ ]of|www|https?:|lot\b|batch|exp\b|expiry|best[ ]before|
      period[ ]after|pao\b|net[ ]w|contents?\b|please|dermatolog|clinically|cruelty|
      (?:paraben|sulfate|sulphate|silicone|fragrance|alcohol|gluten)[ -]?free|free[ ](?:of|from)|
      formulated|made[ ]with|does[ ]not|contains[ ]no|without[ ]|for[ ]best|recycl|patent|
      mode[ ]d|utilisation|conseils|attention|avertissement|fabriqu|distribu|a[ ]utiliser|
      appliquer|eviter|tenir|conserver|usage[ ]externe|sans[ ]|
      anwendung|gebrauch|warnhinweis|achtung|vorsicht|hergestellt|vertrieb|nur[ ]zur|auftragen|
      vermeiden|au(?:ss|ß)er|mindestens|charge|ohne[ ]|
      modo[ ]de|instrucciones|advertencias?|precauciones|fabricado|hecho[ ]en|aplicar|evitar|
      mantener|uso[ ]externo|sin[ ]|
      modo[ ]d|modalit|istruzioni|avvertenz|precauzioni|prodotto[ ]in|fabbricato|applicare|
      tenere|senza[ ]|
      modo[ ]de|instru|advert|feito[ ]em|manter|sem[ ]|
      gebruik|waarschuwing|let[ ]op|voorzorg|gemaakt|geproduceerd|aanbrengen|vermijden|
      buiten|uitwendig|zonder[ ]|
      \d+(?:[.,]\d+)?[ ]?(?:ml|g|fl\.?[ ]?oz|oz|l)\b|
      \d{4,5}[ ]+[^\W\d_]  # a postcode: "20121 Milano", "75008 Paris"
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# The first two letters of every terminator, for a quick rejection before the full pattern.
_TERMINATOR_STARTS = frozenset(
    """di ho to us ap wa ca pr fo ex ke av do st if ma mf im pa ww ht lo ba ex be pe ne co pl de
    cl cr su si fr al gl wi re mo ut at fa ap év ev te sa an ge ac ve he nu au mi ch in ad
    hu me ma sí si se is fe ga le vo bu ui zo aa oh""".split()
) | {"a ", "à "}
_STOPWORDS = frozenset(
    """a an and into more than while which who we up out over the for with your you to of is
    are this that it in on our from be may can will not as by
    all or its their helps help skin use le la les des du et pour avec votre vous est une un
    der die das und für mit ihre sie ist ein eine el los las para con su es una il gli per è
    os com sua um uma het een en voor met uw""".split()
)
_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]")
_LOWER_WORD = re.compile(r"(?:^|\s)[^\W\d_A-Z]")
_TRAILING_DOTS = re.compile(r"[\s.:]+$")
_NUMBERING = re.compile(r"^\(?\d{1,3}[.)]$")

_FOOTNOTE_START = re.compile(r"^(?:\*+|†|‡|°|[¹²³⁴⁵⁶⁷⁸⁹]|\(\d\))[ \t]*[^\W\d_]")
_LEADING_JUNK = re.compile(r"^(?:[\s\-–—•·●▪◦>*]+|\d{1,2}[.)][ \t]+|(?:and|&|et|und)[ \t]+)+")
_TRAILING_JUNK = re.compile(r"[\s.*†‡°¹²³⁴⁵⁶⁷⁸⁹⁰:]+$")
_PERCENT = re.compile(
    r"[(\[]?[ \t]*(?:<|≤|max\.?)?[ \t]*\d{1,3}(?:[.,]\d{1,3})?[ \t]*%[ \t]*[)\]]?"
)
_NANO = re.compile(r"[(\[][ \t]*nano[ \t]*[)\]]", re.IGNORECASE)
_BULLETS = "•·●▪◦"
# Anything _clean() must deal with; tokens without any of it are used as printed.
_NEEDS_CLEANING = re.compile(
    r"[%*†‡°¹²³⁴⁵⁶⁷⁸⁹⁰\n\r\t•·●▪◦>]|  |nano|NANO|Nano|^[-–—&(\[]|^\d{1,2}[.)]|"
    r"^(?:and|et|und) |[)\]][ .:]*$",
)


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


@dataclass
class _Piece:
    start: int
    end: int
    sep: str  # what ended the previous piece: start, comma, newline, blank, sentence, colon
    label: bool = False  # followed by a colon: a sub-list label such as "Lip gloss:"


@dataclass(frozen=True)
class _Header:
    start: int
    end: int
    body: int
    may_contain: bool
    label_start: int  # where a short name before the header begins ("Toner - Ingredients:")


def parse(text: str) -> ParsedText:
    """Find every ingredient list in ``text`` and split it into tokens.

    Examples:
        >>> parsed = parse("Ingredients: Aqua (Water), Glycerin, 1,2-Hexanediol. Made in France")
        >>> [t.text for t in parsed.tokens]
        ['Aqua (Water)', 'Glycerin', '1,2-Hexanediol']
        >>> parsed.lists[0].header
        'Ingredients:'
    """
    headers = list(_headers(text))
    lists: list[IngredientList] = []
    tokens: list[Token] = []
    if headers:
        for run in _before_first_header(text, headers[0]):
            _read_list(text, None, run[-1].end, lists, tokens, body=run[0].start, run=run)
        for i, h in enumerate(headers):
            stop = headers[i + 1].label_start if i + 1 < len(headers) else len(text)
            _read_list(text, h, stop, lists, tokens)
    else:
        for run in _bare_runs(text):
            _read_list(text, None, run[-1].end, lists, tokens, body=run[0].start, run=run)
    return ParsedText(text, tuple(lists), tuple(tokens))


def _before_first_header(text: str, first: _Header) -> Iterator[list[_Piece]]:
    """Bare runs before a leading "may contain" block ("Mica, Talc [+/- CI 77891]")."""
    if first.may_contain:
        yield from _bare_runs(text[: first.start])


# -- headers --------------------------------------------------------------------------------
# Every header holds one of these (in folded form); most texts hold none, and a substring test
# is far cheaper than running the header pattern over the whole text.
_HEADER_ANCHORS = tuple(
    fold(anchor)
    for anchor in (
        "ngr", "inci", "compos", "zutat", "inhalts", "bestandt", "zusammen", "samenst",
        "contain", "contenir", "enthalten", "contener", "contenere", "conter", "bevatten", "+",
        "±",
    )
)  # fmt: skip


def _headers(text: str) -> Iterator[_Header]:
    folded = fold(text)
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
        yield _Header(start, m.end(), m.end(), may, start if may else _label_start(text, start))


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
    if not label or len(_words(label)) > 5 or _is_prose(label) or _is_terminator(label):
        return start
    return begin + (len(text[begin:start]) - len(text[begin:start].lstrip()))


# -- pieces ---------------------------------------------------------------------------------
_BRACKET = re.compile(r"[()\[\]{}]")
_SEPARATOR = re.compile(r"[,;:：\n\r•·●▪◦]|\.(?=[ \t\n\r]|$)|%(?=[^\W\d_])")
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _bracket_partners(text: str, start: int, stop: int) -> dict[int, int]:
    """Map each balanced opener in ``text[start:stop]`` to its closer (near ones only)."""
    pairs: dict[int, int] = {}
    stack: list[tuple[int, str]] = []
    for m in _BRACKET.finditer(text, start, stop):
        ch, i = m.group(), m.start()
        if ch in _OPENERS:
            stack.append((i, _OPENERS[ch]))
            if len(stack) > 64:  # absurd nesting: forget the oldest openers
                stack.pop(0)
            continue
        while stack and stack[-1][1] != ch:
            stack.pop()
        if stack:
            opener, _ = stack.pop()
            if i - opener <= _MAX_BRACKET_SPAN:
                pairs[opener] = i
    return pairs


def _pieces(text: str, start: int, stop: int) -> Iterator[_Piece]:
    """Split ``text[start:stop]`` at separators outside brackets; say what each one was.

    The separator recorded on a piece is the strongest one since the previous piece: a comma
    (or semicolon or bullet) beats a sentence end, which beats line breaks; two or more line
    breaks with nothing else between are a blank line.
    """
    partners = _bracket_partners(text, start, stop)
    inside = sorted(partners.items())
    piece_start = start
    pending, breaks = "start", 0
    k = 0
    for m in _SEPARATOR.finditer(text, start, stop):
        i = m.start()
        while k < len(inside) and inside[k][1] < i:
            k += 1
        if k < len(inside) and inside[k][0] < i < inside[k][1]:
            continue  # never split inside a bracket
        ch = m.group()
        if ch == ",":
            if 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
                continue  # the comma of a locant: 1,2-Hexanediol
            kind = "comma"
        elif ch in ":：":
            kind = "colon"
        elif ch == "\n" or (ch == "\r" and text[i + 1 : i + 2] != "\n"):
            kind = "newline"
        elif ch == "\r":
            continue
        elif ch == ".":
            kind = "sentence"
        elif ch == "%":
            kind = "glued"  # "Octisalate 5%Water": a percentage glued to the next name
        else:
            kind = "comma"  # semicolons and bullets
        end = i + 1 if kind in ("sentence", "glued") else i
        kind = "comma" if kind == "glued" else kind
        if text[piece_start:end].strip():
            sep = "blank" if pending != "comma" and breaks >= 2 else pending
            yield _Piece(piece_start, end, sep, label=kind == "colon")
            pending, breaks = kind, int(kind == "newline")
        elif kind == "newline":
            breaks += 1 if pending != "start" else 0
        elif kind == "comma" or (kind == "sentence" and pending != "comma"):
            pending = kind
        piece_start = i + 1
    if text[piece_start:stop].strip():
        sep = "blank" if pending != "comma" and breaks >= 2 else pending
        yield _Piece(piece_start, stop, sep)


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _is_prose(text: str) -> bool:
    if text.count(" ") < 2 or not _LOWER_WORD.search(text):
        return False  # prose has three words or more, and some start in lower case
    words = _words(text)
    hits = sum(w in _STOPWORDS for w in words)
    return hits >= 3 or (hits >= 2 and len(words) >= 5) or len(words) > 14


def _is_terminator(text: str) -> bool:
    text = text.strip(" \t\n\r-–—•*>")
    if text[:2].lower() not in _TERMINATOR_STARTS and not text[:1].isdigit():
        return False  # quick rejection: no terminator starts this way
    return bool(_TERMINATOR_RE.match(text))


# -- lists ----------------------------------------------------------------------------------
def _read_list(
    text: str,
    header: _Header | None,
    stop: int,
    lists: list[IngredientList],
    tokens: list[Token],
    *,
    body: int = 0,
    run: list[_Piece] | None = None,
) -> None:
    """Read the list after ``header`` (or the bare ``run`` at ``body``) into ``lists``/``tokens``.

    A piece followed by a colon inside the list ("Lip gloss: ...", "Shade 02: ...") starts a
    sub-list carrying that label. A bare run's pieces were already checked by
    :func:`_bare_runs`, so only footnotes are taken out of them.
    """
    start = header.body if header else body
    pieces: list[_Piece] = []
    footnotes: dict[str, str] = {}
    carry = ""
    for p in run if run is not None else _pieces(text, start, stop):
        raw = text[p.start : p.end].strip()
        if run is not None:
            if pieces and _FOOTNOTE_START.match(raw):
                footnotes[raw[0]] = raw.lstrip("*†‡°¹²³⁴⁵⁶⁷⁸⁹()0123456789 \t").rstrip(". ")
            else:
                pieces.append(p)
            continue
        if _NUMBERING.match(raw):
            carry = carry or p.sep  # "1." of a numbered list: drop it, keep its separator
            continue
        if carry:
            p.sep, carry = carry, ""
        if pieces and _FOOTNOTE_START.match(raw):
            footnotes[raw[0]] = raw.lstrip("*†‡°¹²³⁴⁵⁶⁷⁸⁹()0123456789 \t").rstrip(". ")
            continue
        if _is_terminator(raw) and not (p.label and not pieces):
            break
        if _is_prose(raw) or len(raw) > MAX_ITEM_CHARS * 4:
            if pieces:
                break
            continue  # prose before the first item (a "key ingredients" blurb): skip it
        if p.sep == "blank" and pieces and not _looks_listy(text, p.start, stop):
            break
        pieces.append(p)
    # Cut the pieces into sub-lists at labels, then each sub-list into tokens.
    segments: list[tuple[_Piece | None, list[_Piece]]] = [(None, [])]
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
        item: list[_Piece] = []
        for p in group:
            if (
                item
                and p.sep == "newline"
                and (not line_mode or text[item[-1].start : item[-1].end].rstrip().endswith("-"))
            ):
                item.append(p)  # a wrapped name, or a hyphenated one: "Glyc-" + "erin"
                continue
            _add_token(tokens, text, item, index, footnotes)
            item = [p]
        _add_token(tokens, text, item, index, footnotes)
        if len(tokens) == first and header is None:
            continue
        end = tokens[-1].end if len(tokens) > first else seg_start
        if len(tokens) > first:
            seg_start = tokens[first].start
        lists.append(_make_list(text, header, label, seg_start, end, index, footnotes))


def _make_list(
    text: str,
    header: _Header | None,
    label: _Piece | None,
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


def _line_mode(text: str, pieces: list[_Piece]) -> bool:
    """True when the list is written one item per line (line breaks separate items)."""
    commas = sum(p.sep in ("comma", "sentence") for p in pieces)
    lines = sum(p.sep in ("newline", "blank") for p in pieces)
    return lines > 0 and commas * 2 < lines


def _looks_listy(text: str, start: int, stop: int) -> bool:
    """Whether the paragraph starting at ``start`` reads like more list (has separators)."""
    para_end = text.find("\n\n", start, stop)
    para = text[start : para_end if para_end >= 0 else min(stop, start + 400)]
    return para.count(",") + para.count(";") >= 2 and not _is_prose(para[:120])


def _bare_runs(text: str) -> Iterator[list[_Piece]]:
    """Yield the runs of list-like pieces in a text that has no header.

    Short labels ("Lip gloss:") stay inside a run, so a kit without headers still reads as
    sub-lists. A run needs three items, unless the whole text is one short run (a pasted name).
    """
    runs: list[list[_Piece]] = []
    run: list[_Piece] = []
    for p in _pieces(text, 0, len(text)):
        raw = text[p.start : p.end].strip()
        if _NUMBERING.match(raw):
            continue  # "2." in a numbered list neither adds to nor breaks a run
        listy = (
            len(raw) <= MAX_ITEM_CHARS
            and _LATIN.search(raw) is not None  # INCI names are written in Latin letters
            and raw.count(" ") < (5 if p.label else 10)
            and not _is_prose(raw)
            and not _is_terminator(raw)
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


# -- tokens ---------------------------------------------------------------------------------
def _add_token(
    tokens: list[Token], text: str, group: list[_Piece], list_index: int, notes: dict[str, str]
) -> None:
    """Append the token made of ``group`` unless it holds no letter (a stray "1." or "-")."""
    if group:
        token = _make_token(text, group, list_index, notes)
        if _LETTER.search(token.clean):
            tokens.append(token)


def _make_token(text: str, group: list[_Piece], list_index: int, notes: dict[str, str]) -> Token:
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
