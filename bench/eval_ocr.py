"""Image-analysis accuracy and speed on the rendered label set (bench/devset/ocr/manifest.jsonl).

Usage: python bench/eval_ocr.py [--tiers clean,phone,hard,real-dev,real-heldout] [--limit N]
                                [--show-errors N]
                                [--baseline-timeout S] [--no-baseline]
                                [--without STEP,...] [--no-second-strategy] [--per-image]

Every image of a tier (the first N with --limit) goes through analyze_image with the Tesseract
engine (the matcher is built once, before any timing). Build the images first with
`python bench/devset/build_ocr_devset.py`; missing ones are counted and skipped. Scoring is
eval_text's: the multiset of matched INCI names against the gold multiset, names that denote one
ingredient counted once (eval_text's Canon), micro-averaged precision, recall and F1; "list ok"
is the share of images where `report.list_found` is true exactly when the gold is not empty.
Latency is end to end per image, reading the file's bytes included, as p50 and p95; the mean of
every stage timing in `report.ocr` (its `timings` in s or `timings_ms`), the mean OCR confidence
and the winning read strategy are printed under each tier; an image whose analysis raises
counts as an empty reading, and the exceptions are counted.

Each tier also gets two reference rows measured in the same run. "text" is the ceiling:
analyze_text on the exact text drawn on each label, as if OCR were perfect, so the gap between
it and analyze_image is what reading the image costs. "baseline" is plain Tesseract with no
preprocessing (pytesseract.image_to_string(PIL.Image.open(path), lang="eng", config="--psm 3"),
with a timeout) followed by eval_text's naive analyser (split the whole text on commas and
semicolons outside brackets, `kb.find` each piece). OMP_THREAD_LIMIT is set to 1 for both.

The tiers ``real-dev`` and ``real-heldout`` are real phone photos of real products
(bench/devset/ocr_real/manifest.jsonl, transcribed by hand; SOURCE.md there says where they come
from). Their files are kept out of git: fetch them first with
`python bench/devset/ocr_real/fetch.py`; missing photos are counted and skipped, so the script
still runs without them. Tune on ``real-dev`` only; ``real-heldout`` is for the final check. On
these tiers the baseline reads the photo upright (EXIF applied), and a third reference row,
"plain+fz", runs the project's own text analysis (parser and fuzzy matcher) on that same plain
Tesseract read, so the gap to ``analyze_image`` is what the photo preparation and the choice
between reads bring; a line per photo compares the two.

--show-errors N prints the N most frequent false positives and false negatives of analyze_image,
each as "text as read -> predicted / gold" (as eval_text does); --per-image prints a line per
image, worst recall first, with its strategy and OCR confidence. The script always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytesseract
from PIL import Image, ImageOps

from common import pct
from eval_text import Canon, Reading, Tally, naive, show_errors
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.pipeline import analyze_text, build_matcher

OCR_DIR = Path(__file__).resolve().parent / "devset" / "ocr"
MANIFEST = OCR_DIR / "manifest.jsonl"
CACHE = OCR_DIR / "cache"
REAL_DIR = Path(__file__).resolve().parent / "devset" / "ocr_real"
REAL_MANIFEST = REAL_DIR / "manifest.jsonl"
REAL_TIERS = ("real-dev", "real-heldout")
TIERS = ("clean", "phone", "hard", *REAL_TIERS)
TARGET_F1 = {"clean": 0.99, "phone": 0.97, "hard": 0.90}  # the real tiers are measured only
TARGET_P50_S = {"phone": 2.0}  # end to end, 12-megapixel photos

# path -> (reading, list found, OCR facts: stage timings, confidence), or an exception
Reader = Callable[[Path], tuple[Reading, bool, dict[str, Any]]]


@dataclass
class Run:
    """One reader's tally on one tier, with per-image latency and OCR facts."""

    tally: Tally = field(default_factory=Tally)
    latency: list[float] = field(default_factory=list)
    stages: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    confidence: list[float] = field(default_factory=list)
    strategies: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    failure_example: dict[str, str] = field(default_factory=dict)
    # id -> (gold, predicted, true positives, seconds, strategy, mean OCR confidence)
    images: dict[str, tuple[int, int, int, float, str, float]] = field(default_factory=dict)


