"""What kind of product a label's text is for: rinse-off or leave-on, and where it goes.

EU rules differ by product type: a fragrance allergen must be named above 0.001 % in a
leave-on product but only above 0.01 % in a rinse-off one (Regulation (EU) 2023/1545, Annex III),
some preservatives are allowed in rinse-off products only (Annex V), and many Annex III limits
are given per product type (oral, hair, face ...). :func:`detect_product_type` reads the
product nouns ("shampoo", "serum", "toothpaste", "Duschgel", "sjampo"), explicit phrases
("rinse off", "leave-in", "ne pas rincer") and directions ("rinse thoroughly") anywhere in the
text, and says what it decided, from which words, and how sure it is. When the words disagree
or say nothing, the type is ``unknown`` and the report says which answers depend on it.

Pure: no I/O; one linear pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["AREAS", "UNKNOWN", "ProductType", "detect_product_type"]

#: Where a product is used.
AREAS = ("face", "eyes", "lips", "body", "hands", "hair", "scalp", "nails", "oral", "feet")

R, L, A = "rinse_off", "leave_on", None  # A: the noun does not say (a mask can be either)

# word (as printed, any case) -> (application or None, areas, spray)
_WORDS: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    # hair
    "shampoo": (R, ("hair",), False), "shampooing": (R, ("hair",), False),
    "shampoing": (R, ("hair",), False), "champú": (R, ("hair",), False),
    "champô": (R, ("hair",), False), "sjampo": (R, ("hair",), False),
    "schampo": (R, ("hair",), False), "szampon": (R, ("hair",), False),
    "šampon": (R, ("hair",), False), "sampon": (R, ("hair",), False),
    "şampuan": (R, ("hair",), False), "shampoo bar": (R, ("hair",), False),
    "conditioner": (R, ("hair",), False), "après-shampooing": (R, ("hair",), False),
    "après-shampoing": (R, ("hair",), False), "spülung": (R, ("hair",), False),
    "balsamo": (R, ("hair",), False), "acondicionador": (R, ("hair",), False),
    "balsam": (R, ("hair",), False), "hair mask": (R, ("hair",), False),
    "masque capillaire": (R, ("hair",), False), "haarkur": (R, ("hair",), False),
    "hair dye": (R, ("hair",), False), "hair colour": (R, ("hair",), False),
    "hair color": (R, ("hair",), False), "coloration": (R, ("hair",), False),
    "leave-in": (L, ("hair",), False), "leave in": (L, ("hair",), False),
    "sans rinçage": (L, (), False), "ohne ausspülen": (L, (), False),
    "hair oil": (L, ("hair",), False), "hair serum": (L, ("hair",), False),
    "hairspray": (L, ("hair",), True), "hair spray": (L, ("hair",), True),
    "laque": (L, ("hair",), True), "haarspray": (L, ("hair",), True),
    "hair gel": (L, ("hair",), False), "styling": (L, ("hair",), False),
    "pomade": (L, ("hair",), False), "dry shampoo": (L, ("hair",), True),
    "hair tonic": (L, ("hair",), False), "hair lotion": (L, ("hair",), False),
    # washing
    "shower gel": (R, ("body",), False), "gel douche": (R, ("body",), False),
    "douche": (R, ("body",), False), "duschgel": (R, ("body",), False),
    "body wash": (R, ("body",), False), "bath": (R, ("body",), False),
    "bain moussant": (R, ("body",), False), "soap": (R, ("body", "hands"), False),
    "savon": (R, ("body", "hands"), False), "seife": (R, ("body", "hands"), False),
    "jabón": (R, ("body", "hands"), False), "sapone": (R, ("body", "hands"), False),
    "sabonete": (R, ("body", "hands"), False), "zeep": (R, ("body", "hands"), False),
    "hand wash": (R, ("hands",), False), "cleanser": (R, ("face",), False),
    "face wash": (R, ("face",), False), "facial wash": (R, ("face",), False),
    "cleansing gel": (R, ("face",), False), "cleansing foam": (R, ("face",), False),
    "gel nettoyant": (R, ("face",), False), "nettoyant": (R, ("face",), False),
    "waschgel": (R, ("face",), False), "reinigungsgel": (R, ("face",), False),
    "scrub": (R, (), False), "exfoliant": (A, (), False), "gommage": (R, (), False),
    "exfoliator": (R, (), False), "face polish": (R, ("face",), False),
    "cleansing oil": (R, ("face",), False), "cleansing balm": (R, ("face",), False),
    "huile démaquillante": (R, ("face",), False), "reinigungsöl": (R, ("face",), False),
    "peeling": (A, (), False), "shaving cream": (R, ("face",), False),
    "shaving foam": (R, ("face",), True), "mousse à raser": (R, ("face",), True),
    # oral
    "toothpaste": (R, ("oral",), False), "dentifrice": (R, ("oral",), False),
    "zahnpasta": (R, ("oral",), False), "zahncreme": (R, ("oral",), False),
    "pasta de dientes": (R, ("oral",), False), "dentífrico": (R, ("oral",), False),
    "dentifricio": (R, ("oral",), False), "tandpasta": (R, ("oral",), False),
    "tannkrem": (R, ("oral",), False), "tandkräm": (R, ("oral",), False),
    "hammastahna": (R, ("oral",), False), "pasta do zębów": (R, ("oral",), False),
    "mouthwash": (R, ("oral",), False), "bain de bouche": (R, ("oral",), False),
    "mundspülung": (R, ("oral",), False), "mondspoeling": (R, ("oral",), False),
    "diş macunu": (R, ("oral",), False),
    # leave-on skin
    "serum": (L, ("face",), False), "sérum": (L, ("face",), False),
    "moisturizer": (L, ("face",), False), "moisturiser": (L, ("face",), False),
    "moisturizing cream": (L, ("face",), False), "face cream": (L, ("face",), False),
    "day cream": (L, ("face",), False), "night cream": (L, ("face",), False),
    "crème de jour": (L, ("face",), False), "crème de nuit": (L, ("face",), False),
    "tagescreme": (L, ("face",), False), "nachtcreme": (L, ("face",), False),
    "gesichtscreme": (L, ("face",), False), "eye cream": (L, ("eyes",), False),
    "contour des yeux": (L, ("eyes",), False), "augencreme": (L, ("eyes",), False),
    "body lotion": (L, ("body",), False), "lait corporel": (L, ("body",), False),
    "body milk": (L, ("body",), False), "körperlotion": (L, ("body",), False),
    "body butter": (L, ("body",), False), "hand cream": (L, ("hands",), False),
    "crème mains": (L, ("hands",), False), "handcreme": (L, ("hands",), False),
    "foot cream": (L, ("feet",), False), "lotion": (L, (), False), "toner": (L, ("face",), False),
    "tonique": (L, ("face",), False), "essence": (L, ("face",), False),
    "face oil": (L, ("face",), False), "facial oil": (L, ("face",), False),
    "ampoule": (L, ("face",), False), "salve": (L, (), False),
    "face mist": (L, ("face",), True), "facial mist": (L, ("face",), True),
    "setting spray": (L, ("face",), True), "overnight": (L, (), False),
    "sleeping": (L, (), False), "cushion": (L, ("face",), False),
    "sunscreen": (L, ("face", "body"), False), "sun cream": (L, ("face", "body"), False),
    "sun protect": (L, ("face", "body"), False), "spf": (L, ("face", "body"), False),
    "crème solaire": (L, ("face", "body"), False), "sonnencreme": (L, ("face", "body"), False),
    "deodorant": (L, ("body",), False), "déodorant": (L, ("body",), False),
    "deo": (L, ("body",), False), "antiperspirant": (L, ("body",), False),
    "anti-transpirant": (L, ("body",), False), "roll-on": (L, ("body",), False),
    "perfume": (L, ("body",), True), "eau de toilette": (L, ("body",), True),
    "eau de parfum": (L, ("body",), True), "body mist": (L, ("body",), True),
    "lip balm": (L, ("lips",), False), "lipstick": (L, ("lips",), False),
    "lip gloss": (L, ("lips",), False), "baume à lèvres": (L, ("lips",), False),
    "rouge à lèvres": (L, ("lips",), False), "lippenbalsam": (L, ("lips",), False),
    "lippenstift": (L, ("lips",), False), "foundation": (L, ("face",), False),
    "fond de teint": (L, ("face",), False), "concealer": (L, ("face",), False),
    "mascara": (L, ("eyes",), False), "eyeliner": (L, ("eyes",), False),
    "eye shadow": (L, ("eyes",), False), "eyeshadow": (L, ("eyes",), False),
    "blush": (L, ("face",), False), "powder": (L, (), False), "primer": (L, ("face",), False),
    "bb cream": (L, ("face",), False), "cc cream": (L, ("face",), False),
    "nail polish": (L, ("nails",), False), "vernis": (L, ("nails",), False),
    "nagellack": (L, ("nails",), False), "creme": (L, (), False), "cream": (L, (), False),
    "crème": (L, (), False), "balm": (L, (), False), "baume": (L, (), False),
    "gel-crème": (L, ("face",), False), "gel cream": (L, ("face",), False),
    # masks: either
    "face mask": (A, ("face",), False), "mask": (A, (), False), "masque": (A, (), False),
    "maske": (A, (), False), "sheet mask": (L, ("face",), False),
    "sleeping mask": (L, ("face",), False), "overnight mask": (L, ("face",), False),
    # explicit phrases and directions
    "rinse-off": (R, (), False), "rinse off": (R, (), False), "wash off": (R, (), False),
    "rinse thoroughly": (R, (), False), "rinse well": (R, (), False),
    "rincer abondamment": (R, (), False), "rincer": (R, (), False),
    "ausspülen": (R, (), False), "abspülen": (R, (), False), "aclarar": (R, (), False),
    "risciacquare": (R, (), False), "enxaguar": (R, (), False), "uitspoelen": (R, (), False),
    "skyll": (R, (), False), "skölj": (R, (), False), "leave-on": (L, (), False),
    "do not rinse": (L, (), False), "ne pas rincer": (L, (), False),
    "nicht ausspülen": (L, (), False), "no aclarar": (L, (), False),
    "non risciacquare": (L, (), False), "spray": (A, (), True), "aerosol": (A, (), True),
    "vaporisateur": (A, (), True), "brume": (A, (), True),
}  # fmt: skip

# Explicit statements outweigh nouns: "leave-in conditioner" is leave-on.
_EXPLICIT = frozenset(
    {"leave-in", "leave in", "leave-on", "rinse-off", "rinse off", "do not rinse",
     "ne pas rincer", "nicht ausspülen", "no aclarar", "non risciacquare", "sans rinçage",
     "ohne ausspülen", "dry shampoo", "sheet mask", "sleeping mask", "overnight mask"}
)  # fmt: skip

_PATTERN = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"[ \t-]+").replace(r"\-", r"[ \t-]?")
        for w in sorted(_WORDS, key=len, reverse=True)
    )
    + r")s?(?![\w-])",
    re.IGNORECASE,
)
_SPACE = re.compile(r"[ \t-]+")
# Generic nouns that name a product only as the last word of its name ("Pure Argan Oil",
# "Dewy Skin Mist"); elsewhere they name ingredients or effects.
_TITLE_ONLY: dict[str, tuple[str | None, tuple[str, ...], bool]] = {
    "oil": (L, (), False),
    "mist": (L, (), True),
    "elixir": (L, (), False),
}
_TITLE_HEAD = re.compile(
    r"(?<![\w-])(?:oil|mist|elixir)s?(?![\w-])(?![ \t]*(?:free|control|absorb|replac))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ProductType:
    """The product type read from a text, how it was decided and how sure it is.

    ``application`` is ``rinse_off``, ``leave_on`` or ``unknown``; ``confidence`` is ``high``
    (an explicit phrase, or two or more words agreeing with none against), ``medium`` (one
    word, or a clear majority), ``low`` (only directions, or a majority of one) or ``none``.
    """

    application: str
    areas: tuple[str, ...]
    spray: bool
    confidence: str
    how: str
    evidence: tuple[tuple[str, int, int], ...] = ()  # (word as printed, start, end)

    @property
    def known(self) -> bool:
        """Whether rinse-off or leave-on was decided."""
        return self.application != "unknown"

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "application": self.application,
            "areas": list(self.areas),
            "spray": self.spray,
            "confidence": self.confidence,
            "how": self.how,
            "evidence": [{"text": t, "start": s, "end": e} for t, s, e in self.evidence],
        }


UNKNOWN = ProductType("unknown", (), False, "none", "No product word was found in the text.")


def _entry(word: str) -> tuple[str | None, tuple[str, ...], bool] | None:
    key = _SPACE.sub(" ", word.lower()).strip()
    for candidate in (key, key.rstrip("s"), key.replace(" ", "-"), key.replace(" ", "")):
        found = _WORDS.get(candidate)
        if found is not None:
            return found
    return None


def _outside(text: str, skip: Sequence[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """The product words of ``text`` outside the ``skip`` spans (each span searched once)."""
    pos = 0
    for a, b in sorted(skip):
        if a > pos:
            yield from _PATTERN.finditer(text, pos, a)
        pos = max(pos, b)
    yield from _PATTERN.finditer(text, pos)


def detect_product_type(text: str, skip: Sequence[tuple[int, int]] = ()) -> ProductType:
    """Read the product type from the words of ``text`` outside the ``skip`` spans.

    The pipeline skips the ingredient lists: they name ingredients ("Myroxylon Pereirae
    Balsam", "Oryza Sativa Powder"), not the product.

    Examples:
        >>> detect_product_type("Gentle Shampoo. Ingredients: Aqua, Glycerin").application
        'rinse_off'
        >>> p = detect_product_type("Leave-in conditioner. Do not rinse.")
        >>> p.application, p.areas, p.confidence
        ('leave_on', ('hair',), 'high')
        >>> detect_product_type("Ingredients: Aqua, Glycerin").application
        'unknown'
    """
    votes: Counter[str] = Counter()
    explicit: Counter[str] = Counter()
    areas: dict[str, None] = {}
    spray = False
    evidence: list[tuple[str, int, int]] = []
    # The product's own name comes first, and its last product word is its head: "Perfume
    # Shampoo" is a shampoo, "Serum Shampoo" too. The head counts three times, the name's other
    # product words not at all; words elsewhere (directions, claims) once each.
    title_end = text.find("\n")
    title_end = min(120, len(text) if title_end < 0 else title_end)
    found_words: list[tuple[re.Match[str], tuple[str | None, tuple[str, ...], bool]]] = []
    for m in _outside(text, skip):
        entry = _entry(m.group())
        if entry is not None:
            found_words.append((m, entry))
    in_title = [m for m, _ in found_words if m.start() < title_end]
    if not in_title and (skip == () or all(b <= 0 or a >= title_end for a, b in skip)):
        head = _TITLE_HEAD.search(text, 0, title_end)  # "Pure Argan Oil", "Skin Mist"
        if head:
            noun = _SPACE.sub(" ", head.group().lower()).rstrip("s")
            found_words.insert(0, (head, _TITLE_ONLY[noun]))
            in_title = [head]
    for m, (application, where, sprayed) in found_words:
        key = _SPACE.sub(" ", m.group().lower()).rstrip("s")
        is_explicit = key in _EXPLICIT or key.replace(" ", "-") in _EXPLICIT
        if m.start() < title_end and m is not in_title[-1] and not is_explicit:
            continue  # a modifier in the name: "Perfume" in "Perfume Shampoo"
        evidence.append((m.group(), m.start(), m.end()))
        spray = spray or sprayed
        for a in where:
            areas.setdefault(a, None)
        if application is None:
            continue
        if is_explicit:
            explicit[application] += 1
        else:
            votes[application] += 3 if m.start() < title_end else 1
    if not evidence:
        return UNKNOWN
    words = ", ".join(f"'{t}'" for t, _, _ in evidence[:6])
    if len(explicit) == 1:
        (app,) = explicit
        how = f"The text says so explicitly ({words})."
        return ProductType(app, tuple(areas), spray, "high", how, tuple(evidence))
    if not votes or len(explicit) > 1:
        how = f"The words found ({words}) do not say whether it is rinsed off."
        return ProductType("unknown", tuple(areas), spray, "none", how, tuple(evidence))
    (top, n), *rest = votes.most_common()
    against = rest[0][1] if rest else 0
    if against and n < 2 * against:
        how = f"The words found ({words}) disagree: rinse-off and leave-on both."
        return ProductType("unknown", tuple(areas), spray, "none", how, tuple(evidence))
    confidence = "high" if n >= 4 and not against else "medium"
    if against:
        confidence = "medium" if n - against >= 3 else "low"
    label = "rinse-off" if top == R else "leave-on"
    how = f"Read as {label} from {words}."
    return ProductType(top, tuple(areas), spray, confidence, how, tuple(evidence))
