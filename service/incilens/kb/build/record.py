"""One knowledge-base record: the entry under construction and how its JSON is assembled.

Used by :mod:`incilens.kb.build`; pure (no I/O).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from incilens.core.normalize import display_name, name_key
from incilens.kb.build import annex as annex_mod
from incilens.kb.build import rules
from incilens.kb.build.sources import AnnexRow, CosingRow

__all__ = ["Entry", "collect_sources", "eu_record", "make_record", "parse_rating"]

_RATING = re.compile(r"^\s*(\d(?:\.\d)?)\s*(?:-\s*(\d(?:\.\d)?))?\s*$")


def parse_rating(value: str) -> tuple[float, float] | None:
    """Parse a 0-5 rating such as ``"2"``, ``"0-1"`` or ``"3 "``; ``"?"`` and junk give None.

    Examples:
        >>> parse_rating("0-1")
        (0.0, 1.0)
        >>> parse_rating("?") is None
        True
    """
    m = _RATING.match(value)
    if not m:
        return None
    low = float(m.group(1))
    high = float(m.group(2)) if m.group(2) else low
    if not 0 <= low <= high <= 5:
        return None
    return (low, high)


@dataclass
class Entry:
    """An entry under construction."""

    id: str
    inci_name: str
    cosing: CosingRow | None = None
    glossary_entry: int | None = None
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)
    same_as: set[str] = field(default_factory=set)
    current_name: str | None = None
    flags: dict[str, dict[str, str]] = field(default_factory=dict)
    eu: list[dict[str, Any]] = field(default_factory=list)
    eu_upcoming: list[dict[str, Any]] = field(default_factory=list)
    comedogenic: list[dict[str, Any]] = field(default_factory=list)
    irritancy: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    profile_source: str = ""
    key: str = field(init=False)

    def __post_init__(self) -> None:
        self.key = name_key(self.inci_name)

    def add_synonym(self, name: str, kind: str, source: str) -> None:
        """Add another name, unless it is the entry's own (first source wins)."""
        if name_key(name) != self.key:
            self.synonyms.setdefault(name_key(name), {"name": name, "kind": kind, "source": source})

    def add_flag(self, flag: str, reason: str, source: str) -> None:
        """Raise a flag with its reason (the first reason given wins)."""
        self.flags.setdefault(flag, {"reason": reason, "source": source})