def load_manifest(tiers: list[str], limit: int) -> dict[str, list[dict[str, Any]]]:
    """The manifest rows of each tier, the first ``limit`` of each if set.

    Every row gets ``path``: where its image is (the rendered cache or the real photos' cache).
    """
    by_tier: dict[str, list[dict[str, Any]]] = {tier: [] for tier in tiers}
    sources = [(MANIFEST, CACHE, lambda row: row["tier"])]
    sources.append((REAL_MANIFEST, REAL_DIR / "cache", lambda row: f"real-{row['split']}"))
    for manifest, cache, tier_of in sources:
        if not manifest.exists():
            continue
        with manifest.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if tier_of(row) in by_tier:
                    by_tier[tier_of(row)].append({**row, "path": cache / row["file"]})
    return {tier: rows[:limit] if limit else rows for tier, rows in by_tier.items()}


def ocr_facts(section: Any) -> dict[str, Any]:
    """The report's OCR section as a dict with ``timings`` in seconds.

    Takes an object with ``to_dict()`` or a mapping, and ``timings`` (s) or ``timings_ms``.
    """
    facts = dict(section.to_dict() if hasattr(section, "to_dict") else section or {})
    if "timings" not in facts and "timings_ms" in facts:
        facts["timings"] = {k: v / 1000 for k, v in facts["timings_ms"].items()}
    return facts


def ours(
    kb: KnowledgeBase, matcher: Matcher, without: tuple[str, ...] = (), second: bool = True
) -> Reader:
    """analyze_image with the Tesseract engine, as a reader (the engine is made once).

    ``without`` switches preparation steps off and ``second`` the second strategy, to measure
    what each brings (``--without deskew,crop``, ``--no-second-strategy``).
    """
    from incilens.ocr.preprocess import PrepOptions
    from incilens.ocr.tesseract import TesseractEngine
    from incilens.pipeline import analyze_image

    engine = TesseractEngine()
    prep = PrepOptions().without(*without)

    def read(path: Path) -> tuple[Reading, bool, dict[str, Any]]:
        report = analyze_image(
            path.read_bytes(),
            kb=kb,
            matcher=matcher,
            engine=engine,
            prep=prep,
            second_strategy=second,
        )
        items = [(item.text, item.match.inci_name if item.match else None) for item in report.items]
        return items, report.list_found, ocr_facts(report.ocr)

    return read


def perfect_ocr(kb: KnowledgeBase, matcher: Matcher, texts: dict[Path, str]) -> Reader:
    """The ceiling: analyze_text on the exact text drawn on the label (no OCR at all)."""

    def read(path: Path) -> tuple[Reading, bool, dict[str, Any]]:
        report = analyze_text(texts[path], kb=kb, matcher=matcher)
        items = [(item.text, item.match.inci_name if item.match else None) for item in report.items]
        return items, report.list_found, {}

    return read


def plain_tesseract(
    kb: KnowledgeBase,
    timeout: float,
    *,
    upright: bool = False,
    texts: dict[Path, tuple[str, float]] | None = None,
) -> Reader:
    """The baseline: Tesseract on the file as it is, then the naive analyser of eval_text.

    ``upright`` applies the EXIF orientation first (the real photos); ``texts`` keeps each
    read, so that :func:`plain_fuzzy` scores the same read without reading again.
    """
    analyse = naive(kb)

    def read(path: Path) -> tuple[Reading, bool, dict[str, Any]]:
        t0 = time.perf_counter()
        image = Image.open(path)
        if upright:
            image = ImageOps.exif_transpose(image)
        try:
            text = pytesseract.image_to_string(image, lang="eng", config="--psm 3", timeout=timeout)
        except RuntimeError as e:  # pytesseract's timeout
            if "timeout" not in str(e).lower():
                raise
            text = ""
        ocr_s = time.perf_counter() - t0
        if texts is not None:
            texts[path] = (text, ocr_s)
        reading, found = analyse(text)
        return reading, found, {"text": text, "timings": {"tesseract": ocr_s}}

    return read


def plain_fuzzy(
    kb: KnowledgeBase, matcher: Matcher, texts: dict[Path, tuple[str, float]]
) -> Reader:
    """Plain Tesseract's read (kept by :func:`plain_tesseract`) through the project's own text
    analysis: the parser and the fuzzy matcher, as ``analyze_text`` runs them."""

    def read(path: Path) -> tuple[Reading, bool, dict[str, Any]]:
        text, ocr_s = texts.get(path, ("", 0.0))
        report = analyze_text(text, kb=kb, matcher=matcher)
        items = [(item.text, item.match.inci_name if item.match else None) for item in report.items]
        return items, report.list_found, {"text": text, "timings": {"tesseract": ocr_s}}

    return read


