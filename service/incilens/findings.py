"""Per-product findings: flags with their look-alikes, profile matters, claims, actives.

Every finding names the items behind it (position, name and span) and the source of each fact.
Flags also list the look-alikes deliberately not counted ("Cetyl Alcohol is a fatty alcohol, not
a drying alcohol"), so a shopper sees why a scary-sounding name was left out. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from incilens.report import Item

__all__ = ["Context", "actives", "product_flags"]

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

# Look-alikes: names that sound like the family but are not in it, and why.
_LOOK_ALIKES: dict[str, tuple[re.Pattern[str], str]] = {
    "silicone": (
        re.compile(r"SILICA|SILICATE|SILK|SILICON\b"),
        "sounds like a silicone but has no siloxane chain",
    ),
    "sulfate_surfactant": (
        re.compile(r"SULFATE|SULPHATE|SULFONATE|SULFOSUCCINATE|ISETHIONATE|TAURATE|SARCOSINATE"),
        "a mineral salt or a milder surfactant, not a sulfate surfactant",
    ),
    "drying_alcohol": (
        re.compile(r"ALCOHOL"),
        "has 'alcohol' in its name but is not a drying (short-chain) alcohol",
    ),
    "paraben": (
        re.compile(r"BENZOATE|BENZOIC"),
        "a benzoate preservative, not a paraben",
    ),
    "formaldehyde_releaser": (
        re.compile(r"UREA|HYDANTOIN|FORMALDEHYDE"),
        "not a formaldehyde releaser",
    ),
    "essential_oil": (
        re.compile(r"\bOIL$"),
        "a fixed (carrier) oil, not an essential oil",
    ),
}


@dataclass(frozen=True)
class Context:
    """What every finding looks at: the items and whether absence verdicts may be given."""

    items: tuple[Item, ...]
    reliable: bool
    flag_labels: Mapping[str, str]
    recognised: tuple[Item, ...] = ()
    by_flag: Mapping[str, tuple[tuple[Item, Mapping[str, Any]], ...]] = field(default_factory=dict)
    look_alikes: Mapping[str, tuple[tuple[Item, str], ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, items: Sequence[Item], *, reliable: bool, flag_labels: Mapping[str, str]
    ) -> Context:
        """Index the items once: the recognised ones, and every flag with its items."""
        recognised = tuple(i for i in items if i.ingredient is not None)
        by_flag: dict[str, list[tuple[Item, Mapping[str, Any]]]] = {}
        look_alikes: dict[str, list[tuple[Item, str]]] = {}
        for item in recognised:
            ing = item.ingredient
            assert ing is not None
            for fact in ing.flags:
                by_flag.setdefault(fact["id"], []).append((item, fact))
            for flag, why in _resemblances(ing.inci_name, ing.flag_ids):
                look_alikes.setdefault(flag, []).append((item, why))
        return cls(
            tuple(items),
            reliable,
            flag_labels,
            recognised,
            {k: tuple(v) for k, v in by_flag.items()},
            {k: tuple(v) for k, v in look_alikes.items()},
        )


def _with(item: Item, **extra: Any) -> dict[str, Any]:
    return {**item.ref(), **extra}


def _flagged(ctx: Context, flag: str) -> list[dict[str, Any]]:
    return [
        _with(item, reason=fact["reason"], source=fact["source"])
        for item, fact in ctx.by_flag.get(flag, ())
    ]


@lru_cache(maxsize=8192)
def _resemblances(inci_name: str, flag_ids: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The flags an ingredient only looks like it belongs to, and why (cached per entry)."""
    out = []
    for flag in (*_LOOK_ALIKES, "fragrance"):
        if flag in flag_ids:
            continue
        why = None
        if flag == "drying_alcohol" and "fatty_alcohol" in flag_ids:
            why = "a fatty alcohol: it softens skin rather than drying it"
        elif flag == "fragrance" and ({"essential_oil", "fragrance_allergen"} & flag_ids):
            why = "adds scent, but is listed as its own ingredient rather than as 'fragrance'"
        elif flag == "essential_oil" and "mineral_oil" in flag_ids:
            why = None
        elif flag in _LOOK_ALIKES and _LOOK_ALIKES[flag][0].search(inci_name):
            why = _LOOK_ALIKES[flag][1]
        if why:
            out.append((flag, why))
    return tuple(out)


def _look_alikes(ctx: Context, flag: str) -> list[dict[str, Any]]:
    return [_with(item, why=why) for item, why in ctx.look_alikes.get(flag, ())]


