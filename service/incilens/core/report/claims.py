"""Label claims judged against the list: does "paraben-free" hold, is "vegan" true?

The claims are found by :func:`incilens.core.claims.find_claims`; each is judged here from the
report's shared context, naming the items that contradict it. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from incilens.core.claims import CLAIM_FLAGS, ClaimMention
from incilens.core.report.context import Context, dedupe, flagged, vegan, with_item

__all__ = ["check_claims"]

_CLAIM_LABELS = {
    "paraben_free": "Paraben-free",
    "fragrance_free": "Fragrance-free",
    "silicone_free": "Silicone-free",
    "sulfate_free": "Sulfate-free",
    "alcohol_free": "Alcohol-free",
    "mineral_oil_free": "Mineral-oil-free",
    "peg_free": "PEG-free",
    "essential_oil_free": "Essential-oil-free",
    "formaldehyde_free": "Formaldehyde-free",
    "vegan": "Vegan",
    "soy_free": "Soy-free",
    "nut_free": "Nut-free",
    "talc_free": "Talc-free",
    "gluten_free": "Gluten-free",
}

# Names that belong to a family whatever the knowledge base's flags say, read from the item as
# printed and from its INCI name: a paraben by its chemical name ("methyl 4-hydroxybenzoate"),
# silicone resins ("trimethylsiloxysilicate"), formaldehyde releasers by INN ("bronopol",
# "bronidox"; CosIng Annex V entries 21 and 20), and the soy, nut, talc and gluten families,
# which have no flag. Each pattern names the chemistry or the plant, not a sound-alike.
_BY_NAME: dict[str, tuple[re.Pattern[str], str]] = {
    "paraben_free": (
        re.compile(r"PARABEN|4-HYDROXYBENZOATE|P-HYDROXYBENZOATE|HYDROXYBENZOIC ACID \w+ ESTER"),
        "a paraben (an ester of 4-hydroxybenzoic acid) by its chemical name",
    ),
    "silicone_free": (
        re.compile(r"SILOX|SILSESQUIOXANE|METHICONE|SILICONE|DIMETHICON"),
        "a siloxane: a silicone oil, gum or resin",
    ),
    "formaldehyde_free": (
        re.compile(
            r"BRONOPOL|BRONIDOX|2-BROMO-2-NITROPROPANE|5-BROMO-5-NITRO-1,3-DIOXANE|"
            r"HYDANTOIN|QUATERNIUM-15|DIAZOLIDINYL UREA|IMIDAZOLIDINYL UREA|METHENAMINE|"
            r"HYDROXYMETHYLGLYCINATE"
        ),
        "a formaldehyde releaser (EU Annex V preservative) by its INN or chemical name",
    ),
    "soy_free": (re.compile(r"\bGLYCINE SOJA\b|\bSOY|\bSOJA\b"), "from soy (Glycine soja)"),
    "nut_free": (
        re.compile(
            r"PRUNUS AMYGDALUS|AMYGDALUS DULCIS|JUGLANS|CORYLUS|MACADAMIA|ANACARDIUM|CARYA |"
            r"PISTACIA VERA|BERTHOLLETIA|ARACHIS|\bALMOND|\bWALNUT|HAZELNUT|PEANUT|CASHEW|PECAN|"
            r"PISTACHIO|BRAZIL NUT"
        ),
        "from a tree nut or peanut",
    ),
    "talc_free": (re.compile(r"^TALC$|\bTALC\b"), "talc"),
    "gluten_free": (
        re.compile(r"GLUTEN|TRITICUM|HORDEUM|SECALE|\bWHEAT|\bBARLEY|\bRYE\b"),
        "from wheat, barley or rye, which hold gluten proteins",
    ),
}
_GLUTEN_SURE = re.compile(r"GLUTEN|PROTEIN|FLOUR|PEPTIDE")
# A plant whose name holds an animal word ("Zea Mays Silk Extract": corn silk): a botanical
# binomial and a plant part; the name rule that made it "not vegan" is not evidence.
_PLANT = re.compile(
    r"^[A-Z]+ [A-Z]+ (?:\([^)]*\) )?(?:[A-Z]+ )*(?:SILK|HAIR|MILK|WAX|BUTTER)\b.*"
    r"\b(?:EXTRACT|OIL|POWDER|JUICE|WATER)$"
)


def _by_name(ctx: Context, claim: str) -> list[dict[str, Any]]:
    """Items that name the claim's family, from their printed text or INCI name."""
    rule = _BY_NAME.get(claim)
    if rule is None:
        return []
    pattern, why = rule
    out = []
    for item in ctx.items:
        inci = item.ingredient.inci_name if item.ingredient else ""
        if pattern.search(inci) or pattern.search(item.text.upper()):
            out.append(with_item(item, reason=f"Named as {why}.", source="incilens:claim-names"))
    return out


def check_claims(ctx: Context, mentions: Sequence[ClaimMention]) -> list[dict[str, Any]]:
    """Check each claim printed on the pack against the list."""
    out = []
    for claim in dict.fromkeys(m.claim for m in mentions):
        where = [m.to_dict() for m in mentions if m.claim == claim]
        questionable: list[dict[str, Any]] = []
        breaking: list[dict[str, Any]] = []
        if claim == "vegan":
            finding = vegan(ctx)
            questionable = finding["depends"] + finding["unknown"]
            for b in finding["items"]:  # "corn silk" is a plant, whatever the name rule said
                plant = _PLANT.match(b["name"].upper()) and b["source"] == "rule:animal-derived"
                (questionable if plant else breaking).append(b)
            questionable += [
                with_item(i, reason="Not recognised, so its source is unknown.", source="")
                for i in ctx.items
                if i.ingredient is None
            ]
        else:
            breaking = flagged(ctx, CLAIM_FLAGS[claim]) if claim in CLAIM_FLAGS else []
            breaking = dedupe(breaking + _by_name(ctx, claim))
            if claim == "gluten_free":  # a cereal oil or extract holds little or no gluten
                questionable = [b for b in breaking if not _GLUTEN_SURE.search(b["name"].upper())]
                breaking = [b for b in breaking if _GLUTEN_SURE.search(b["name"].upper())]
            if claim == "fragrance_free":
                questionable = flagged(ctx, "essential_oil") + flagged(ctx, "fragrance_allergen")
        if breaking:
            verdict = "contradicted"
            why = "The list contains " + ", ".join(b["name"] for b in breaking) + "."
        elif not ctx.reliable:
            verdict, why = "unverifiable", "The read is unreliable, so the claim cannot be checked."
        elif questionable:
            verdict = "questionable"
            why = (
                "Holds on the letter, but note "
                + ", ".join(q["name"] for q in dedupe(questionable))
                + "."
            )
        else:
            verdict, why = "consistent", "Nothing in the recognised list contradicts it."
        out.append(
            {
                "claim": claim,
                "label": _CLAIM_LABELS[claim],
                "verdict": verdict,
                "explanation": why,
                "items": breaking,
                "questionable": dedupe(questionable),
                "mentions": where,
            }
        )
    return out