def make_record(entry: Entry, functions_plain: dict[str, str]) -> dict[str, Any]:
    """Assemble one entry's JSON record: rules, flags, curated facts and its concern."""
    cos = entry.cosing
    description = cos.description if cos else ""
    fn_names = list(cos.functions) if cos else []
    facts = rules.EntryFacts(entry.key, frozenset(fn_names), description)
    for hit in rules.classify(facts):
        entry.add_flag(hit.id, hit.reason, hit.source)
    _annex_flags(entry)
    origin = rules.origin_of(facts)
    p = entry.profile
    psrc = entry.profile_source
    sources: set[str] = set()

    functions = [
        {"name": f, "plain": functions_plain.get(f, ""), "source": "cosing"} for f in fn_names
    ]
    if p is not None and "functions" in p:
        for f in p["functions"]:
            if f not in fn_names:
                functions.append({"name": f, "plain": functions_plain.get(f, ""), "source": psrc})
    origin_fact = {"value": origin.origin, "reason": origin.reason, "source": origin.source}
    vegan_fact = {"status": origin.vegan, "reason": origin.reason, "source": origin.source}
    if p is not None and "origin" in p:
        origin_fact = {"value": p["origin"], "reason": "Curated.", "source": psrc}
        implied = _VEGAN_BY_ORIGIN.get(p["origin"])
        if implied and "vegan" not in p:
            vegan_fact = {
                "status": implied,
                "reason": f"Curated origin: {p['origin']}.",
                "source": psrc,
            }
        elif p["origin"] == "mixed" and "vegan" not in p and not _never_animal(origin, entry.key):
            # "mixed" is "depends" only where an animal source is possible: a fatty chain
            # (steareth, isopropyl myristate) or no rule that rules it out. Pentylene glycol,
            # synthetic or from sugar cane, keeps the rules' "vegan".
            vegan_fact = {
                "status": "depends",
                "reason": "Curated origin: mixed; an animal source is possible.",
                "source": psrc,
            }
    if p is not None and "fungal-acne" in p["not_ideal_for"]:
        # One rule for the flag and the profile: a profile that warns about fungal acne raises
        # the flag, with the profile's own reason.
        entry.add_flag("fungal_acne_trigger", p.get("not_ideal_reason", ""), psrc)
    if p is not None and "vegan" in p:
        vegan_fact = {"status": p["vegan"], "reason": p["vegan_reason"], "source": psrc}
    if vegan_fact["status"] == "not_vegan":
        key = "human_derived" if origin_fact["value"] == "human" else "animal_derived"
        entry.add_flag(key, vegan_fact["reason"], vegan_fact["source"])

    rec: dict[str, Any] = {
        "id": entry.id,
        "inci_name": entry.inci_name,
        "display_name": display_name(entry.inci_name),
        "current_inci_name": entry.current_name,
        "synonyms": sorted(entry.synonyms.values(), key=lambda s: s["name"].lower()),
        "same_as": sorted(entry.same_as),
        "cas": list(cos.cas) if cos else [],
        "ec": list(cos.ec) if cos else [],
        "cosing_ref": cos.ref if cos else None,
        "glossary_entry": entry.glossary_entry,
        "functions": functions,
        "description": {"text": description, "source": "cosing"} if description else None,
        "summary": {"text": " ".join(p["what_it_is"].split()), "source": psrc} if p else None,
        "notable_active": (
            {"text": p["notable_active"], "source": psrc} if p and "notable_active" in p else None
        ),
        "comedogenic": _rating(entry.comedogenic),
        "irritancy": _rating(entry.irritancy),
        "origin": origin_fact,
        "vegan": vegan_fact,
        "pregnancy": (
            {"caution": p["pregnancy_caution"], "note": p["pregnancy"], "source": psrc}
            if p
            else None
        ),
        "photosensitizing": (
            {"value": p["photosensitizing"], "note": p["sun"], "source": psrc} if p else None
        ),
        "side_effects": {"items": p["side_effects"], "source": psrc} if p else None,
        "skin_types": (
            {
                "not_ideal_for": p["not_ideal_for"],
                "reason": p.get("not_ideal_reason", ""),
                "suits": p.get("suits", ""),
                "source": psrc,
            }
            if p
            else None
        ),
        "flags": [
            {"id": k, "label": rules.FLAG_LABELS[k], **v} for k, v in sorted(entry.flags.items())
        ],
        "eu": entry.eu,
        "eu_upcoming": sorted(entry.eu_upcoming, key=lambda d: (d["date"], d["ref"])),
    }
    rec["concern"] = _concern(rec, p, psrc)
    for value in rec.values():
        collect_sources(value, sources)
    rec["sources"] = sorted(sources)
    return rec


def _never_animal(origin: rules.OriginVerdict, key: str) -> bool:
    """Whether the rules place it in a class with no animal source (and no fatty chain)."""
    no_animal = ("rule:synthetic", "rule:microbial", "rule:mineral", "rule:petroleum")
    return origin.source in no_animal and not rules.has_fatty_chain(key)


def collect_sources(value: Any, out: set[str]) -> None:
    """Add every ``source`` id found anywhere in ``value`` to ``out``."""
    if isinstance(value, dict):
        if isinstance(value.get("source"), str):
            out.add(value["source"])
        for v in value.values():
            collect_sources(v, out)
    elif isinstance(value, list):
        for v in value:
            collect_sources(v, out)


