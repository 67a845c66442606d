"""The product flags and the notable actives of the summary.

Every flag names the items behind it and the source of each fact, and lists the look-alikes
deliberately not counted ("Cetyl Alcohol is a fatty alcohol, not a drying alcohol"), so a
shopper sees why a scary-sounding name was left out. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from incilens.core.report.context import (
    Context,
    comedogenic,
    fact_items,
    flagged,
    look_alikes_of,
    make_flag,
    vegan,
    with_item,
)

__all__ = ["FLAG_ORDER", "actives", "product_flags"]

#: The product flags, in the order they are reported, taken from the KB's per-ingredient flags.
FLAG_ORDER = (
    "fragrance",
    "fragrance_allergen",
    "essential_oil",
    "paraben",
    "formaldehyde_releaser",
    "silicone",
    "sulfate_surfactant",
    "drying_alcohol",
    "fungal_acne_trigger",
    "reef_concern",
    "mineral_oil",
    "retinoid",
)


def product_flags(ctx: Context) -> list[dict[str, Any]]:
    """Every product flag: present (with its items), absent, or withheld (unreliable read)."""
    flags = []
    for flag in FLAG_ORDER:
        items = flagged(ctx, flag)
        detail = ""
        if flag == "fragrance" and not items:
            scent = look_alikes_of(ctx, "fragrance")
            detail = (
                "No fragrance is listed, but these ingredients add scent: "
                + ", ".join(s["name"] for s in scent)
                if scent
                else "No fragrance is listed."
            )
        flags.append(
            make_flag(
                ctx,
                flag,
                items,
                absent_label="Fragrance-free" if flag == "fragrance" else None,
                detail=detail,
            )
        )
    flags.append(comedogenic(ctx))
    flags.append(vegan(ctx))
    flags.append(
        make_flag(
            ctx,
            "pregnancy_caution",
            fact_items(ctx, lambda i: i.pregnancy, "caution", "note"),
            label="Pregnancy and breastfeeding caution",
            not_counted=[],
        )
    )
    flags.append(
        make_flag(
            ctx,
            "photosensitising",
            fact_items(ctx, lambda i: i.photosensitizing, "value", "note"),
            label="Makes skin more sensitive to the sun",
            not_counted=[],
        )
    )
    flags.extend(_eu(ctx))
    return flags


def _eu(ctx: Context) -> list[dict[str, Any]]:
    prohibited: list[dict[str, Any]] = []
    restricted: list[dict[str, Any]] = []
    conditional: list[dict[str, Any]] = []
    for item in ctx.recognised:
        assert item.ingredient is not None
        for fact in item.ingredient.eu:
            entry = with_item(
                item,
                annex=fact["annex"],
                ref=fact["ref"],
                status=fact["status"],
                max_concentration=fact.get("max_concentration", ""),
                product_type=fact.get("product_type", ""),
                condition=fact.get("condition", ""),
                warnings=fact.get("warnings", ""),
                source=fact["source"],
            )
            if fact.get("conditional"):
                # A row that bans or limits it only under a condition: "restricted under
                # conditions", never counted as prohibited.
                conditional.append(
                    {
                        **entry,
                        "why": f"restricted under conditions (Annex {fact['annex']} entry "
                        f"{fact['ref']}): {fact['condition']}",
                    }
                )
            elif fact["annex"] == "II":
                prohibited.append(entry)
            elif fact["annex"] in ("III", "V", "VI"):
                # Annex V (preservatives) and VI (UV filters) set limits too: a rinse-off-only
                # preservative must never leave this flag "absent".
                restricted.append(entry)
    return [
        make_flag(ctx, "eu_prohibited", prohibited, not_counted=conditional),
        make_flag(
            ctx,
            "eu_restricted",
            restricted,
            detail="Allowed in the EU only within the limits listed for each item (maximum "
            "concentration, product types, label warnings).",
            not_counted=[],
        ),
        make_flag(
            ctx,
            "eu_conditional",
            conditional,
            detail="Banned or limited in the EU only under the condition quoted for each item.",
            not_counted=[],
        ),
    ]


def actives(ctx: Context) -> list[dict[str, Any]]:
    """Notable actives with what they do and what their position suggests."""
    out = []
    for item in ctx.recognised:
        assert item.ingredient is not None
        active = item.ingredient.notable_active
        if active:
            position = [n["text"] for n in item.notes if n["kind"] == "position"]
            out.append(
                with_item(
                    item, what=active["text"], source=active["source"], position_note=position
                )
            )
    return out