def _flag(
    ctx: Context,
    flag: str,
    items: list[dict[str, Any]],
    *,
    label: str | None = None,
    absent_label: str | None = None,
    detail: str = "",
    not_counted: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    status = "present" if items else ("absent" if ctx.reliable else "withheld")
    name = label or ctx.flag_labels.get(flag, flag.replace("_", " ").capitalize())
    if status == "absent" and absent_label:
        name = absent_label
    return {
        "id": flag,
        "label": name,
        "status": status,
        "items": items,
        "not_counted": not_counted if not_counted is not None else _look_alikes(ctx, flag),
        "detail": detail,
        "sources": sorted({i["source"] for i in items if i.get("source")}),
        **extra,
    }


def product_flags(ctx: Context) -> list[dict[str, Any]]:
    """Every product flag: present (with its items), absent, or withheld (unreliable read)."""
    flags = []
    for flag in FLAG_ORDER:
        items = _flagged(ctx, flag)
        detail = ""
        if flag == "fragrance" and not items:
            scent = _look_alikes(ctx, "fragrance")
            detail = (
                "No fragrance is listed, but these ingredients add scent: "
                + ", ".join(s["name"] for s in scent)
                if scent
                else "No fragrance is listed."
            )
        flags.append(
            _flag(
                ctx,
                flag,
                items,
                absent_label="Fragrance-free" if flag == "fragrance" else None,
                detail=detail,
            )
        )
    flags.append(_comedogenic(ctx))
    flags.append(_vegan(ctx))
    flags.append(
        _flag(
            ctx,
            "pregnancy_caution",
            _fact_items(ctx, lambda i: i.pregnancy, "caution", "note"),
            label="Pregnancy and breastfeeding caution",
            not_counted=[],
        )
    )
    flags.append(
        _flag(
            ctx,
            "photosensitising",
            _fact_items(ctx, lambda i: i.photosensitizing, "value", "note"),
            label="Makes skin more sensitive to the sun",
            not_counted=[],
        )
    )
    flags.extend(_eu(ctx))
    return flags


def _fact_items(
    ctx: Context, get: Callable[[Any], Mapping[str, Any] | None], key: str, note: str
) -> list[dict[str, Any]]:
    out = []
    for item in ctx.recognised:
        fact = get(item.ingredient)
        if fact and fact.get(key):
            out.append(_with(item, reason=fact.get(note, ""), source=fact.get("source", "")))
    return out


def _comedogenic(ctx: Context) -> dict[str, Any]:
    rated = []
    for item in ctx.recognised:
        rating = item.ingredient.comedogenic if item.ingredient else None
        if rating is not None:
            sources = sorted({s["source"] for s in rating.get("sources", ())})
            rated.append(_with(item, min=rating["min"], max=rating["max"], sources=sources))
    high = [r for r in rated if r["max"] >= 3]
    highest = max((r["max"] for r in rated), default=None)
    top = [r["name"] for r in rated if r["max"] == highest]
    detail = (
        f"Highest comedogenic rating {highest:g} of 5: {', '.join(top)}."
        if highest is not None
        else "No listed ingredient has a published comedogenic rating."
    )
    flag = _flag(
        ctx,
        "comedogenic",
        high,
        label="Comedogenic (pore-clogging) ratings of 3 or more",
        detail=detail,
        not_counted=[],
        highest=highest,
        rated=rated,
    )
    flag["sources"] = sorted({s for r in high for s in r["sources"]})
    return flag


def _vegan(ctx: Context) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {"not_vegan": [], "depends": [], "unknown": []}
    for item in ctx.recognised:
        assert item.ingredient is not None
        fact = item.ingredient.vegan
        if fact["status"] in groups:
            groups[fact["status"]].append(
                _with(item, reason=fact.get("reason", ""), source=fact.get("source", ""))
            )
    unrecognised = len(ctx.items) - len(ctx.recognised)
    if groups["not_vegan"]:
        status, label = "not_vegan", "Not vegan"
    elif not ctx.reliable:
        status, label = "withheld", "Vegan status withheld (unreliable read)"
    elif groups["depends"]:
        status, label = "depends", "Vegan depends on the supplier"
    elif groups["unknown"] or unrecognised:
        status, label = "unknown", "Vegan status unknown"
    else:
        status, label = "vegan", "Vegan (every ingredient)"
    return {
        "id": "vegan",
        "label": label,
        "status": status,
        "items": groups["not_vegan"],
        "depends": groups["depends"],
        "unknown": groups["unknown"],
        "not_counted": [],
        "detail": f"{unrecognised} unrecognised item(s) could not be checked."
        if unrecognised
        else "",
        "sources": sorted({i["source"] for g in groups.values() for i in g if i["source"]}),
    }


def _eu(ctx: Context) -> list[dict[str, Any]]:
    prohibited: list[dict[str, Any]] = []
    restricted: list[dict[str, Any]] = []
    conditional: list[dict[str, Any]] = []
    for item in ctx.recognised:
        assert item.ingredient is not None
        for fact in item.ingredient.eu:
            entry = _with(
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
                conditional.append({**entry, "why": f"prohibited only {fact['condition']}"})
            elif fact["annex"] == "II":
                prohibited.append(entry)
            elif fact["annex"] == "III":
                restricted.append(entry)
    return [
        _flag(ctx, "eu_prohibited", prohibited, not_counted=conditional),
        _flag(
            ctx,
            "eu_restricted",
            restricted,
            detail="Allowed only within the conditions listed for each item.",
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
                _with(item, what=active["text"], source=active["source"], position_note=position)
            )
    return out


def _dedupe(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[int] = set()
    out = []
    for i in sorted(items, key=lambda x: x["position"]):
        if i["position"] not in seen:
            seen.add(i["position"])
            out.append(i)
    return out