def eu_record(row: AnnexRow, link: annex_mod.EuLink) -> dict[str, Any]:
    """The ``eu`` fact of one annex link: the row's conditions plus how it was linked."""
    return {
        "annex": row.annex,
        "ref": row.ref,
        "status": (
            "restricted under conditions"
            if link.conditional and row.annex in ("II", "III")
            else annex_mod.ANNEX_STATUS[row.annex]
        ),
        "conditional": link.conditional,
        "condition": link.condition,
        "chemical_name": row.chemical_name,
        "product_type": row.product_type,
        "max_concentration": row.max_concentration,
        "other": row.other,
        "warnings": row.warnings,
        "regulation": row.regulation,
        "updated": row.updated,
        "link_basis": link.basis,
        "source": f"eu-annex-{row.annex}/{row.ref}",
    }


def _annex_flags(entry: Entry) -> None:
    for eu in entry.eu:
        src = eu["source"]
        if eu["annex"] == "II" and not eu["conditional"]:
            entry.add_flag(
                "eu_prohibited",
                f"Listed in Annex II (entry {eu['ref']}): banned in EU cosmetics.",
                src,
            )
        elif eu["annex"] == "II":
            # A row that bans it only in some uses, grades or forms: never an "EU prohibited"
            # chip (butane is banned only with >= 0.1 % butadiene).
            entry.add_flag(
                "eu_conditional",
                f"Restricted under conditions: banned in the EU only in some cases (Annex II "
                f"entry {eu['ref']}): {eu['condition']}",
                src,
            )
        elif eu["annex"] == "III" and not eu["conditional"]:
            entry.add_flag(
                "eu_restricted",
                f"Allowed in the EU only within the limits of Annex III entry {eu['ref']}.",
                src,
            )
        elif eu["annex"] == "III":
            entry.add_flag(
                "eu_conditional",
                f"Restricted under conditions (Annex III entry {eu['ref']}): {eu['condition']}",
                src,
            )
        elif eu["annex"] == "IV":
            entry.add_flag("colorant", f"An EU-allowed colorant (Annex IV entry {eu['ref']}).", src)
        elif eu["annex"] == "V":
            entry.add_flag(
                "preservative", f"An EU-allowed preservative (Annex V entry {eu['ref']}).", src
            )
        elif eu["annex"] == "VI":
            entry.add_flag(
                "uv_filter", f"An EU-allowed UV filter (Annex VI entry {eu['ref']}).", src
            )


