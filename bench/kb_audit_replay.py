"""Replay the December 2026 knowledge-base audit against a built knowledge base.

Usage::

    python bench/kb_audit_replay.py --audit DIR [--kb service/incilens/data/kb.jsonl.gz]
        [--before OLD.jsonl.gz] [--held-out 30]

``DIR`` holds the audit's verdict files (``annex_verdicts.tsv``, ``profiles_verdicts.tsv``,
``allergens_missed.tsv``). Each faulty verdict is re-checked against the built records and
counted fixed or remaining; the rows the audit judged right are re-checked too (regressions).
Whole-KB measures of the audit's fault classes follow (``--before`` prints them for an older
file beside the new one), and ``--held-out N`` prints a seeded sample of annex-linked entries
the audit did not list, for reading by hand: the audit is the evidence fixed against, the
held-out sample is not.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

Record = dict[str, Any]


def load(path: Path) -> dict[str, Record]:
    """Records of a knowledge-base file by INCI name."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        next(fh)
        next(fh)
        return {r["inci_name"]: r for r in map(json.loads, fh)}


def _flags(r: Record) -> set[str]:
    return {f["id"] for f in r["flags"]}


def _links(r: Record, annex: str, ref: str) -> list[Record]:
    return [e for e in r["eu"] if e["annex"] == annex and e["ref"] == ref]


def annex_fixed(verdict: str, r: Record, annex: str, ref: str) -> bool | None:
    """Whether the audit's annex verdict is resolved (None: nothing to fix)."""
    links = _links(r, annex, ref)
    if verdict == "OK":
        return None
    if verdict in {"CONDITION_LOST", "TRACE_AS_RESTRICTION", "FALSE_LINK"}:
        return all(e["conditional"] for e in links)
    if verdict == "UNDERSTATED":
        return bool(links) and not any(e["conditional"] for e in links)
    if verdict == "CONDITION_GARBLED":
        return bool(links) and all("may contain" not in e["condition"] for e in links)
    return False  # UNCERTAIN: left as the data has it


def annex_still_ok(r: Record, annex: str, ref: str) -> bool:
    """A link the audit judged right is still there."""
    return bool(_links(r, annex, ref))


PROFILE_CHECKS: dict[tuple[str, str], Callable[[Record], bool]] = {
    ("DIMETHICONE", "comedogenic"): lambda r: r["comedogenic"]["max"] < 4,
    ("CITRUS LIMON PEEL OIL", "flag"): lambda r: "eu_prohibited" not in _flags(r),
    ("CI 14700", "flag"): lambda r: "eu_prohibited" not in _flags(r),
    ("CITRIC ACID", "flag/eu"): lambda r: "preservative" not in _flags(r),
    ("PENTYLENE GLYCOL", "vegan"): lambda r: r["vegan"]["status"] == "vegan",
    ("CAMELLIA SINENSIS LEAF EXTRACT", "flag"): lambda r: "uv_filter" not in _flags(r),
    ("BENZYL SALICYLATE", "flag"): lambda r: "uv_filter" not in _flags(r),
    ("CI 77891", "eu"): lambda r: bool(_links(r, "III", "321")),
    ("TOCOPHEROL", "origin"): lambda r: r["origin"]["value"] != "plant",
    ("SALICYLIC ACID", "pregnancy"): lambda r: not r["pregnancy"]["caution"],
    ("HOMOSALATE", "pregnancy"): lambda r: not r["pregnancy"]["caution"],
    ("SODIUM LAURETH SULFATE", "comedogenic"): lambda r: (
        r["comedogenic"] is None or r["comedogenic"]["max"] < 3
    ),
}


