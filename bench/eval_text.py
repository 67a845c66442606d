"""Text-analysis accuracy on the labelled development set (bench/devset/text/*.jsonl).

Usage: python bench/eval_text.py [--sets clean,damaged,pack] [--show-errors N]

Every text of a set goes through analyze_text (the matcher is built once). The multiset of the
INCI names of matched items is compared with the multiset of gold names, so order and position do
not count but every extra or missing name does. Names that denote the same ingredient count as
one: entries the knowledge base links with `same_as`, and the groups listed under [equivalent] in
devset/text/review.toml (AQUA and WATER, iron oxides CI 77491/77492/77499, ...). Precision,
recall and F1 are micro-averaged over the set; "list found" is the share of texts where
`report.list_found` is true exactly when the gold is not empty.

Each set also gets a baseline row measured in the same run: a naive analyser that splits the whole
text on commas and semicolons outside brackets and looks each item up with `kb.find` (exact,
synonym, case and spacing), with no list finding and no fuzzy matching.

--show-errors N prints the N most frequent false positives and false negatives, each as
"text as read -> predicted / gold", from an alignment of the predicted and gold sequences (an item
read as the wrong entry appears in both lists). The script always exits 0; it is a report.
"""

from __future__ import annotations

import argparse
import difflib
import json
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import split_outside
from incilens.kb.knowledge import KnowledgeBase
from incilens.pipeline import analyze_text, build_matcher

DEVSET = Path(__file__).resolve().parent / "devset" / "text"
SETS = ("clean", "damaged", "pack")
# set -> (minimum F1, minimum precision or None)
TARGETS: dict[str, tuple[float, float | None]] = {
    "clean": (0.99, None),
    "damaged": (0.95, 0.98),
    "pack": (0.97, None),
}

# (item text as read, predicted INCI name or None) for every item, and whether a list was found
Reading = list[tuple[str, str | None]]
Analyser = Callable[[str], tuple[Reading, bool]]


def load_set(name: str) -> list[dict[str, Any]]:
    """Return the rows of one set."""
    with (DEVSET / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def naive(kb: KnowledgeBase) -> Analyser:
    """The baseline: every comma-separated piece of the whole text, looked up exactly.

    It has no notion of a list, so it "finds" one whenever any piece resolves.
    """

    def read(text: str) -> tuple[Reading, bool]:
        reading: Reading = []
        for item in split_outside(text):
            n = kb.find(item)
            reading.append((item, None if n is None else kb.names[n]))
        return reading, any(name for _, name in reading)

    return read


@dataclass
class Canon:
    """Maps an INCI name to one representative of the names that denote the same ingredient."""

    kb: KnowledgeBase
    parent: dict[str, str] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)

    @classmethod
    def from_review(cls, kb: KnowledgeBase) -> Canon:
        review = tomllib.loads((DEVSET / "review.toml").read_text(encoding="utf-8"))
        canon = cls(kb)
        names = set(kb.names)
        for group in review["equivalent"]["groups"]:
            missing = [name for name in group if name not in names]
            if missing:
                print(f"warning: review.toml [equivalent] names not in the KB: {missing}")
            for name in group[1:]:
                canon.union(group[0], name)
        return canon

    def root(self, name: str) -> str:
        while self.parent.get(name, name) != name:
            name = self.parent[name]
        return name

    def union(self, a: str, b: str) -> None:
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def __call__(self, name: str) -> str:
        if name not in self.linked:
            self.linked.add(name)
            entry = self.kb.lookup(name)
            for other in entry.same_as if entry else ():
                n = self.kb.find(other)
                if n is not None:
                    self.union(name, self.kb.names[n])
        return self.root(name)


