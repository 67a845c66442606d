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

__all__ = ["CLAIM_FLAGS", "ClaimMention", "find_claims"]

#: Claim id → the flag whose presence in the list contradicts it. "vegan" is checked against each
#: item's vegan status instead (an animal-derived flag alone would miss "depends" items).
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

# Family words in the seven languages, each naming one claim.
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("paraben_free", r"parab[eè]ne?s?|parabenos|parabeni|parabenen"),
    (
        "fragrance_free",
        r"fragrances?|perfumes?|parfum|parfüm|parfums|profumo|fragancias?|perfume|geur(?:stof)?",
    ),
    ("silicone_free", r"silicones?|silikone?|siliconas|siliconi|siliconen"),
    ("sulfate_free", r"sul(?:f|ph)ates?|sulfat[ei]?|sulfatos|solfati|sulfaten|SLS|SLES"),
    ("alcohol_free", r"alcohol|alcool|alkohol|álcool"),
    ("mineral_oil_free", r"mineral[ -]oils?|huiles? min[ée]rales?|mineral[öo]le?|petrolatum"),
    ("peg_free", r"PEGs?"),
    ("essential_oil_free", r"essential[ -]oils?|huiles? essentielles?|[äa]therische [öo]le"),
    ("formaldehyde_free", r"formaldehyde|formald[ée]hyde"),
)
_FAMILY_ANY = "|".join(f"(?:{p})" for _, p in _FAMILIES)
_FAMILY_RES = tuple((claim, re.compile(rf"^(?:{p})$", re.IGNORECASE)) for claim, p in _FAMILIES)

# "paraben-free", "parabenfrei", "paraben vrij", "0% parabens", "no parabens", "sans parabène".
_SUFFIX = re.compile(
    rf"(?<![\w-])(?P<fam>{_FAMILY_ANY})[ \t]*-?[ \t]*(?:free|frei|vrij)\b", re.IGNORECASE
)
_PREFIX = re.compile(
    rf"""(?<![\w-])(?:free[ \t]+(?:from|of)|no|zero|without|0[ \t]?%|sans|ohne|sin|senza|sem|
    zonder|frei[ \t]+von|libre[ \t]+de|exempt[ \t]+de)[ \t]+(?:added[ \t]+)?
    (?P<list>(?:{_FAMILY_ANY})(?:[ \t]*(?:,|and|&|or|et|und|y|e|ou|o|en|of)[ \t]*
    (?:added[ \t]+)?(?:{_FAMILY_ANY}))*)(?![\w])""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_WORD = re.compile(_FAMILY_ANY, re.IGNORECASE)
_VEGAN = re.compile(
    r"(?<![\w-])(?:100[ \t]?%[ \t]+)?v[ée]gan(?:o|a|istisch)?(?![\w-])", re.IGNORECASE
)
# Every claim holds one of these; most ingredient lists hold none, and a substring test on
# the lower-cased text is far cheaper than running the long patterns.
_ANCHORS = (
    "free", "frei", "vrij", "vegan", "végan", "sans ", "ohne ", "sin ", "senza ", "sem ",
    "zonder ", "libre ", "exempt ", "no ", "zero ", "without ", "0%", "0 %",
)  # fmt: skip
_NOT_VEGAN_CONTEXT = re.compile(r"(?:not|non|pas|nicht|no)[ \t-]*$", re.IGNORECASE)


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
    lowered = text.lower()
    if not any(anchor in lowered for anchor in _ANCHORS):
        return ()
    for m in _SUFFIX.finditer(text):
        claim = _claim_of(m.group("fam"))
        if claim:
            found[(claim, m.start())] = ClaimMention(claim, m.group(0), m.start(), m.end())
    for m in _PREFIX.finditer(text):
        for word in _LIST_WORD.finditer(m.group("list")):
            claim = _claim_of(word.group(0))
            if claim and not any(k[0] == claim and m.start() <= k[1] < m.end() for k in found):
                found[(claim, m.start() + word.start())] = ClaimMention(
                    claim, m.group(0), m.start(), m.end()
                )
    for m in _VEGAN.finditer(text):
        if _NOT_VEGAN_CONTEXT.search(text[max(0, m.start() - 8) : m.start()]):
            continue
        found[("vegan", m.start())] = ClaimMention("vegan", m.group(0), m.start(), m.end())
    return tuple(sorted(found.values(), key=lambda c: c.start))
