"""Knowledge-base figures for docs/KNOWLEDGE_BASE.md: load time and memory, look-up speed, coverage.

Usage: python bench/bench_kb.py [--shared ../shared/data] [--repeat 5]

Timings are printed with a baseline measured side by side in the same run (the machines are
shared and noisy, so the ratio is the figure to compare):
- load: KnowledgeBase.load() against just decompressing the same file;
- lookup: KnowledgeBase.lookup() against a bare dict look-up of the same names.
Memory is the resident-set growth of a fresh interpreter that loads the knowledge base.
Coverage splits the shared product lists on commas and semicolons outside brackets (and on
"/" or "|" in the Indonesian hair-care lists) and counts how many items resolve by exact,
synonym or case/spacing-insensitive look-up, and how many of those have a curated profile.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from common import pct, split_outside
from incilens.core.normalize import name_key
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase


def _rss_kib() -> str:
    code = (
        "import re;"
        "rss=lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1]);"
        "a=rss();from incilens.kb.knowledge import KnowledgeBase;b=rss();"
        "kb=KnowledgeBase.load();c=rss();print(a,b,c)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def product_items(shared: Path) -> Iterator[str]:
    kaggle = shared / "products-kaggle-cosmetics" / "cosmetics.csv"
    with kaggle.open(encoding="cp1252", newline="") as fh:
        for row in csv.DictReader(fh):
            yield from split_outside(row["Ingredients"], ",;")
    soco = shared / "products-soco-haircare-id" / "product_info.csv"
    with soco.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = row["ingredients"] or ""
            yield from split_outside(text, ",;/|" if ("|" in text or " / " in text) else ",;")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    load_s, base_s = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        with gzip.open(DEFAULT_KB_PATH) as fh:
            fh.read()
        t1 = time.perf_counter()
        kb = KnowledgeBase.load()
        t2 = time.perf_counter()
        base_s.append(t1 - t0)
        load_s.append(t2 - t1)
    load, base = statistics.median(load_s), statistics.median(base_s)
    print(f"KB entries: {len(kb):,}  version {kb.version}")
    print(
        f"load: median {load * 1000:.0f} ms over {args.repeat} runs; baseline (decompress only) "
        f"{base * 1000:.0f} ms; ratio {load / base:.1f}x"
    )
    before, after_import, after_load = map(int, _rss_kib().split())
    print(
        f"memory: interpreter {before / 1024:.0f} MiB, +{(after_import - before) / 1024:.0f} MiB "
        f"imports, +{(after_load - after_import) / 1024:.0f} MiB knowledge base, "
        f"total {after_load / 1024:.0f} MiB"
    )

    names = [kb.names[i] for i in range(0, len(kb), 7)] + ["vitamin e", "Shea Butter", "c.i. 77891"]
    table = {name_key(n): n for n in names}
    lookup_ns, dict_ns = [], []
    for name in names * 3:
        t0 = time.perf_counter_ns()
        kb.find(name)
        t1 = time.perf_counter_ns()
        table.get(name_key(name))
        t2 = time.perf_counter_ns()
        lookup_ns.append(t1 - t0)
        dict_ns.append(t2 - t1)
    print(
        f"lookup (find): p50 {pct(lookup_ns, 0.5) / 1000:.1f} us, "
        f"p99 {pct(lookup_ns, 0.99) / 1000:.1f} us "
        f"over {len(lookup_ns):,} look-ups; baseline dict p50 {pct(dict_ns, 0.5) / 1000:.1f} us; "
        f"ratio {pct(lookup_ns, 0.5) / max(1, pct(dict_ns, 0.5)):.1f}x"
    )
    record_ns = []
    for n in range(0, len(kb), 97):
        kb._record.cache_clear()
        t0 = time.perf_counter_ns()
        kb.entry(n)
        record_ns.append(time.perf_counter_ns() - t0)
    print(f"full record (parse + validate, uncached): p50 {pct(record_ns, 0.5) / 1000:.0f} us")
    search_ms = []
    for q in ["hyalur", "vitamin", "shea", "peg-40", "niacinamde", "glycern", "ci 77", "zzqx"] * 5:
        t0 = time.perf_counter()
        kb.search(q, limit=10)
        search_ms.append((time.perf_counter() - t0) * 1000)
    print(f"search (limit 10): p50 {pct(search_ms, 0.5):.1f} ms, p99 {pct(search_ms, 0.99):.1f} ms")

    if not (args.shared / "products-kaggle-cosmetics").is_dir():
        print(f"coverage: skipped, no shared data at {args.shared}")
        return 0
    total = resolved = profiled = 0
    for raw in product_items(args.shared):
        item = raw.strip().strip(".*").strip()
        if not item:
            continue
        total += 1
        n = kb.find(item)
        if n is not None:
            resolved += 1
            profiled += kb.profiled[n]
    print(
        f"coverage of the shared product lists: {total:,} ingredient occurrences; "
        f"{resolved / total:.1%} resolve by exact or synonym look-up; "
        f"{profiled / total:.1%} resolve to an entry with a curated profile "
        f"({profiled / max(1, resolved):.1%} of the resolved ones)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
