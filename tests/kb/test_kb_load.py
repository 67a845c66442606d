"""Loading the knowledge-base file: missing or corrupt files name the file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from incilens import create_app
from incilens.errors import KnowledgeBaseError
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase


def _write(path: Path, lines: list[bytes]) -> Path:
    with gzip.open(path, "wb") as fh:
        fh.write(b"\n".join(lines) + b"\n")
    return path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="missing"):
        KnowledgeBase.load(tmp_path / "nope.jsonl.gz")


def test_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl.gz"
    path.write_bytes(b"this is not gzip")
    with pytest.raises(KnowledgeBaseError, match="corrupt"):
        KnowledgeBase.load(path)


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "kb.jsonl.gz"
    path.write_bytes(DEFAULT_KB_PATH.read_bytes()[:50_000])
    with pytest.raises(KnowledgeBaseError, match=str(path)):
        KnowledgeBase.load(path)


def test_bad_header(tmp_path: Path) -> None:
    path = _write(tmp_path / "kb.jsonl.gz", [b"{not json", b"[]"])
    with pytest.raises(KnowledgeBaseError, match=r"kb.jsonl.gz:1"):
        KnowledgeBase.load(path)


def test_index_and_records_disagree(tmp_path: Path) -> None:
    with gzip.open(DEFAULT_KB_PATH) as fh:
        lines = fh.read().split(b"\n")
    path = _write(tmp_path / "kb.jsonl.gz", lines[:10])
    with pytest.raises(KnowledgeBaseError, match=r":2: the index"):
        KnowledgeBase.load(path)


def test_corrupt_record_names_its_line(tmp_path: Path) -> None:
    with gzip.open(DEFAULT_KB_PATH) as fh:
        lines = fh.read().rstrip(b"\n").split(b"\n")
    lines[2] = b'{"id": "broken"}'
    kb = KnowledgeBase.load(_write(tmp_path / "kb.jsonl.gz", lines))
    with pytest.raises(KnowledgeBaseError, match=r"kb.jsonl.gz:3: invalid record"):
        kb.entry(0)


def test_app_refuses_to_start_without_its_kb(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match=r"nope\.jsonl\.gz"):
        create_app({"KB_PATH": str(tmp_path / "nope.jsonl.gz")})
