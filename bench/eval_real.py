"""Per-class accuracy on the real-label-text corpus (bench/devset/real/real.jsonl).

Usage: python bench/eval_real.py [--part dev|heldout|both]

For every text, analyze_text gives the items, the product type (summary.product.application)
and the claims; each is scored against the sources' own labels (how they were made:
bench/devset/build_real_devset.py and bench/devset/README.md):

* items, per source: precision and recall of the multiset of matched INCI names against the
  look-up gold of the source's own ingredient field. Names of one substance count as one (the
  [equivalent] groups of eval_text.py, and entries sharing a CAS number, as the matcher counts
  them); an item whose text is part of one the look-up left unlabelled is not scored. The naive
  baseline of eval_text.py (comma split, exact or synonym look-up) is scored beside it.
* product type, per class (rinse_off, leave_on): precision and recall; ``unknown`` counts as a
  miss, not as a wrong answer.
* claims, per family, on the Open Beauty Facts rows, whose gold is OBF's label tags.

Then the share of texts with a list found and of items recognised. The development part and
the held-out part are printed side by side. The script always exits 0; it is a report.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from eval_text import Canon, naive
from incilens.kb.knowledge import KnowledgeBase
from incilens.pipeline import analyze_text, build_matcher

CORPUS = Path(__file__).resolve().parent / "devset" / "real" / "real.jsonl"
TYPES = ("rinse_off", "leave_on")


def score(rows: list[dict[str, Any]], kb: KnowledgeBase, canon: Canon) -> dict[str, Any]:
    matcher = build_matcher(kb)
    baseline = naive(kb)

    def same(name: str) -> str:
        """One key per substance: a shared CAS number (as the matcher counts), else canon."""
        entry = kb.lookup(name)
        return f"CAS {min(entry.cas)}" if entry is not None and entry.cas else canon(name)

    pred_n: Counter[str] = Counter()
    gold_n: Counter[str] = Counter()
    tp: Counter[str] = Counter()
    found = items = recognised = 0
    for row in rows:
        report = analyze_text(row["text"], kb=kb, matcher=matcher)
        found += report.list_found
        if row.get("gold") is not None:
            source = row["source"].split(":")[0]
            unlabelled = " | ".join(" ".join(u.lower().split()) for u in row["gold_unknown"])
            predicted = [
                same(i.match.inci_name)
                for i in report.items
                if i.match is not None and " ".join(i.text.lower().split()) not in unlabelled
            ]
            wanted = [same(name) for name in row["gold"]]
            cls = f"items:{source}"
            pred_n[cls] += len(predicted)
            gold_n[cls] += len(wanted)
            tp[cls] += sum((Counter(predicted) & Counter(wanted)).values())
            naive_reading, _ = baseline(row["text"])
            predicted = [
                same(name)
                for text, name in naive_reading
                if name is not None and " ".join(text.lower().split()) not in unlabelled
            ]
            cls = f"items:{source} (naive)"
            pred_n[cls] += len(predicted)
            gold_n[cls] += len(wanted)
            tp[cls] += sum((Counter(predicted) & Counter(wanted)).values())
        items += len(report.items)
        recognised += sum(i.ingredient is not None for i in report.items)
        product = getattr(report.summary, "product", None) or {}  # absent before issue 17
        got = product.get("application", "unknown")
        want = row["product_type"]
        if want:
            gold_n[f"type:{want}"] += 1
            if got != "unknown":
                pred_n[f"type:{got}"] += 1
                tp[f"type:{got}"] += got == want
        if row["claims"] is not None:
            claims = {c.claim for c in report.claims}
            for c in claims:
                pred_n[f"claim:{c}"] += 1
                tp[f"claim:{c}"] += c in row["claims"]
            for c in row["claims"]:
                gold_n[f"claim:{c}"] += 1
    return {
        "texts": len(rows),
        "pred": pred_n,
        "gold": gold_n,
        "tp": tp,
        "found": found,
        "recognised": recognised / max(1, items),
    }


def cell(s: dict[str, Any], cls: str) -> str:
    p, g, t = s["pred"][cls], s["gold"][cls], s["tp"][cls]
    prec = f"{t / p:.3f}" if p else "  -  "
    rec = f"{t / g:.3f}" if g else "  -  "
    return f"{prec:>6} {rec:>6} ({t}/{p}/{g})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", default="both", choices=("dev", "heldout", "both"))
    args = parser.parse_args()
    rows = [json.loads(line) for line in CORPUS.open(encoding="utf-8")]
    parts = ("dev", "heldout") if args.part == "both" else (args.part,)
    kb = KnowledgeBase.load()
    canon = Canon.from_review(kb)
    results = {p: score([r for r in rows if r["part"] == p], kb, canon) for p in parts}
    classes = sorted({c for s in results.values() for c in (*s["gold"], *s["pred"])})
    print(f"corpus {CORPUS.name}; per class: precision recall (TP/predicted/gold)")
    print(f"{'class':<24}" + "".join(f"{p:>28}" for p in parts))
    for cls in classes:
        print(f"{cls:<24}" + "".join(f"{cell(results[p], cls):>28}" for p in parts))
    print(f"{'texts':<24}" + "".join(f"{results[p]['texts']:>28}" for p in parts))
    print(
        f"{'list found':<24}"
        + "".join(f"{results[p]['found'] / max(1, results[p]['texts']):>28.1%}" for p in parts)
    )
    print(
        f"{'items recognised':<24}" + "".join(f"{results[p]['recognised']:>28.1%}" for p in parts)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