def _rating(values: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Combine ratings: one row per source and value, sources side by side, never averaged."""
    if not values:
        return None
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for v in sorted(values, key=lambda v: (v["source"], v["value"], v["name_in_source"])):
        key = (v["source"], v["value"])
        if key in merged:
            merged[key]["name_in_source"] += f"; {v['name_in_source']}"
        else:
            merged[key] = dict(v)
    ordered = list(merged.values())
    # One figure per list (a list that rates a name twice gives its median), then the median
    # over the lists. With three or more lists, a list 2 or more points from that median is an
    # outlier: it stays in "sources" (marked) but not in the range shown, so one list rating
    # dimethicone 5 does not make it "1-5 of 5". With one or two lists nothing is dropped.
    # Within one list, a rating under the ingredient's own name beats one under a chemical
    # synonym mapped to it: the lists rate "Cetyl alcohol" 2 and, copying one old test,
    # "Hexadecyl alcohol" 5.
    own = {v["source"] for v in values if v["link"] == "same name"}
    used = [v for v in values if v["source"] not in own or v["link"] == "same name"]
    per_list: dict[str, list[float]] = {}
    for v in used:
        per_list.setdefault(v["source"], []).append((v["min"] + v["max"]) / 2)
    figures = {src: statistics.median(vs) for src, vs in per_list.items()}
    median = statistics.median(figures.values())
    outliers = (
        {src for src, f in figures.items() if abs(f - median) >= 2} if len(figures) >= 3 else set()
    )
    kept = [v for v in used if v["source"] not in outliers]

    def left_out(v: dict[str, Any]) -> bool:
        superseded = v["source"] in own and v["link"] != "same name"
        return superseded or v["source"] in outliers

    for v in ordered:
        v["outlier"] = left_out(v)
    return {
        "min": min(v["min"] for v in kept),
        "max": max(v["max"] for v in kept),
        "median": median,
        "lists": len(figures),
        "full_min": min(v["min"] for v in values),
        "full_max": max(v["max"] for v in values),
        "sources": ordered,
    }


_LEVELS = ("none", "low", "moderate", "high")
_VEGAN_BY_ORIGIN = {
    "plant": "vegan",
    "mineral": "vegan",
    "synthetic": "vegan",
    "microbial": "vegan",
    "petroleum": "vegan",
    "animal": "not_vegan",
    "human": "not_vegan",
    # "mixed" means plant or synthetic (pentylene glycol): it implies no vegan status; the rules
    # decide, and say "depends" only where an animal source is possible.
}


def _concern(rec: dict[str, Any], profile: dict[str, Any] | None, psrc: str) -> dict[str, Any]:
    """Curated level when there is a profile, else the highest level any rule gives."""
    reasons: list[tuple[str, str, str]] = []
    flags = {f["id"]: f for f in rec["flags"]}
    rule_levels = {
        "eu_prohibited": "high",
        "formaldehyde_releaser": "moderate",
        "fragrance_allergen": "low",  # one level for one fact: curated allergens say "low"
        "fragrance": "moderate",
        "essential_oil": "moderate",
        "drying_alcohol": "moderate",
        "retinoid": "moderate",
        "sulfate_surfactant": "low",
        "paraben": "low",
        "eu_restricted": "low",
        "eu_conditional": "low",
        "aha": "low",
        "bha": "low",
    }
    for flag, level in rule_levels.items():
        if flag in flags:
            f = flags[flag]
            reasons.append((level, f["reason"], f["source"]))
    comedo = rec["comedogenic"]
    if comedo and comedo["median"] >= 4:
        reasons.append(
            (
                "moderate",
                f"Rated {comedo['median']:g}/5 for clogging pores (median of "
                f"{comedo['lists']} comedogenicity lists).",
                comedo["sources"][0]["source"],
            )
        )
    irr = rec["irritancy"]
    if irr and irr["median"] >= 3:
        reasons.append(
            (
                "moderate",
                f"Rated {irr['median']:g}/5 for irritancy (median of {irr['lists']} lists).",
                irr["sources"][0]["source"],
            )
        )
    if profile is not None:
        level = profile["concern"]
        top = [(level, profile["concern_reason"], psrc)]
        if any(r[0] == "high" for r in reasons) and level != "high":
            top = [r for r in reasons if r[0] == "high"] + top
            level = "high"
        return {
            "level": level,
            "reasons": [{"text": t, "source": s} for _, t, s in top],
            "basis": "curated",
            "assessed": True,
        }
    # Without a curated review the level is what the rules found, and "assessed" is false: a
    # "none" here is not a clean bill of health that anybody gave.
    if not reasons:
        return {
            "level": "none",
            "reasons": [
                {
                    "text": "Not assessed: no reviewer has written a profile for it yet. Nothing "
                    "in the EU annexes, the allergen list, the comedogenicity lists or our "
                    "rules raises a concern.",
                    "source": "rule:no-flags",
                }
            ],
            "basis": "rules",
            "assessed": False,
        }
    level = max((r[0] for r in reasons), key=_LEVELS.index)
    reasons.sort(key=lambda r: -_LEVELS.index(r[0]))
    return {
        "level": level,
        "reasons": [{"text": t, "source": s} for _, t, s in reasons],
        "basis": "rules",
        "assessed": False,
    }