@dataclass
class Tally:
    """Counts for one analyser on one set."""

    texts: int = 0
    gold: int = 0
    predicted: int = 0
    tp: int = 0
    list_right: int = 0
    seconds: float = 0.0
    fp_pairs: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    fn_pairs: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    example: dict[tuple[str, str, str], str] = field(default_factory=dict)  # pair -> a text id

    @property
    def fp(self) -> int:
        return self.predicted - self.tp

    @property
    def fn(self) -> int:
        return self.gold - self.tp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(
        self,
        ident: str,
        reading: Reading,
        found: bool,
        gold: Sequence[str],
        canon: Callable[[str], str],
    ) -> None:
        """Score one text and record its errors."""
        predicted = [canon(name) for _, name in reading if name is not None]
        wanted = [canon(name) for name in gold]
        self.texts += 1
        self.gold += len(wanted)
        self.predicted += len(predicted)
        self.tp += sum((Counter(predicted) & Counter(wanted)).values())
        self.list_right += found == bool(wanted)
        said = [None if name is None else canon(name) for _, name in reading]
        aligner = difflib.SequenceMatcher(None, said, wanted, autojunk=False)
        for op, i1, i2, j1, j2 in aligner.get_opcodes():
            if op == "equal":
                continue
            rows = [(" ".join(reading[i][0].split()), reading[i][1]) for i in range(i1, i2)]
            golds: list[str | None] = list(gold[j1:j2])
            width = max(len(rows), len(golds))
            rows += [("(no item)", None)] * (width - len(rows))
            golds += [None] * (width - len(golds))
            for (text, name), want in zip(rows, golds, strict=True):
                if name is not None:
                    pair = (text, name, want or "-")
                    self.fp_pairs[pair] += 1
                    self.example.setdefault(pair, ident)
                if want is not None:
                    pair = (text, name or "(unrecognised)", want)
                    self.fn_pairs[pair] += 1
                    self.example.setdefault(pair, ident)


def run(rows: Iterable[dict[str, Any]], read: Analyser, canon: Callable[[str], str]) -> Tally:
    """Run one analyser over rows and score it."""
    tally = Tally()
    for row in rows:
        t0 = time.perf_counter()
        reading, found = read(row["text"])
        tally.seconds += time.perf_counter() - t0
        tally.add(row["id"], reading, found, row["gold"], canon)
    return tally


def ours(kb: KnowledgeBase) -> Analyser:
    """Return analyze_text as an analyser (the matcher is built here, once)."""
    matcher = build_matcher(kb)

    def read(text: str) -> tuple[Reading, bool]:
        report = analyze_text(text, kb=kb, matcher=matcher)
        items = [(item.text, item.match.inci_name if item.match else None) for item in report.items]
        return items, report.list_found

    return read


def row_text(label: str, t: Tally) -> str:
    return (
        f"{label:<10}{t.texts:>6}{t.gold:>7}{t.predicted:>7}{t.tp:>7}{t.fp:>6}{t.fn:>6}"
        f"{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>7.3f}{t.list_right / max(1, t.texts):>8.1%}"
        f"{t.seconds * 1000 / max(1, t.texts):>9.2f}"
    )


def verdict(name: str, t: Tally) -> tuple[str, bool]:
    f1_min, precision_min = TARGETS[name]
    met = t.f1 >= f1_min and (precision_min is None or t.precision >= precision_min)
    wanted = f"F1 >= {f1_min}" + (f", precision >= {precision_min}" if precision_min else "")
    got = f"F1 {t.f1:.3f}" + (f", precision {t.precision:.3f}" if precision_min else "")
    return f"{name}: {wanted} -> {got}: {'MET' if met else 'NOT MET'}", met


def show_errors(t: Tally, n: int) -> None:
    for title, pairs in (("false positives", t.fp_pairs), ("false negatives", t.fn_pairs)):
        print(f"  {n} most frequent {title} (text as read -> predicted / gold):")
        for pair, count in pairs.most_common(n):
            text, predicted, gold = pair
            print(
                f"    {count:4d}  {text[:60]!r} -> {predicted} / {gold}  (e.g. {t.example[pair]})"
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    args = parser.parse_args()
    names = [s for s in args.sets.split(",") if s]
    unknown = [s for s in names if s not in SETS]
    if unknown:
        parser.error(f"unknown sets {unknown}; choose from {', '.join(SETS)}")

    kb = KnowledgeBase.load()
    canon = Canon.from_review(kb)
    read, baseline = ours(kb), naive(kb)
    print(f"KB {kb.version}, {len(kb):,} entries; devset {DEVSET}")
    print(
        f"{'set':<10}{'texts':>6}{'gold':>7}{'pred':>7}{'TP':>7}{'FP':>6}{'FN':>6}"
        f"{'prec':>8}{'recall':>8}{'F1':>7}{'list ok':>8}{'ms/text':>9}  target"
    )
    verdicts = []
    for name in names:
        rows = load_set(name)
        tally, base = run(rows, read, canon), run(rows, baseline, canon)
        line, met = verdict(name, tally)
        print(f"{row_text(name, tally)}  {line.split(': ', 1)[1]}")
        print(row_text("  baseline", base))
        verdicts.append((line, met))
        if args.show_errors:
            show_errors(tally, args.show_errors)
    met = sum(ok for _, ok in verdicts)
    print(f"targets met: {met} of {len(verdicts)}")
    for line, _ in verdicts:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
