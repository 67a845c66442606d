"""Find "free from" and vegan claims printed anywhere in a text.

A claim is a family word with a "free" form ("paraben-free", "sans parfum", "ohne Silikone",
"free from parabens, sulfates and silicones", "0% alcohol") or the word vegan. Each claim keeps
its span so a client can point at it, and :func:`check_claims` checks each claim against the
recognised items. Pure: no I/O; the patterns are linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from incilens.core.vocab import family_words, words

__all__ = ["CLAIM_FLAGS", "ClaimMention", "find_claims", "may_hold_claims"]

#: Claim id → the flag whose presence in the list contradicts it. "vegan" is checked against each
#: item's vegan status instead (an animal-derived flag alone would miss "depends" items); the
#: soy, nut, talc and gluten families have no flag and are checked by name (report/claims).
CLAIM_FLAGS: dict[str, str] = {
    "paraben_free": "paraben",
    "fragrance_free": "fragrance",
    "silicone_free": "silicone",
    "sulfate_free": "sulfate_surfactant",
    "alcohol_free": "drying_alcohol",
    "mineral_oil_free": "mineral_oil",
    "peg_free": "peg",
    "essential_oil_free": "essential_oil",
    "formaldehyde_free": "formaldehyde_releaser",
}

# Family stems shared by the languages (inflections ride on \w*: "parabenów", "parabeeni",
# "Parabene"), then each language's own words from incilens.core.vocab.
_STEMS: tuple[tuple[str, str], ...] = (
    ("paraben_free", r"p(?:h)?ar[aá]i?b[eèéēė]+i?n\w*"),  # "pharaibéin": Irish lenition
    (
        "fragrance_free",
        r"fragranc\w*|parf[uüyeé]m\w*|perfum\w*|profum\w*|fragan\w*|fragrâ\w*",
    ),
    ("silicone_free", r"silicon\w*|silikon\w*|szilikon\w*|silikoon\w*"),
    ("sulfate_free", r"sul(?:f|ph)at\w*|sulfaat\w*|SLS|SLES"),
    ("alcohol_free", r"alcohol|alcool|alkohol\w*|álcool|alcol|alkoholi\w*"),
    (
        "mineral_oil_free",
        r"mineral[ \t-]oils?|huiles?[ \t]min[ée]rales?|mineral[öo]le?|petrolatum",
    ),
    ("peg_free", r"PEGs?"),
    (
        "essential_oil_free",
        r"essential[ \t-]oils?|huiles?[ \t]essentielles?|[äa]therische[ \t][öo]le",
    ),
    ("formaldehyde_free", r"formald[eé]hyd\w*|formaldeid\w*|formaldehid\w*"),
    ("soy_free", r"soy|soya|soja|soia|sója"),
    ("nut_free", r"(?:pea)?nuts?|tree[ \t-]nuts?"),
    ("talc_free", r"talc|talco|talk|talkum"),
    ("gluten_free", r"gluten|glutine|glúten|glutén"),
)


def _word_pattern(words: tuple[str, ...]) -> str:
    escaped = sorted({re.escape(w).replace(r"\ ", r"[ \t]+") for w in words}, key=len, reverse=True)
    return "|".join(escaped)


def _family(claim: str, stem: str) -> str:
    extra = family_words(claim)  # with a short inflection: "hajuste" + "e" + "ton"
    return stem + ("|(?:" + _word_pattern(extra) + r")\w{0,3}?" if extra else "")


_FAMILIES = tuple((claim, _family(claim, stem)) for claim, stem in _STEMS)
_FAMILY_ANY = "|".join(f"(?:{p})" for _, p in _FAMILIES)
_FAMILY_RES = tuple((claim, re.compile(rf"^(?:{p})$", re.IGNORECASE)) for claim, p in _FAMILIES)
_CONJ = _word_pattern(words("conjunctions"))
# Between two families of one claim: a comma (only after a "free from" word), "&", "/", "+" or
# an "and"/"or" of any language.
_SEP_LIST = rf"[ \t]*(?:,|&|/|\+|(?<![\w])(?:{_CONJ})(?![\w]))[ \t]*"
_SEP_COORD = rf"[ \t]*(?:&|/|\+|(?<![\w])(?:{_CONJ})(?![\w]))[ \t]*"
_AFTER = _word_pattern((*words("free_after"), "free"))
_SUFFIX_GLUED = _word_pattern((*words("free_suffix"), "vrij", "frei", "fri"))
_BEFORE = "|".join(
    [
        *_word_pattern(words("free_before")).replace(r"[ \t]+", r"[ \t-]+").split("|"),
        r"0[ \t]?%",
        r"free[ \t-]+(?:from|of)",
    ]
)

# "paraben-free", "paraben & sulfate free", "parabeenvrij", "parabénmentes", "hajusteeton".
_SUFFIX = re.compile(
    rf"""(?<![\w-])(?P<list>(?:{_FAMILY_ANY})(?:{_SEP_COORD}(?:{_FAMILY_ANY}))*)
    (?:[ \t]*-?[ \t]*(?:{_AFTER})|-?(?:{_SUFFIX_GLUED}))(?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
# "free from: parabens, sulfates, silicones", "sans-parfum", "sem parabenos", "bez parabenů".
_PREFIX = re.compile(
    rf"""(?<![\w-])(?:{_BEFORE})[ \t]*[-:]?[ \t]*(?:added[ \t]+)?
    (?P<list>(?:{_FAMILY_ANY})(?:{_SEP_LIST}(?:added[ \t]+)?(?:{_FAMILY_ANY}))*)(?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
# "Paraben içermez" (Turkish): the free word after a family, apart.
_LIST_WORD = re.compile(_FAMILY_ANY, re.IGNORECASE)
_VEGAN = re.compile(r"(?<![\w-])(?:100[ \t]?%[ \t]+)?v[ée]g[aáā]+n\w*(?![\w-])", re.IGNORECASE)
# Most texts hold no claim; a set look-up of their words decides whether to run the patterns.
_WORDS = re.compile(r"[^\W\d_]+")
_TRIGGERS = frozenset(
    w.lower()
    for phrase in words("free_before") + words("free_after") + ("free", "frei", "fri", "zero")
    for w in phrase.split()[:1]
)
_GLUED = tuple(w.lower() for w in (*words("free_suffix"), "vrij", "frei", "fri", "free"))
_NOT_VEGAN_CONTEXT = re.compile(
    rf"(?<![\w])(?:{_word_pattern(words('negations'))})[ \t-]*$", re.IGNORECASE
)


@dataclass(frozen=True)
class ClaimMention:
    """A claim printed in the text, with its span."""

    claim: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"claim": self.claim, "text": self.text, "start": self.start, "end": self.end}


def may_hold_claims(text: str) -> bool:
    """Whether any word of ``text`` could start, end or glue a claim (a cheap pre-check)."""
    if "0%" in text or "0 %" in text:
        return True
    for word in set(_WORDS.findall(text.lower())):
        if word in _TRIGGERS or word.endswith(_GLUED) or word.startswith(("veg", "vég")):
            return True
    return False


def _claim_of(word: str) -> str | None:
    for claim, pattern in _FAMILY_RES:
        if pattern.match(word):
            return claim
    return None


def find_claims(text: str) -> tuple[ClaimMention, ...]:
    """Return every free-from or vegan claim in ``text``, in order, one per claim id and span.

    Examples:
        >>> [c.claim for c in find_claims("Paraben-free. Free from sulfates and silicones. Vegan")]
        ['paraben_free', 'sulfate_free', 'silicone_free', 'vegan']
        >>> find_claims("Not vegan-friendly")
        ()
    """
    found: dict[tuple[str, int], ClaimMention] = {}
    if not may_hold_claims(text):
        return ()
    for m in _SUFFIX.finditer(text):
        for word in _LIST_WORD.finditer(m.group("list")):
            claim = _claim_of(word.group(0))
            if claim:
                found[(claim, m.start() + word.start())] = ClaimMention(
                    claim, m.group(0), m.start(), m.end()
                )
    for m in _PREFIX.finditer(text):
        for word in _LIST_WORD.finditer(m.group("list")):
            claim = _claim_of(word.group(0))
            if claim and not any(k[0] == claim and m.start() <= k[1] < m.end() for k in found):
                found[(claim, m.start() + word.start())] = ClaimMention(
                    claim, m.group(0), m.start(), m.end()
                )
    for m in _VEGAN.finditer(text):
        if _NOT_VEGAN_CONTEXT.search(text[max(0, m.start() - 10) : m.start()]):
            continue
        found[("vegan", m.start())] = ClaimMention("vegan", m.group(0), m.start(), m.end())
    return tuple(sorted(found.values(), key=lambda c: c.start))