def run(rows: list[dict[str, Any]], read: Reader, canon: Canon) -> Run:
    """Read every image of a tier and score it; a failing image counts as an empty reading."""
    out = Run()
    for row in rows:
        path = row["path"]
        t0 = time.perf_counter()
        try:
            reading, found, facts = read(path)
        except Exception as e:  # a report: count it and go on
            reading, found, facts = [], False, {}
            out.failures[type(e).__name__] += 1
            out.failure_example.setdefault(type(e).__name__, f"{row['id']}: {e}")
        seconds = time.perf_counter() - t0
        out.latency.append(seconds)
        out.tally.seconds += seconds
        before = (out.tally.gold, out.tally.predicted, out.tally.tp)
        out.tally.add(row["id"], reading, found, row["gold"], canon)
        gold, predicted, tp = (
            now - then
            for now, then in zip(
                (out.tally.gold, out.tally.predicted, out.tally.tp), before, strict=True
            )
        )
        out.images[row["id"]] = (
            gold,
            predicted,
            tp,
            seconds,
            str(facts.get("strategy") or "-"),
            float(facts.get("mean_confidence") or 0.0),
        )
        for stage, value in (facts.get("timings") or {}).items():
            out.stages[stage].append(value)
        if facts.get("mean_confidence") is not None:
            out.confidence.append(facts["mean_confidence"])
        if facts.get("strategy"):
            out.strategies[facts["strategy"]] += 1
    return out


def row_text(label: str, r: Run) -> str:
    t = r.tally
    p50, p95 = (pct(r.latency, 0.5), pct(r.latency, 0.95)) if r.latency else (0.0, 0.0)
    return (
        f"{label:<10}{t.texts:>6}{t.gold:>7}{t.predicted:>7}{t.tp:>7}{t.fp:>6}{t.fn:>6}"
        f"{t.precision:>8.3f}{t.recall:>8.3f}{t.f1:>7.3f}{t.list_right / max(1, t.texts):>8.1%}"
        f"{p50:>8.2f}{p95:>8.2f}"
    )


def details(r: Run) -> str:
    stages = ", ".join(f"{k} {sum(v) / len(v):.3f}" for k, v in r.stages.items())
    text = f"    stages, mean s: {stages or '-'}"
    if r.confidence:
        text += f"; mean OCR confidence {sum(r.confidence) / len(r.confidence):.1f}"
    if r.strategies:
        text += f"; winning strategy: {dict(r.strategies.most_common())}"
    for name, count in r.failures.items():
        text += f"\n    {count} failed with {name}, e.g. {r.failure_example[name][:120]}"
    return text


def per_image(r: Run) -> str:
    """One line per image, worst recall first: where the errors are."""
    lines = ["    image        gold  pred    TP  recall    prec       s  strategy         conf"]
    order = sorted(r.images.items(), key=lambda kv: kv[1][2] / max(1, kv[1][0]))
    for ident, (gold, predicted, tp, seconds, strategy, confidence) in order:
        lines.append(
            f"    {ident:<10}{gold:>6}{predicted:>6}{tp:>6}{tp / max(1, gold):>8.2f}"
            f"{tp / max(1, predicted):>8.2f}{seconds:>8.2f}  {strategy:<15}{confidence:>5.1f}"
        )
    return "\n".join(lines)


