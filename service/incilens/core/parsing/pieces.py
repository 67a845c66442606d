"""Pieces: the text cut at separators outside brackets, and what each piece looks like.

A piece is the run of text between two separators (comma, semicolon, bullet, colon, line break,
sentence end) that lie outside brackets; :func:`split_pieces` also says which separator came before
each one. The predicates here tell prose and list terminators from ingredient names, and
:func:`fold` gives a lower-cased copy of a text of the same length for pattern matching. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from incilens.core.vocab import words

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
        **dict.fromkeys("çčćċ", "c"),
        **dict.fromkeys("úüùûůűūų", "u"),
        **dict.fromkeys("ñńňņ", "n"),
        **dict.fromkeys("šśşș", "s"),
        **dict.fromkeys("žźż", "z"),
        **dict.fromkeys("ěėęē", "e"),
        **dict.fromkeys("āąă", "a"),
        **dict.fromkeys("īįı", "i"),
        **dict.fromkeys("őõø", "o"),
        **dict.fromkeys("ľĺłļ", "i"),
        **dict.fromkeys("řŕ", "r"),
        **dict.fromkeys("ťţț", "t"),
        "ď": "d",
        "đ": "d",
        "ğ": "g",
        "ģ": "g",
        "ķ": "k",
        "ý": "y",
        "å": "a",
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
    lowered = text.replace("İ", "I").lower()  # Turkish dotted capital I: one letter, not two
    if len(lowered) != len(text):  # a few characters lower-case to two ("İ"): keep those
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return lowered.translate(_FOLD)


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


def _vocabulary_pattern(found: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for vocabulary words at the start of a folded piece, each a whole word.

    A word written with a trailing ``-`` is a stem ("fabriqu-") and needs no word end.
    """
    alternatives = sorted(
        {
            re.escape(fold(w.rstrip("-"))).replace(r"\ ", r"[ \t]+")
            + ("" if w.endswith("-") else r"(?![^\W_])")
            for w in found
        },
        key=len,
        reverse=True,
    )
    return re.compile("^(?:" + "|".join(alternatives) + ")")


#: What ends a list in the 25 languages of :mod:`incilens.core.vocab`: directions, storage,
#: maker, warning panels ("Advarsel:", "Uyarı:") and declarations ("Contains sodium fluoride
#: (1450 ppm F)", "Inneholder ..."), matched on the folded piece.
_VOCABULARY_ENDS = words("ends") + words("warnings") + words("contains")


# The first two letters of every terminator, for a quick rejection before the full pattern.
_TERMINATOR_STARTS = frozenset(
    """di ho to us ap wa ca pr fo ex ke av do st if ma mf im pa ww ht lo ba ex be pe ne co pl de
    cl cr su si fr al gl wi re mo ut at fa ap év ev te sa an ge ac ve he nu au mi ch in ad
    hu me ma sí si se is fe ga le vo bu ui zo aa oh""".split()
) | {"a ", "à "}


# One small pattern per first two folded letters: a piece is tried only against the words that
# start as it does.
_VOCABULARY_BY_START: dict[str, re.Pattern[str]] = {
    start: _vocabulary_pattern(tuple(w for w in _VOCABULARY_ENDS if fold(w)[:2] == start))
    for start in {fold(w)[:2] for w in _VOCABULARY_ENDS}
}


_STOPWORDS = frozenset(
    """a an and into more than while which who we up out over the for with your you to of is
    are this that it in on our from be may can will not as by
    all or its their helps help skin use le la les des du et pour avec votre vous est une un
    der die das und für mit ihre sie ist ein eine el los las para con su es una il gli per è
    os com sua um uma het een en voor met uw""".split()
)


_WORD_RE = re.compile(r"[^\W\d_]+")


LATIN = re.compile(r"[A-Za-z]")


_LOWER_WORD = re.compile(r"(?:^|\s)[^\W\d_A-Z]")


NUMBERING = re.compile(r"^\(?\d{1,3}[.)]$")


# The list's last name, then a free-standing footnote mark and its legend on the same line:
# "Phenoxyethanol * Essential Oil" (the comma before the legend lost).
INNER_LEGEND = re.compile(r"(?P<item>\s*[^\W\d_][^*†‡]{2,}?)\s+(?P<mark>\*+|†|‡)[ \t]*(?=[^\W\d_])")
FOOTNOTE_START = re.compile(r"^(?:\*+|†|‡|°|[¹²³⁴⁵⁶⁷⁸⁹]|\(\d\))[ \t]*[^\W\d_]")


_BULLETS = "•·●▪◦«»"  # « and » are how OCR often reads a bullet


