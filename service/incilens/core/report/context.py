"""The shared context of the report's findings: the items indexed once, and common helpers.

Every finding uses them: the flags, the claims and the personal findings alike.

:class:`Context` indexes the recognised items by flag and by look-alike; the functions below
turn them into the entries of a finding (each naming the item's position, name and span and the
source of its fact). :func:`comedogenic` and :func:`vegan` are findings in their own right that
the claims and the personal findings also read. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from incilens.core.report.model import Item

__all__ = [
    "Context",
    "comedogenic",
    "dedupe",
    "fact_items",
    "flagged",
    "look_alikes_of",
    "make_flag",
    "vegan",
    "with_item",
]


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


def with_item(item: Item, **extra: Any) -> dict[str, Any]:
    """The item's short reference with ``extra`` fields: one entry of a finding."""
    return {**item.ref(), **extra}


def flagged(ctx: Context, flag: str) -> list[dict[str, Any]]:
    """The entries of the items carrying ``flag``, each with its reason and source."""
    return [
        with_item(item, reason=fact["reason"], source=fact["source"])
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


def look_alikes_of(ctx: Context, flag: str) -> list[dict[str, Any]]:
    """The items that only look like ``flag``'s family, each with why they are not."""
    return [with_item(item, why=why) for item, why in ctx.look_alikes.get(flag, ())]


def make_flag(
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
    """One flag of the summary: present (with ``items``), absent, or withheld."""
    status = "present" if items else ("absent" if ctx.reliable else "withheld")
    name = label or ctx.flag_labels.get(flag, flag.replace("_", " ").capitalize())
    if status == "absent" and absent_label:
        name = absent_label
    return {
        "id": flag,
        "label": name,
        "status": status,
        "items": items,
        "not_counted": not_counted if not_counted is not None else look_alikes_of(ctx, flag),
        "detail": detail,
        "sources": sorted({i["source"] for i in items if i.get("source")}),
        **extra,
    }


def fact_items(
    ctx: Context, get: Callable[[Any], Mapping[str, Any] | None], key: str, note: str
) -> list[dict[str, Any]]:
    """The entries of the items whose fact (``get``) has ``key`` set, with its note."""
    out = []
    for item in ctx.recognised:
        fact = get(item.ingredient)
        if fact and fact.get(key):
            out.append(with_item(item, reason=fact.get(note, ""), source=fact.get("source", "")))
    return out


def comedogenic(ctx: Context) -> dict[str, Any]:
    """The comedogenic finding: items rated 3 of 5 or more, with every rating read."""
    rated = []
    for item in ctx.recognised:
        rating = item.ingredient.comedogenic if item.ingredient else None
        if rating is not None:
            sources = sorted({s["source"] for s in rating.get("sources", ())})
            rated.append(with_item(item, min=rating["min"], max=rating["max"], sources=sources))
    high = [r for r in rated if r["max"] >= 3]
    highest = max((r["max"] for r in rated), default=None)
    top = [r["name"] for r in rated if r["max"] == highest]
    detail = (
        f"Highest comedogenic rating {highest:g} of 5: {', '.join(top)}."
        if highest is not None
        else "No listed ingredient has a published comedogenic rating."
    )
    flag = make_flag(
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


def vegan(ctx: Context) -> dict[str, Any]:
    """The vegan finding: not vegan, depends on the supplier, unknown, or vegan."""
    groups: dict[str, list[dict[str, Any]]] = {"not_vegan": [], "depends": [], "unknown": []}
    for item in ctx.recognised:
        assert item.ingredient is not None
        fact = item.ingredient.vegan
        if fact["status"] in groups:
            groups[fact["status"]].append(
                with_item(item, reason=fact.get("reason", ""), source=fact.get("source", ""))
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


def dedupe(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries in list order, each item once."""
    seen: set[int] = set()
    out = []
    for i in sorted(items, key=lambda x: x["position"]):
        if i["position"] not in seen:
            seen.add(i["position"])
            out.append(i)
    return out
