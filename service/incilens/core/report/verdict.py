"""The verdict: what matters most about this product for this shopper, first. Pure: no I/O.

It is read from the findings the summary already holds and the amounts printed on the label,
never from new facts: what the law says (an ingredient banned in EU cosmetics, a printed amount
above the EU maximum), a pack claim the list contradicts, what the shopper's profile asks, then
the few flags worth knowing for anyone (pregnancy caution, sun sensitivity, formaldehyde
releasers, fragrance). Each entry names its items and sources. The other flags are listed by
weight, heaviest first (``flag_order``), so every client shows them in the same order; flags
that found nothing become positive badges (``free_of``, "Paraben-free") only when the read is
reliable, since an absence in a half-read list proves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from incilens.core.report.model import Counts, Finding, Reliability

__all__ = ["FLAG_WEIGHTS", "FREE_OF_LABELS", "NOTABLE_FLAGS", "build_verdict", "flag_weight"]

#: How much each product flag weighs, heaviest first: flags are shown in this order.
FLAG_WEIGHTS: Mapping[str, int] = {
    "eu_prohibited": 100,
    "pregnancy_caution": 90,
    "formaldehyde_releaser": 80,
    "photosensitising": 75,
    "fragrance": 70,
    "fragrance_allergen": 65,
    "retinoid": 60,
    "essential_oil": 55,
    "drying_alcohol": 50,
    "eu_restricted": 45,
    "paraben": 40,
    "sulfate_surfactant": 40,
    "comedogenic": 35,
    "vegan": 30,
    "fungal_acne_trigger": 25,
    "reef_concern": 20,
    "silicone": 15,
    "mineral_oil": 15,
}

#: Flags worth a line in the verdict for any shopper, with the line's title and severity.
NOTABLE_FLAGS: Mapping[str, tuple[str, str, str]] = {
    "pregnancy_caution": (
        "Caution in pregnancy and breastfeeding",
        "moderate",
        "Our curated notes advise caution with these when pregnant or breastfeeding; ask your "
        "doctor.",
    ),
    "photosensitising": (
        "Makes skin more sensitive to the sun",
        "moderate",
        "Use sun protection on the days you use it.",
    ),
    "formaldehyde_releaser": (
        "Contains a formaldehyde releaser",
        "moderate",
        "It slowly releases small amounts of formaldehyde, a common contact allergen.",
    ),
    "fragrance": (
        "Contains fragrance",
        "low",
        "Fragrance is a common cause of skin reactions; it matters if your skin is sensitive.",
    ),
}

#: The positive badge of a flag that found nothing in a reliable read.
FREE_OF_LABELS: Mapping[str, str] = {
    "fragrance": "Fragrance-free",
    "fragrance_allergen": "No listed EU fragrance allergens",
    "essential_oil": "No essential oils",
    "paraben": "Paraben-free",
    "formaldehyde_releaser": "No formaldehyde releasers",
    "silicone": "Silicone-free",
    "sulfate_surfactant": "Sulfate-free",
    "drying_alcohol": "No drying alcohol",
    "mineral_oil": "Mineral-oil-free",
    "retinoid": "No retinoids",
}

# Profile findings that weigh most: what the shopper named, and pregnancy.
_PROFILE_SEVERITY = {
    "avoid": "high",
    "pregnancy": "high",
    "vegan": "moderate",
    "vegan_depends": "low",
    "avoid_unknown": "info",
}
_SEVERITY_RANK = {"high": 0, "moderate": 1, "low": 2, "info": 3}
_SHOWN = frozenset({"present", "not_vegan", "depends"})
# The profile findings that already say what a notable flag would (when they name its items).
_COVERED_BY = {
    "pregnancy_caution": frozenset({"pregnancy", "avoid"}),
    "fragrance": frozenset({"irritants", "avoid"}),
    "photosensitising": frozenset({"avoid"}),
    "formaldehyde_releaser": frozenset({"avoid"}),
}


def _entry(
    kind: str,
    finding_id: str,
    severity: str,
    title: str,
    why: str,
    items: Sequence[Mapping[str, Any]],
    sources: Sequence[str] = (),
) -> dict[str, Any]:
    return {
        "kind": kind,
        "id": finding_id,
        "severity": severity,
        "title": title,
        "why": why,
        "items": [{k: i[k] for k in ("position", "name", "start", "end") if k in i} for i in items],
        "sources": sorted(set(sources)),
    }


def flag_weight(flag: Mapping[str, Any]) -> int:
    """How much a flag weighs (:data:`FLAG_WEIGHTS`); "may be animal-derived" weighs less."""
    return FLAG_WEIGHTS.get(str(flag["id"]), 10) - (20 if flag["status"] == "depends" else 0)


def _names(items: Sequence[Mapping[str, Any]], limit: int = 3) -> str:
    names = list(dict.fromkeys(str(i["name"]) for i in items))
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def build_verdict(
    *,
    reliability: Reliability,
    counts: Counts,
    for_you: Sequence[Finding],
    flags: Sequence[Finding],
    claims: Sequence[Finding],
    above_limit: Sequence[Finding] = (),
    profile_set: bool = False,
) -> dict[str, Any]:
    """The verdict block: a headline, the findings by severity, the flags' order and badges.

    ``above_limit``: items whose printed percentage is above every EU maximum for them (each
    with ``percent``, ``annex``, ``ref``, ``max_concentration``, ``product_type``, ``source``).

    Returns a JSON-shaped mapping: ``headline`` (one sentence), ``withheld`` (the read is too
    unreliable for verdicts that rest on an absence), ``findings`` (``kind`` law, claim,
    profile or notable; ``severity`` high, moderate, low or info; ``title``, ``why``, ``items``,
    ``sources``; by severity, and within one severity law, claim, profile, notable),
    ``flag_order`` (every flag id, heaviest first), ``other_flags`` (the ids of the flags with
    something to show that the findings do not already cover), ``free_of`` and
    ``nothing_found`` (``{id, label}`` of flags that found nothing; empty when withheld).
    """
    withheld = not reliability.verdicts
    findings: list[dict[str, Any]] = []
    by_id = {str(f["id"]): f for f in flags}

    banned = by_id.get("eu_prohibited")
    if banned and banned["status"] == "present":
        findings.append(
            _entry(
                "law",
                "eu_prohibited",
                "high",
                "Banned in EU cosmetics",
                f"Listed in Annex II of the EU Cosmetics Regulation: {_names(banned['items'])}.",
                banned["items"],
                banned.get("sources", ()),
            )
        )
    if above_limit:
        findings.append(
            _entry(
                "law",
                "eu_above_limit",
                "high",
                "Above the EU maximum",
                " ".join(
                    f"The label gives {i['name']} {i['percent']}; Annex {i['annex']}/{i['ref']} "
                    f"allows at most {i['max_concentration']}"
                    + (f" ({i['product_type']})." if i.get("product_type") else ".")
                    for i in above_limit
                ),
                above_limit,
                [str(i["source"]) for i in above_limit],
            )
        )
    for claim in claims:
        if claim["verdict"] == "contradicted":
            findings.append(
                _entry(
                    "claim",
                    f"claim_{claim['claim']}",
                    "moderate",
                    f"The pack says “{claim['label']}”, but the list disagrees",
                    str(claim["explanation"]),
                    claim["items"],
                    [i["source"] for i in claim["items"] if i.get("source")],
                )
            )
    covered: dict[str, set[int]] = {}
    for mine in for_you:
        severity = _PROFILE_SEVERITY.get(str(mine["id"]), "moderate")
        findings.append(
            _entry(
                "profile",
                str(mine["id"]),
                severity,
                str(mine["title"]),
                str(mine["why"]),
                mine["items"],
                mine.get("sources", ()),
            )
        )
        covered.setdefault(str(mine["id"]), set()).update(int(i["position"]) for i in mine["items"])
    notable: set[str] = set()
    for flag_id, (title, severity, why) in NOTABLE_FLAGS.items():
        flag = by_id.get(flag_id)
        if not flag or flag["status"] != "present":
            continue
        said = set().union(*(covered.get(k, set()) for k in _COVERED_BY.get(flag_id, ())))
        if {int(i["position"]) for i in flag["items"]} <= said:
            notable.add(flag_id)  # a profile finding on the same topic names every item
            continue
        notable.add(flag_id)
        findings.append(
            _entry(
                "notable",
                flag_id,
                severity,
                title,
                why,
                flag["items"],
                flag.get("sources", ()),
            )
        )

    # By severity; within one severity, law before claims before the profile before the rest.
    findings.sort(key=lambda f: _SEVERITY_RANK[f["severity"]])
    ordered = sorted(flags, key=lambda f: -flag_weight(f))
    other = [
        str(f["id"])
        for f in ordered
        if str(f["id"]) not in notable
        and str(f["id"]) != "eu_prohibited"
        and (
            f["status"] in _SHOWN
            or (f["id"] == "fragrance" and f["status"] == "absent" and f.get("not_counted"))
            or (f["id"] == "vegan" and f["status"] == "unknown" and not withheld)
        )
    ]
    free_of: list[dict[str, str]] = []
    nothing: list[dict[str, str]] = []
    if not withheld:
        for f in ordered:
            fid = str(f["id"])
            if fid == "vegan" and f["status"] == "vegan":
                free_of.append({"id": fid, "label": "Vegan"})
            elif f["status"] != "absent" or fid in other:
                continue
            elif fid in FREE_OF_LABELS:
                free_of.append({"id": fid, "label": FREE_OF_LABELS[fid]})
            else:
                nothing.append({"id": fid, "label": str(f["label"])})

    return {
        "headline": _headline(counts, findings, withheld, profile_set),
        "withheld": withheld,
        "findings": findings,
        "flag_order": [str(f["id"]) for f in ordered],
        "other_flags": other,
        "free_of": free_of,
        "nothing_found": nothing,
    }


def _headline(
    counts: Counts, findings: Sequence[Mapping[str, Any]], withheld: bool, profile_set: bool
) -> str:
    real = [f for f in findings if f["items"]]
    if counts.items == 0:
        return "No ingredient list was found, so there is no verdict."
    if withheld:
        read = f"only {counts.recognised} of {counts.items} items were recognised"
        if real:
            return (
                f"{len(real)} {'thing' if len(real) == 1 else 'things'} to know from the part "
                f"that could be read; {read}, so nothing can be said about the rest."
            )
        return f"No verdict: {read}, so this read cannot show what the product is free of."
    if not real:
        return (
            "Nothing here stands out: no EU-banned ingredient, no formaldehyde releaser, "
            "no pregnancy or sun caution"
            + (", nothing against your profile." if profile_set else ".")
        )
    first = real[0]
    more = len(real) - 1
    tail = f" (and {more} more {'finding' if more == 1 else 'findings'} below)" if more else ""
    title, names = first["title"], _names(first["items"])
    said = f"{title} ({names})" if ":" in title else f"{title}: {names}"
    return f"{said}{tail}."
