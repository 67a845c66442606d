"""Build the OCR development set: the manifest, the cached label images and the test fixtures.

Usage: python bench/devset/build_ocr_devset.py [--tier clean,phone,hard] [--limit N] [--jobs J]
                                               [--force] [--fixtures]

Writes bench/devset/ocr/manifest.jsonl (every tier, always complete: ids, source text, every
render parameter, the exact text drawn, gold) from bench/devset/text/clean.jsonl, then renders
the images of the chosen tiers (the first N of each with --limit) into bench/devset/ocr/cache/
<tier>/<id>.{png,jpg}, skipping those already there from the same manifest row (a stamp file
records a hash of each row; --force renders all again). The images are not committed: the
manifest is, and the build is deterministic, so anyone can rebuild the same images. --fixtures
also writes the small committed test images in tests/resources/labels/. Run from anywhere; J
worker processes render in parallel (default 2).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ocr import fixtures, image_bytes, layout  # noqa: E402

SOURCE = HERE / "text" / "clean.jsonl"
OCR_DIR = HERE / "ocr"
MANIFEST = OCR_DIR / "manifest.jsonl"
CACHE = OCR_DIR / "cache"
STAMPS = CACHE / "stamps.json"
FIXTURES = HERE.parents[1] / "tests" / "resources" / "labels"


def stamp(row: dict[str, Any]) -> str:
    """A short hash of a manifest row: a cached image is current while its row is unchanged."""
    blob = json.dumps(row, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def build_manifest() -> list[dict[str, Any]]:
    """Sample every tier from the clean text set."""
    with SOURCE.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    manifest = []
    for tier in layout.TIERS:
        for k, row in enumerate(layout.pick_rows(rows, tier)):
            manifest.append(layout.sample(row, tier, k))
    return manifest


def write_manifest(manifest: list[dict[str, Any]]) -> bool:
    """Write the manifest; True when it changed."""
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in manifest)
    old = MANIFEST.read_text(encoding="utf-8") if MANIFEST.exists() else ""
    MANIFEST.write_text(text, encoding="utf-8")
    return text != old


def render_one(row: dict[str, Any]) -> tuple[str, str, float, int]:
    """Render a row to its cache file; its id, stamp, seconds and size in bytes."""
    t0 = time.perf_counter()
    data = image_bytes(row)
    path = CACHE / row["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return row["id"], stamp(row), time.perf_counter() - t0, len(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tier", default=",".join(layout.TIERS))
    parser.add_argument("--limit", type=int, default=0, metavar="N", help="first N per tier")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--force", action="store_true", help="render even if cached")
    parser.add_argument("--fixtures", action="store_true", help="also write the test fixtures")
    args = parser.parse_args()
    tiers = [t for t in args.tier.split(",") if t]
    unknown = [t for t in tiers if t not in layout.TIERS]
    if unknown:
        parser.error(f"unknown tiers {unknown}; choose from {', '.join(layout.TIERS)}")

    t0 = time.perf_counter()
    manifest = build_manifest()
    changed = write_manifest(manifest)
    print(
        f"manifest: {len(manifest)} rows ({'changed' if changed else 'unchanged'}) -> "
        f"{MANIFEST.relative_to(HERE.parents[1])} in {time.perf_counter() - t0:.1f} s"
    )
    stamps: dict[str, str] = json.loads(STAMPS.read_text()) if STAMPS.exists() else {}
    todo = []
    for tier in tiers:
        rows = [row for row in manifest if row["tier"] == tier]
        rows = rows[: args.limit] if args.limit else rows
        todo += [
            row
            for row in rows
            if args.force
            or stamps.get(row["id"]) != stamp(row)
            or not (CACHE / row["file"]).exists()
        ]
    print(f"rendering {len(todo)} images into {CACHE.relative_to(HERE.parents[1])}/")
    t0 = time.perf_counter()
    spent: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for ident, digest, seconds, size in pool.map(render_one, todo):
            stamps[ident] = digest
            tier = ident.rsplit("-", 1)[0]
            spent.setdefault(tier, []).append(seconds)
            sizes[tier] = sizes.get(tier, 0) + size
    CACHE.mkdir(parents=True, exist_ok=True)
    STAMPS.write_text(json.dumps(dict(sorted(stamps.items())), indent=0) + "\n")
    for tier, seconds in spent.items():
        print(
            f"  {tier:<6}{len(seconds):>4} images, {sum(seconds):6.1f} s of work "
            f"({sum(seconds) / len(seconds):.2f} s each), {sizes[tier] / 1e6:.1f} MB"
        )
    print(f"rendered in {time.perf_counter() - t0:.1f} s wall time with {args.jobs} processes")
    if args.fixtures:
        for name, size in fixtures.write(FIXTURES):
            print(f"  fixture {name}: {size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