def measures(kb: dict[str, Record]) -> dict[str, int]:
    """The audit's whole-KB fault classes, counted on one file."""
    out = {
        "entries shown banned (EU prohibited chip)": 0,
        "EU prohibited chip without an unconditional Annex II link": 0,
        "conditional Annex II links shown as 'restricted under conditions'": 0,
        "UV filter chip without an Annex VI link": 0,
        "fragrance-allergen flags": 0,
        "PALMIT- entries called vegan 'from a plant'": 0,
        "uncurated entries raised to Moderate+ by one of several comedogenic lists": 0,
        "comedogenic ranges shown spanning 3 or more points": 0,
    }
    for r in kb.values():
        flags = _flags(r)
        unconditional_ii = any(e["annex"] == "II" and not e["conditional"] for e in r["eu"])
        if "eu_prohibited" in flags:
            out["entries shown banned (EU prohibited chip)"] += 1
            if not unconditional_ii:
                out["EU prohibited chip without an unconditional Annex II link"] += 1
        if any(e["annex"] == "II" and e["conditional"] for e in r["eu"]) and (
            "eu_conditional" in flags
        ):
            out["conditional Annex II links shown as 'restricted under conditions'"] += 1
        if "uv_filter" in flags and not any(e["annex"] == "VI" for e in r["eu"]):
            out["UV filter chip without an Annex VI link"] += 1
        if "fragrance_allergen" in flags:
            out["fragrance-allergen flags"] += 1
        if "PALMIT" in r["inci_name"] and r["vegan"]["source"] == "rule:plant-derived":
            out["PALMIT- entries called vegan 'from a plant'"] += 1
        comedo = r["comedogenic"]
        if comedo and comedo["max"] - comedo["min"] >= 3:
            out["comedogenic ranges shown spanning 3 or more points"] += 1
        if (
            r["summary"] is None
            and comedo
            and any(
                x["text"].startswith("Rated") and "clogging pores" in x["text"]
                for x in r["concern"]["reasons"]
            )
            and len({s["source"] for s in comedo["sources"]}) >= 2
            and len({s["source"] for s in comedo["sources"] if s["min"] >= 4}) == 1
        ):
            out["uncurated entries raised to Moderate+ by one of several comedogenic lists"] += 1
    return out