def versus(mine: Run, plain: Run) -> str:
    """One line per real photo: the pipeline against plain Tesseract with fuzzy matching."""
    lines = [
        "    photo                  gold |  pipeline: pred   TP  prec  rec    F1     s"
        " | plain+fz: pred   TP  prec  rec    F1     s | strategy"
    ]

    def cells(run: Run, ident: str) -> tuple[str, float]:
        gold, pred, tp, seconds, _, _ = run.images[ident]
        p, r = tp / max(1, pred), tp / max(1, gold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"{pred:>5}{tp:>5}{p:>6.2f}{r:>5.2f}{f1:>6.2f}{seconds:>6.1f}", f1

    for ident in mine.images:
        ours_cells, _ = cells(mine, ident)
        theirs, _ = cells(plain, ident) if ident in plain.images else ("", 0.0)
        lines.append(
            f"    {ident:<22}{mine.images[ident][0]:>5} |  {ours_cells:<32} |"
            f"  {theirs:<33}| {mine.images[ident][4]}"
        )
    return "\n".join(lines)


def verdicts(tier: str, r: Run) -> list[tuple[str, bool]]:
    if tier not in TARGET_F1:
        return []
    f1 = r.tally.f1
    out = [(f"{tier}: F1 >= {TARGET_F1[tier]} -> F1 {f1:.3f}", f1 >= TARGET_F1[tier])]
    if tier in TARGET_P50_S and r.latency:
        p50 = pct(r.latency, 0.5)
        limit = TARGET_P50_S[tier]
        out.append((f"{tier}: p50 end to end < {limit} s -> {p50:.2f} s", p50 < limit))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiers", default=",".join(TIERS))
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="first N per tier")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N")
    parser.add_argument("--baseline-timeout", type=float, default=60.0, metavar="S")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--without",
        default="",
        metavar="STEPS",
        help="preparation steps to switch off: polarity,crop,orientation,deskew,scale,contrast,"
        "denoise,dewarp,flatten",
    )
    parser.add_argument("--no-second-strategy", action="store_true")
    parser.add_argument("--per-image", action="store_true", help="a line per image, worst first")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract subprocesses inherit it
    tiers = [t for t in args.tiers.split(",") if t]
    unknown = [t for t in tiers if t not in TIERS]
    if unknown:
        parser.error(f"unknown tiers {unknown}; choose from {', '.join(TIERS)}")
    if not MANIFEST.exists() and not set(tiers) <= set(REAL_TIERS):
        print(f"no manifest at {MANIFEST}: run python bench/devset/build_ocr_devset.py")
        return 0

    kb = KnowledgeBase.load()
    canon = Canon.from_review(kb)
    matcher = build_matcher(kb)
    try:
        steps = tuple(s for s in args.without.split(",") if s)
        read: Reader | None = ours(kb, matcher, steps, not args.no_second_strategy)
    except ImportError as e:
        print(f"analyze_image is not available ({e}); only the baseline runs")
        read = None
    plain_texts: dict[Path, tuple[str, float]] = {}
    baseline = None if args.no_baseline else plain_tesseract(kb, args.baseline_timeout)
    upright = plain_tesseract(kb, args.baseline_timeout, upright=True, texts=plain_texts)
    fuzzy = plain_fuzzy(kb, matcher, plain_texts)
    manifest = load_manifest(tiers, args.limit)
    texts = {row["path"]: row["text"] for rows in manifest.values() for row in rows}
    ceiling = perfect_ocr(kb, matcher, texts)
    print(f"KB {kb.version}, {len(kb):,} entries; Tesseract {pytesseract.get_tesseract_version()}")
    print(
        f"{'tier':<10}{'images':>6}{'gold':>7}{'pred':>7}{'TP':>7}{'FP':>6}{'FN':>6}"
        f"{'prec':>8}{'recall':>8}{'F1':>7}{'list ok':>8}{'p50 s':>8}{'p95 s':>8}"
    )
    results: list[tuple[str, bool]] = []
    for tier, rows in manifest.items():
        real = tier in REAL_TIERS
        present = [row for row in rows if row["path"].exists()]
        if len(present) < len(rows):
            how = "python bench/devset/ocr_real/fetch.py" if real else "build them first"
            print(f"{tier}: {len(rows) - len(present)} of {len(rows)} images missing ({how})")
        if not present:
            continue
        if read is not None:
            mine = run(present, read, canon)
            print(row_text(tier, mine))
            print(details(mine))
            if args.per_image and not real:
                print(per_image(mine))
            results += verdicts(tier, mine)
        if baseline is not None:
            base = run(present, upright if real else baseline, canon)
            print(row_text("  baseline", base))
            print(details(base))
            if real:
                plain = run(present, fuzzy, canon)
                print(row_text("  plain+fz", plain))
                if read is not None:
                    print(versus(mine, plain))
        print(row_text("  text", run(present, ceiling, canon)))
        if read is not None and args.show_errors:
            show_errors(mine.tally, args.show_errors)
    print(f"targets met: {sum(ok for _, ok in results)} of {len(results)}")
    for line, ok in results:
        print(f"  {line}: {'MET' if ok else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