@dataclass
class Piece:
    """A stretch of a list between two separators, and what separated it from the last."""

    start: int
    end: int
    # What ended the previous piece: start, comma, newline, blank, sentence, colon, slash, dash.
    sep: str
    label: bool = False  # followed by a colon: a sub-list label such as "Lip gloss:"


# -- pieces ---------------------------------------------------------------------------------
_BRACKET = re.compile(r"[()\[\]{}]")


# A pipe between spaces separates items ("Aqua | Glycerin"); a pipe inside a word is an OCR "l".
# A slash or dash between spaces is cut too, and the list decides whether it separated items.
# Guillemets are OCR's reading of bullets; free-standing asterisks and plus signs separate only
# when the list has several (_STAR_BULLETS).
_SEPARATOR = re.compile(
    r"[,;:：\n\r•·●▪◦«»]|\.(?=[ \t\n\r]|$)|%(?=[^\W\d_])|(?<=[ \t])[|/\-–—*+](?=[ \t])"
)
# The end of an HTML entity left in web text ("&amp;", "&#39;"): its semicolon separates nothing.
_ENTITY_BEFORE = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,5}|#[xX][0-9A-Fa-f]{1,4})$")
#: Free-standing asterisks and plus signs ("Aqua * Parfum * Limonene", OCR's reading of
#: bullets) separate items only when a list has at least this many; one alone is a footnote
#: mark before its legend.
_STAR_BULLETS = 2


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


def split_pieces(text: str, start: int, stop: int) -> Iterator[Piece]:
    """Split ``text[start:stop]`` at separators outside brackets; say what each one was.

    The separator recorded on a piece is the strongest one since the previous piece: a comma
    (or semicolon or bullet) beats a sentence end, which beats line breaks; two or more line
    breaks with nothing else between are a blank line.
    """
    partners = _bracket_partners(text, start, stop)
    inside = sorted(partners.items())
    free = re.findall(r"(?<=[ \t])[*+](?=[ \t])", text[start:stop])
    star_bullets = len(free) >= _STAR_BULLETS
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
        if ch == ";" and _ENTITY_BEFORE.search(text, max(start, i - 10), i):
            continue  # "&amp;": part of the name
        if ch == ":" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # a colour index's lake suffix: "CI 15850:1"
        if ch in "*+" and not star_bullets:
            continue  # a footnote mark, not a separator
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
        elif ch == "/":
            kind = "slash"  # " / ": two names of one item, or (in some lists) the separator
        elif ch in "-–—":
            kind = "dash"  # " - ": a spaced hyphen in a name, or (in some lists) the separator
        else:
            kind = "comma"  # semicolons and bullets
        end = i + 1 if kind in ("sentence", "glued") else i
        kind = "comma" if kind == "glued" else kind
        if text[piece_start:end].strip():
            sep = "blank" if pending != "comma" and breaks >= 2 else pending
            yield Piece(piece_start, end, sep, label=kind == "colon")
            pending, breaks = kind, int(kind == "newline")
        elif kind == "newline":
            breaks += 1 if pending != "start" else 0
        elif kind == "comma" or (kind == "sentence" and pending != "comma"):
            pending = kind
        piece_start = i + 1
    if text[piece_start:stop].strip():
        sep = "blank" if pending != "comma" and breaks >= 2 else pending
        yield Piece(piece_start, stop, sep)


def lower_words(text: str) -> list[str]:
    """The words of ``text``, lower-cased."""
    return _WORD_RE.findall(text.lower())


def is_prose(text: str) -> bool:
    """Whether ``text`` reads as a sentence of prose rather than an ingredient name."""
    if text.count(" ") < 2 or not _LOWER_WORD.search(text):
        return False  # prose has three words or more, and some start in lower case
    words = lower_words(text)
    hits = sum(w in _STOPWORDS for w in words)
    return hits >= 3 or (hits >= 2 and len(words) >= 5) or len(words) > 14


def is_terminator(text: str, folded: str | None = None) -> bool:
    """Whether ``text`` starts what ends a list (a warning, directions, a net weight).

    ``folded`` is :func:`fold` of ``text`` when the caller has it (the parser folds a text
    once), which saves folding every piece again.

    Examples:
        >>> is_terminator("Advarsel: Unngå kontakt med øynene"), is_terminator("Satureja Oil")
        (True, False)
    """
    strip = " \t\n\r-–—•*>"
    text = text.strip(strip)
    if (text[:2].lower() in _TERMINATOR_STARTS or text[:1].isdigit()) and _TERMINATOR_RE.match(
        text
    ):
        return True
    head = folded.strip(strip)[:60] if folded is not None else fold(text[:60])
    pattern = _VOCABULARY_BY_START.get(head[:2])
    return pattern is not None and bool(pattern.match(head))
