"""Label claims judged against the list: does "paraben-free" hold, is "vegan" true?

The claims are found by :func:`incilens.core.claims.find_claims`; each is judged here from the
report's shared context, naming the items that contradict it. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from incilens.core.claims import CLAIM_FLAGS, ClaimMention
from incilens.core.report.context import Context, dedupe, flagged, vegan

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
}


def check_claims(ctx: Context, mentions: Sequence[ClaimMention]) -> list[dict[str, Any]]:
    """Check each claim printed on the pack against the list."""
    out = []
    for claim in dict.fromkeys(m.claim for m in mentions):
        where = [m.to_dict() for m in mentions if m.claim == claim]
        questionable: list[dict[str, Any]] = []
        if claim == "vegan":
            finding = vegan(ctx)
            breaking, questionable = finding["items"], finding["depends"]
        else:
            breaking = flagged(ctx, CLAIM_FLAGS[claim])
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
