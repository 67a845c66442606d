"""A shopper's profile: skin type, concerns, what to avoid, vegan, pregnancy.

The profile travels with each request and is never stored. An avoid-list term is either a
*family* (:data:`FAMILIES`) or an ingredient name that the pipeline resolves through the matcher
(synonyms included). A family is what a shopper means by an everyday word: "parabens" is the
knowledge base's paraben flag; "fragrance" is Parfum with the named fragrance allergens and the
essential oils; "nuts" is the tree nuts of EU food-labelling law, found by the botanical and
derived names an INCI list uses (Prunus Amygdalus Dulcis, Almondamidopropyl Betaine ...).

Terms are read without regard to case, accents, hyphens or a plural "s", so "Tea-Tree",
"ALMONDS" and "shéa" work. The decisions, each tested in ``tests/core/test_profile.py``:

- "nut(s)" means the eight tree nuts that Regulation (EU) No 1169/2011, Annex II, item 8 names
  (almond, hazelnut, walnut, cashew, pecan, Brazil nut, pistachio, macadamia). Coconut, shea,
  argan and peanut are not on that list and are their own terms, so "nut" never matches coconut.
- "alcohol" means drying (short-chain) alcohols; fatty alcohols (cetyl, cetearyl ...) soften the
  skin and have their own term, "fatty alcohols".
- "tea" is the tea plant (Camellia sinensis), never "TEA-" (triethanolamine) nor tea tree.
- A name family matches what the INCI name says, nothing more: caprylic/capric triglyceride may
  be made from coconut, but its name does not say so, and the finding says that.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AVOID_FAMILIES",
    "CONCERNS",
    "FAMILIES",
    "SKIN_TYPES",
    "Family",
    "Profile",
    "family_of",
    "family_reason",
    "normalise_term",
]

SKIN_TYPES = ("oily", "dry", "combination", "normal", "sensitive")
CONCERNS = ("acne", "rosacea", "eczema", "fungal_acne")

#: Where a family's food-allergen names come from.
EU_FOOD_ALLERGENS = "Regulation (EU) No 1169/2011, Annex II"


@dataclass(frozen=True)
class Family:
    """What an everyday avoid-list word means: KB flags, INCI name patterns, or both.

    ``names`` is searched in the upper-case INCI name; ``unless`` vetoes a name match (cocoa is
    not coconut). ``why`` says what is and is not counted, in words a shopper reads in the
    report; ``source`` is where the mapping comes from ("incilens" for this table's own
    reading of INCI names, or the law it follows).
    """

    key: str
    label: str
    why: str
    flags: frozenset[str] = frozenset()
    names: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    source: str = "incilens"


def _flag(key: str, label: str, why: str = "", *flags: str) -> Family:
    return Family(
        key,
        label,
        why or f"Ingredients the knowledge base marks as {label}.",
        frozenset(flags or (key,)),
    )


def _named(
    key: str,
    label: str,
    why: str,
    names: str,
    unless: str = "",
    source: str = "incilens",
    flags: tuple[str, ...] = (),
) -> Family:
    return Family(
        key,
        label,
        why,
        frozenset(flags),
        re.compile(names),
        re.compile(unless) if unless else None,
        source,
    )


_TREE_NUTS = {
    "almond": r"PRUNUS AMYGDALUS|AMYGDALUS COMMUNIS|PRUNUS DULCIS|\bALMOND",
    "hazelnut": r"\bCORYLUS\b|\bHAZELNUT",
    "walnut": r"\bJUGLANS\b|\bWALNUT",
    "cashew": r"\bANACARDIUM OCCIDENTALE|\bCASHEW",
    "pecan": r"\bCARYA ILLINOINENSIS|\bCARYA ILLINOENSIS|\bPECAN",
    "brazil nut": r"\bBERTHOLLETIA\b|\bBRAZIL NUT",
    "pistachio": r"\bPISTACIA VERA\b|\bPISTACHIO",
    "macadamia": r"\bMACADAMIA\b",
}
_NAME_ONLY = (
    " Only names that say so count: an ingredient made from it under another name (a fatty "
    "acid, a triglyceride) is not found."
)

#: Every family, by key. A flag family's key is the flag id itself.
FAMILIES: dict[str, Family] = {
    f.key: f
    for f in (
        _flag("paraben", "parabens"),
        _flag(
            "fragrance",
            "fragrance",
            "Fragrance here is Parfum/Fragrance, the EU's named fragrance allergens (linalool, "
            "limonene ...) and essential oils, which all add scent.",
            "fragrance",
            "fragrance_allergen",
            "essential_oil",
        ),
        _flag("fragrance_allergen", "EU fragrance allergens"),
        _flag("essential_oil", "essential oils"),
        _flag("silicone", "silicones"),
        _flag(
            "sulfate_surfactant",
            "sulfate surfactants",
            "Sulfate surfactants (sodium lauryl sulfate ...); mineral sulfates such as "
            "magnesium sulfate are not counted.",
        ),
        _flag(
            "drying_alcohol",
            "drying alcohols",
            "Drying (short-chain) alcohols such as alcohol denat.; fatty alcohols (cetyl, "
            'cetearyl, stearyl alcohol) soften the skin and are not counted: add "fatty '
            'alcohols" to avoid them too.',
        ),
        _flag("fatty_alcohol", "fatty alcohols"),
        _flag("formaldehyde_releaser", "formaldehyde releasers"),
        _flag("mineral_oil", "mineral oils"),
        _flag("peg", "PEGs"),
        _flag("retinoid", "retinoids"),
        _flag("aha", "AHAs"),
        _flag("bha", "BHA (beta hydroxy acids)"),
        _flag("animal_derived", "animal-derived ingredients"),
        _flag("colorant", "colorants"),
        _flag("uv_filter", "UV filters"),
        _flag("preservative", "preservatives"),
        _named(
            "tree_nuts",
            "tree nuts",
            "Tree nuts as EU food law lists them: almond, hazelnut, walnut, cashew, pecan, "
            "Brazil nut, pistachio and macadamia. Coconut, shea, argan and peanut are not on "
            "that list: add them by name if you avoid them too." + _NAME_ONLY,
            "|".join(_TREE_NUTS.values()),
            r"AMYGDALUS PERSICA",
            EU_FOOD_ALLERGENS,
        ),
        *(
            _named(
                nut.replace(" ", "_"),
                nut,
                f"Ingredients whose INCI name says {nut}." + _NAME_ONLY,
                pattern,
                r"AMYGDALUS PERSICA" if nut == "almond" else "",
            )
            for nut, pattern in _TREE_NUTS.items()
        ),
        _named(
            "peanut",
            "peanut",
            "Peanut (Arachis hypogaea), a legume that EU food law lists apart from tree nuts."
            + _NAME_ONLY,
            r"\bARACHIS\b|\bPEANUT",
            source=EU_FOOD_ALLERGENS,
        ),
        _named(
            "coconut",
            "coconut",
            "Coconut (Cocos nucifera) and what is named after it (coco-glucoside, "
            "cocamidopropyl betaine, sodium cocoyl isethionate ...); cocoa is not coconut."
            + _NAME_ONLY,
            r"\bCOCOS NUCIFERA|\bCOCONUT|\bCOCO(?!A\b|A\s|S\b)|\bCOCAM|\bCOCET",
        ),
        _named(
            "shea",
            "shea",
            "Shea (Butyrospermum parkii, Vitellaria paradoxa) and what is named after it."
            + _NAME_ONLY,
            r"\bBUTYROSPERMUM\b|\bVITELLARIA\b|\bSHEA",
        ),
        _named(
            "argan",
            "argan",
            "Argan (Argania spinosa)." + _NAME_ONLY,
            r"\bARGANIA\b|\bARGAN\b",
        ),
        _named(
            "tea_tree",
            "tea tree",
            "Tea tree (Melaleuca alternifolia), an essential oil; the tea plant (Camellia "
            "sinensis) is another plant.",
            r"\bMELALEUCA ALTERNIFOLIA|\bTEA TREE",
        ),
        _named(
            "tea",
            "tea",
            'The tea plant (Camellia sinensis: green, black and white tea). "TEA-" in a '
            'name is triethanolamine, not tea, and tea tree is another plant: add "tea tree" '
            "for it.",
            r"\bCAMELLIA SINENSIS\b|\b(?:GREEN|BLACK|WHITE) TEA\b",
        ),
        _named(
            "lavender",
            "lavender",
            "Lavender and lavandin (Lavandula).",
            r"\bLAVANDULA\b|\bLAVENDER|\bLAVANDIN",
        ),
        _named(
            "soy",
            "soy",
            "Soy (Glycine max, Glycine soja) and what is named after it; glycine alone is an "
            "amino acid, not soy." + _NAME_ONLY,
            r"\bGLYCINE (?:MAX|SOJA)\b|\bSOY|\bSOJA\b",
            source=EU_FOOD_ALLERGENS,
        ),
        _named(
            "gluten",
            "cereals containing gluten",
            "Cereals that EU food law lists as containing gluten: wheat, rye, barley and oats "
            "(Triticum, Secale, Hordeum, Avena). Ingredients from them may hold little or no "
            "gluten; the list does not say." + _NAME_ONLY,
            r"\bTRITICUM\b|\bWHEAT|\bSECALE\b|\bRYE\b|\bHORDEUM\b|\bBARLEY|\bAVENA\b|\bOAT\b"
            r"|\bOATS\b|\bSPELT\b",
            source=EU_FOOD_ALLERGENS,
        ),
        _named(
            "wheat",
            "wheat",
            "Wheat (Triticum) and what is named after it; oats and barley are not counted."
            + _NAME_ONLY,
            r"\bTRITICUM\b|\bWHEAT|\bSPELT\b",
        ),
        _named("oat", "oats", "Oats (Avena)." + _NAME_ONLY, r"\bAVENA\b|\bOATS?\b"),
        _named(
            "sesame",
            "sesame",
            "Sesame (Sesamum indicum)." + _NAME_ONLY,
            r"\bSESAMUM\b|\bSESAME",
            source=EU_FOOD_ALLERGENS,
        ),
        _named(
            "milk",
            "milk",
            "Milk and what is named after it (lac, casein, whey, lactose); milk thistle is a "
            "plant and lactic acid is not counted." + _NAME_ONLY,
            r"\bMILK\b|\bLAC\b|\bCASEIN|\bWHEY\b|\bLACTOSE\b|\bBUTTERMILK\b|\bCOLOSTRUM\b"
            r"|\bYOG(?:H)?URT\b",
            r"\bMILK THISTLE\b|\bMILK VETCH\b|\bCOCONUT MILK\b",
            EU_FOOD_ALLERGENS,
        ),
        _named(
            "egg",
            "egg",
            "Egg and what is named after it (ovum, egg yolk, albumen)." + _NAME_ONLY,
            r"\bEGG\b|\bOVUM\b|\bOVALBUMIN\b|\bALBUMEN\b",
            source=EU_FOOD_ALLERGENS,
        ),
        _named(
            "lanolin",
            "lanolin (wool wax)",
            "Lanolin, the wax of sheep's wool, and what is made from it (lanolin alcohol, "
            "PEG-75 lanolin ...).",
            r"\bLANOLIN|\bADEPS LANAE\b|\bWOOL (?:WAX|FAT|GREASE)\b|\bLANOLATE\b",
        ),
        _named(
            "beeswax",
            "beeswax",
            "Beeswax (Cera alba, Cera flava) and what is made from it; synthetic beeswax is "
            "not from bees and is not counted.",
            r"\bCERA (?:ALBA|FLAVA)\b|\bBEESWAX\b",
            r"\bSYNTHETIC BEESWAX\b",
        ),
        _named(
            "bee_products",
            "bee products",
            "What bees make: beeswax, honey (mel), propolis and royal jelly; synthetic beeswax "
            "is not counted.",
            r"\bCERA (?:ALBA|FLAVA)\b|\bBEESWAX\b|\bMEL\b|\bHONEY\b|\bPROPOLIS\b"
            r"|\bROYAL JELLY\b|\bAPIS MELLIFERA\b",
            r"\bSYNTHETIC BEESWAX\b|\bHONEYSUCKLE\b",
        ),
    )
}

#: Avoid-list words (already normalised, see :func:`normalise_term`) and the family each names.
AVOID_FAMILIES: dict[str, str] = {
    "paraben": "paraben",
    "fragrance": "fragrance",
    "perfume": "fragrance",
    "parfum": "fragrance",
    "scent": "fragrance",
    "fragrance allergen": "fragrance_allergen",
    "allergen": "fragrance_allergen",
    "essential oil": "essential_oil",
    "silicone": "silicone",
    "sulfate": "sulfate_surfactant",
    "sulphate": "sulfate_surfactant",
    "sls": "sulfate_surfactant",
    "drying alcohol": "drying_alcohol",
    "alcohol": "drying_alcohol",
    "fatty alcohol": "fatty_alcohol",
    "formaldehyde": "formaldehyde_releaser",
    "formaldehyde releaser": "formaldehyde_releaser",
    "mineral oil": "mineral_oil",
    "petrolatum": "mineral_oil",
    "peg": "peg",
    "retinoid": "retinoid",
    "aha": "aha",
    "bha": "bha",
    "animal": "animal_derived",
    "animal derived": "animal_derived",
    "colorant": "colorant",
    "colourant": "colorant",
    "dye": "colorant",
    "uv filter": "uv_filter",
    "chemical sunscreen": "uv_filter",
    "preservative": "preservative",
    "nut": "tree_nuts",
    "tree nut": "tree_nuts",
    "almond": "almond",
    "hazelnut": "hazelnut",
    "walnut": "walnut",
    "cashew": "cashew",
    "pecan": "pecan",
    "brazil nut": "brazil_nut",
    "pistachio": "pistachio",
    "macadamia": "macadamia",
    "peanut": "peanut",
    "groundnut": "peanut",
    "arachis": "peanut",
    "coconut": "coconut",
    "shea": "shea",
    "argan": "argan",
    "tea tree": "tea_tree",
    "melaleuca": "tea_tree",
    "tea": "tea",
    "green tea": "tea",
    "lavender": "lavender",
    "soy": "soy",
    "soya": "soy",
    "soybean": "soy",
    "gluten": "gluten",
    "wheat": "wheat",
    "oat": "oat",
    "sesame": "sesame",
    "milk": "milk",
    "dairy": "milk",
    "egg": "egg",
    "lanolin": "lanolin",
    "wool": "lanolin",
    "wool wax": "lanolin",
    "wool fat": "lanolin",
    "beeswax": "beeswax",
    "bee product": "bee_products",
    "honey": "bee_products",
}


def normalise_term(term: str) -> str:
    """The avoid-list term as looked up: lower case, no accents, hyphens as spaces.

    Examples:
        >>> normalise_term("  Tea-Tree "), normalise_term("SHÉA"), normalise_term("uv_filters")
        ('tea tree', 'shea', 'uv filters')
    """
    decomposed = unicodedata.normalize("NFKD", term)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[-_]", " ", plain.casefold()).split())


def family_of(term: str) -> str | None:
    """Return the key of the family an avoid-list term names (:data:`FAMILIES`), or None.

    The term is normalised (:func:`normalise_term`); a plural "s" or "es" is dropped when the
    plural itself is not a known word. None means the term is an ingredient name (or unknown).

    Examples:
        >>> family_of(" Parabens "), family_of("SULPHATES"), family_of("glycerin")
        ('paraben', 'sulfate_surfactant', None)
        >>> family_of("Nuts"), family_of("coconut"), family_of("tea-tree")
        ('tree_nuts', 'coconut', 'tea_tree')
    """
    word = normalise_term(term)
    for candidate in (
        word,
        word[:-1] if word.endswith("s") else "",
        word[:-2] if word.endswith("es") else "",
    ):
        if candidate in AVOID_FAMILIES:
            return AVOID_FAMILIES[candidate]
    return None


def family_reason(key: str, inci_name: str, flag_ids: frozenset[str]) -> str | None:
    """Why an ingredient belongs to family ``key``, or None when it does not.

    A flag family matches on the knowledge base's flags (the caller gives their own reasons);
    a name family on the INCI name, with ``unless`` as a veto.

    Examples:
        >>> family_reason("coconut", "COCAMIDOPROPYL BETAINE", frozenset())
        'Its INCI name says coconut.'
        >>> family_reason("coconut", "THEOBROMA CACAO SEED BUTTER", frozenset()) is None
        True
    """
    family = FAMILIES[key]
    hit = sorted(family.flags & flag_ids)
    if hit:
        return f"Marked {hit[0].replace('_', ' ')} in the knowledge base."
    name = inci_name.upper()
    if family.names is None or not family.names.search(name):
        return None
    if family.unless is not None and family.unless.search(name):
        return None
    return f"Its INCI name says {family.label}."


@dataclass(frozen=True)
class Profile:
    """What matters to one shopper. Every field is optional."""

    skin_type: str | None = None
    concerns: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    vegan: bool = False
    pregnant_or_breastfeeding: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.skin_type is not None and self.skin_type not in SKIN_TYPES:
            raise ValueError(f"skin_type must be one of {SKIN_TYPES}")
        unknown = set(self.concerns) - set(CONCERNS)
        if unknown:
            raise ValueError(f"unknown concerns {sorted(unknown)}; choose from {CONCERNS}")

    @property
    def empty(self) -> bool:
        """Whether the profile asks for nothing."""
        return not (
            self.skin_type
            or self.concerns
            or self.avoid
            or self.vegan
            or self.pregnant_or_breastfeeding
        )

    @property
    def conditions(self) -> frozenset[str]:
        """The skin type and concerns together (as used by ``skin_types.not_ideal_for``)."""
        return frozenset(([self.skin_type] if self.skin_type else []) + list(self.concerns))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "skin_type": self.skin_type,
            "concerns": list(self.concerns),
            "avoid": list(self.avoid),
            "vegan": self.vegan,
            "pregnant_or_breastfeeding": self.pregnant_or_breastfeeding,
        }
