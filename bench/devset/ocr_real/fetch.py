"""Fetch the real label photos of manifest.jsonl into cache/ (kept out of git; see SOURCE.md).

Usage: python bench/devset/ocr_real/fetch.py [--from DIR]

Each photo is taken from DIR when given (a folder holding the files by name, e.g. a checkout of
the source repository's ``Data/pictures``), otherwise downloaded from
``raw.githubusercontent.com`` at the pinned commit; every file is checked against its SHA-256
before it is kept. Photos already in cache/ with the right digest are left alone. Exits 1 when
any photo could not be fetched (the evaluation then skips it and says so).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "manifest.jsonl"
CACHE = HERE / "cache"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--from", dest="source", type=Path, help="a folder with the photos")
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    rows = [json.loads(line) for line in MANIFEST.read_text(encoding="utf-8").splitlines()]
    missing = 0
    for row in rows:
        target = CACHE / row["file"]
        if target.exists() and digest(target.read_bytes()) == row["sha256"]:
            continue
        try:
            if args.source is not None:
                data = (args.source / row["file"]).read_bytes()
            else:
                url = RAW.format(repo=row["repo"], commit=row["commit"], path=row["path"])
                with urllib.request.urlopen(url, timeout=60) as response:
                    data = response.read()
        except OSError as e:
            print(f"{row['id']}: not fetched ({e})")
            missing += 1
            continue
        if digest(data) != row["sha256"]:
            print(f"{row['id']}: wrong SHA-256, not kept")
            missing += 1
            continue
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        shutil.move(tmp, target)
    print(f"{len(rows) - missing} of {len(rows)} photos in {CACHE}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
