"""The core's tests run on a small knowledge base, not the packaged 33,000 entries.

The core (parsing, claims, the report) needs records to annotate, not the whole catalogue: the
entries with a curated profile (the common ingredients, about 540), cut from the packaged file
as they are (same records, same format). A test here that needs more is a knowledge-base test,
and belongs in ``tests/kb``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase


def cut(source: Path, target: Path) -> int:
    """Write the entries of ``source`` that have a curated profile to ``target``.

    The header is kept as it is (its counts describe the full build); the index and the records
    are cut together, so the file loads and validates like the packaged one.
    """
    with gzip.open(source, "rb") as fh:
        lines = fh.read().split(b"\n")
    header, index = lines[0], json.loads(lines[1])
    records = lines[2 : 2 + len(index)]
    chosen = [n for n, row in enumerate(index) if row[3]]  # row: id, name, synonyms, profiled
    with gzip.open(target, "wb") as out:
        out.write(header + b"\n")
        out.write(json.dumps([index[n] for n in chosen]).encode() + b"\n")
        out.write(b"\n".join(records[n] for n in chosen) + b"\n")
    return len(chosen)


@pytest.fixture(scope="session")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    path = tmp_path_factory.mktemp("kb") / "small.jsonl.gz"
    count = cut(DEFAULT_KB_PATH, path)
    small = KnowledgeBase.load(path)
    assert len(small) == count and 500 < count < 1000
    return small
