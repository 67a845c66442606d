"""What matters to one shopper: the profile's findings, most important first. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from incilens.core.profile import FAMILIES, Profile, family_reason
from incilens.core.report.context import (
    Context,
    comedogenic,
    dedupe,
    fact_items,
    flagged,
    vegan,
    with_item,
)

__all__ = ["for_you"]


_CONDITION_WORDS = {"acne": "acne-prone", "fungal_acne": "fungal-acne"}


def _family_items(ctx: Context, key: str) -> list[dict[str, Any]]:
    """The items in the avoid-list family ``key``.

    By the family's flags (with the knowledge base's reason and source), or by what the INCI
    name says (source "profile").
    """
    family = FAMILIES.get(key)
    if family is None:  # a flag id that no family names: the flag alone
        return flagged(ctx, key)
    out = []
    for item in ctx.recognised:
        ing = item.ingredient
        assert ing is not None
        fact = next((f for f in ing.flags if f["id"] in family.flags), None)
        if fact is not None:
            out.append(with_item(item, reason=fact["reason"], source=fact["source"]))
            continue
        why = family_reason(key, ing.inci_name, frozenset())
        if why:
            out.append(with_item(item, reason=why, source="profile"))
    return out


def _family_why(term: str, key: str | None) -> str:
    """What the avoid finding says it looked for: the family's meaning and its basis."""
    family = FAMILIES.get(key) if key else None
    if family is None:
        return f"You asked to avoid {term}."
    said = f"You asked to avoid {term}. {family.why}"
    return said if family.source == "incilens" else f"{said} Source: {family.source}."


def for_you(
    ctx: Context,
    profile: Profile,
    avoid: Mapping[str, frozenset[str] | str],
    avoid_unknown: Sequence[str],
) -> list[dict[str, Any]]:
    """What matters to this profile, most important first, each with why and the evidence."""
    out: list[dict[str, Any]] = []

    def add(kind: str, title: str, why: str, items: list[dict[str, Any]]) -> None:
        if items:
            sources = sorted(
                {i["source"] for i in items if i.get("source")}
                | {s for i in items for s in i.get("sources", ())}
            )
            out.append({"id": kind, "title": title, "why": why, "items": items, "sources": sources})

    for term, target in avoid.items():
        if isinstance(target, str):
            items = _family_items(ctx, target)
        else:
            items = [
                with_item(i, reason="on your avoid list", source="profile")
                for i in ctx.recognised
                if i.ingredient and i.ingredient.id in target
            ]
        why = _family_why(term, target if isinstance(target, str) else None)
        add("avoid", f"On your avoid list: {term}", why, items)
    if profile.pregnant_or_breastfeeding:
        add(
            "pregnancy",
            "Pregnancy and breastfeeding",
            "These carry a caution for pregnancy or breastfeeding; ask your doctor.",
            fact_items(ctx, lambda i: i.pregnancy, "caution", "note"),
        )
    if profile.vegan:
        finding = vegan(ctx)
        add("vegan", "Not vegan", "You want vegan products.", finding["items"])
        add(
            "vegan_depends",
            "May not be vegan",
            "Depends on the supplier; ask the brand.",
            finding["depends"],
        )
    conditions = profile.conditions
    if "acne" in conditions or "oily" in conditions:
        limit = 3 if "acne" in conditions else 4
        high = [r for r in comedogenic(ctx)["rated"] if r["max"] >= limit]
        add(
            "comedogenic",
            "May clog pores",
            f"Rated {limit} or more on the 0-5 comedogenic scale, which matters for "
            f"{'acne-prone' if 'acne' in conditions else 'oily'} skin.",
            high,
        )
    if "fungal_acne" in conditions:
        add(
            "fungal_acne",
            "Fungal-acne triggers",
            "These can feed Malassezia yeast, which drives fungal acne.",
            flagged(ctx, "fungal_acne_trigger"),
        )
    if conditions & {"sensitive", "rosacea", "eczema"}:
        irritants = []
        for flag in ("fragrance", "fragrance_allergen", "essential_oil", "drying_alcohol"):
            irritants.extend(flagged(ctx, flag))
        add(
            "irritants",
            "Common irritants for reactive skin",
            "Fragrance, fragrance allergens, essential oils and drying alcohols are frequent "
            "triggers for sensitive, rosacea-prone and eczema-prone skin.",
            dedupe(irritants),
        )
    if "dry" in conditions:
        add(
            "drying",
            "Can dry the skin",
            "Drying alcohols and sulfate surfactants strip oils from dry skin.",
            dedupe(flagged(ctx, "drying_alcohol") + flagged(ctx, "sulfate_surfactant")),
        )
    words = {_CONDITION_WORDS.get(c, c) for c in conditions}
    unsuited = []
    for item in ctx.recognised:
        st = item.ingredient.skin_types if item.ingredient else None
        hits = sorted(words & set(st["not_ideal_for"])) if st else []
        if st and hits:
            unsuited.append(
                with_item(item, reason=st["reason"], source=st["source"], conditions=hits)
            )
    add(
        "not_ideal",
        "Not ideal for your skin",
        "Our curated notes say these do not suit the skin type or concern in your profile.",
        unsuited,
    )
    if avoid_unknown:
        # The terms are in the title too, so a client that shows only titles still names them.
        named = ", ".join(avoid_unknown)
        out.append(
            {
                "id": "avoid_unknown",
                "title": f"Avoid-list terms we do not know: {named}",
                "why": f"These names matched no ingredient or family, so they were not "
                f"checked: {named}. Check the spelling, or use an everyday word we know "
                "(nuts, coconut, fragrance, silicones ...) or the ingredient's INCI name.",
                "items": [],
                "sources": [],
                "terms": list(avoid_unknown),
            }
        )
    return out