def replay(audit: Path, kb: dict[str, Record]) -> dict[str, tuple[int, int, list[str]]]:
    """Fixed / remaining counts per audit file, with the names still open."""
    results: dict[str, tuple[int, int, list[str]]] = {}
    fixed = remaining = regressions = ok = 0
    open_: list[str] = []
    lost: list[str] = []
    with (audit / "annex_verdicts.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            r = kb.get(row["inci"])
            if r is None:
                continue
            verdict = annex_fixed(row["verdict"], r, row["annex"], row["ref"])
            if verdict is None:
                ok += 1
                if not annex_still_ok(r, row["annex"], row["ref"]):
                    regressions += 1
                    lost.append(f"{row['inci']} {row['annex']}/{row['ref']}")
            elif verdict:
                fixed += 1
            else:
                remaining += 1
                open_.append(f"{row['inci']} {row['annex']}/{row['ref']} ({row['verdict']})")
    results["annex verdicts: faulty links"] = (fixed, remaining, open_)
    results["annex verdicts: right links still present"] = (ok - regressions, regressions, lost)

    fixed = remaining = 0
    open_ = []
    with (audit / "profiles_verdicts.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["verdict"] == "ok":
                continue
            check = PROFILE_CHECKS.get((row["inci"], row["field"]))
            if check is not None and check(kb[row["inci"]]):
                fixed += 1
            else:
                remaining += 1
                open_.append(f"{row['inci']} ({row['verdict']}, {row['field']})")
    results["profile verdicts: faults in shown facts"] = (fixed, remaining, open_)

    fixed = remaining = 0
    open_ = []
    with (audit / "allergens_missed.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if "fragrance_allergen" in _flags(kb[row["inci"]]):
                fixed += 1
            else:
                remaining += 1
                open_.append(row["inci"])
    results["missed fragrance allergens"] = (fixed, remaining, open_)
    return results


def audited_names(audit: Path, kb: dict[str, Record] | None = None) -> set[str]:
    """Every INCI name the audit's verdict files list, and (given ``kb``) its report names."""
    names: set[str] = set()
    for name in ("annex_verdicts.tsv", "profiles_verdicts.tsv", "allergens_missed.tsv"):
        with (audit / name).open(encoding="utf-8") as fh:
            names.update(row["inci"] for row in csv.DictReader(fh, delimiter="\t"))
    report = audit / "REPORT.md"
    if kb is not None and report.is_file():
        text = report.read_text(encoding="utf-8").upper()
        names.update(name for name in kb if len(name) > 5 and name in text)
    return names


def held_out(kb: dict[str, Record], audit: Path, n: int, seed: int = 18) -> list[Record]:
    """A seeded sample of annex-linked entries the audit did not name."""
    skip = audited_names(audit, kb)
    pool = sorted(name for name, r in kb.items() if r["eu"] and name not in skip)
    return [kb[name] for name in random.Random(seed).sample(pool, n)]


def _signature(r: Record) -> tuple[Any, ...]:
    return (
        frozenset(f["id"] for f in r["flags"]),
        frozenset((e["annex"], e["ref"], e["conditional"]) for e in r["eu"]),
        r["vegan"]["status"],
        r["concern"]["level"],
    )


def changed_sample(
    before: dict[str, Record], kb: dict[str, Record], audit: Path, n: int, seed: int = 2026
) -> tuple[int, list[str]]:
    """A seeded sample of entries whose shown facts changed and that the audit did not name."""
    skip = audited_names(audit, kb)
    changed = sorted(
        name
        for name, r in kb.items()
        if name in before and name not in skip and _signature(before[name]) != _signature(r)
    )
    # Shuffle every name once, then take the first changed ones: a later fix that changes a few
    # entries does not redraw the whole sample.
    order = sorted(kb)
    random.Random(seed).shuffle(order)
    chosen = set(changed)
    lines = []
    for name in [x for x in order if x in chosen][:n]:
        fa, ea, va, ca = _signature(before[name])
        fb, eb, vb, cb = _signature(kb[name])
        lines.append(
            f"{name}: flags -{sorted(fa - fb)} +{sorted(fb - fa)}; eu -{sorted(ea - eb)} "
            f"+{sorted(eb - ea)}; vegan {va} -> {vb}; concern {ca} -> {cb}"
        )
    return len(changed), lines


def main() -> int:
    """Print the replay, the whole-KB measures and the held-out sample."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--audit", type=Path, required=True)
    parser.add_argument("--kb", type=Path, default=Path("service/incilens/data/kb.jsonl.gz"))
    parser.add_argument("--before", type=Path, help="an older KB file to measure beside it")
    parser.add_argument("--held-out", type=int, default=0)
    parser.add_argument(
        "--changed", type=int, default=0, help="with --before: a sample of changed entries"
    )
    args = parser.parse_args()
    kb = load(args.kb)
    print(f"Audit replay against {args.kb}")
    for what, (fixed, remaining, open_) in replay(args.audit, kb).items():
        print(f"  {what}: {fixed} fixed/kept, {remaining} remaining")
        for name in open_:
            print(f"      open: {name}")
    old_kb = load(args.before) if args.before else None
    before = measures(old_kb) if old_kb else None
    print("Whole-KB measures" + (" (before -> after)" if before else ""))
    for key, value in measures(kb).items():
        print(f"  {key}: " + (f"{before[key]} -> {value}" if before else f"{value}"))
    if args.held_out:
        print(f"Held-out sample ({args.held_out} annex-linked entries the audit did not list):")
        for r in held_out(kb, args.audit, args.held_out):
            links = "; ".join(
                f"{e['annex']}/{e['ref']} {e['status']} [{e['link_basis']}]"
                + (f" if: {e['condition'][:70]}" if e["conditional"] else "")
                for e in r["eu"]
            )
            print(f"  {r['inci_name']}: {links}")
    if args.changed and old_kb:
        count, lines = changed_sample(old_kb, kb, args.audit, args.changed)
        print(f"Changed entries the audit did not list: {count}; a sample of {len(lines)}:")
        for line in lines:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
