"""The build from shared/data: deterministic, up to date with what is committed, and strict."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from incilens.errors import KnowledgeBaseError
from incilens.kb.build import build
from incilens.kb.build.curated import CURATED_DIR
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase


def test_build_is_deterministic_and_matches_the_packaged_kb(
    shared_data: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    lines: list[str] = []
    header = build(shared_data, first, log=lines.append)
    build(shared_data, second, log=lambda _: None)
    assert first.read_bytes() == second.read_bytes()
    assert any("CosIng: 30059" in line for line in lines)
    assert header["counts"]["entries"] == len(KnowledgeBase.load(first))
    with gzip.open(first) as a, gzip.open(DEFAULT_KB_PATH) as b:
        assert a.read() == b.read(), "the packaged KB is stale: run `make kb` and commit it"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("profiles/part1.toml", 'concern = "none"', 'concern = "scary"'), "concern must be"),
        (("profiles/part1.toml", "pregnancy_caution", "pregnancy_cautious"), "unknown key"),
        (("synonyms.toml", 'kind = "common"', 'kind = "made-up"'), "kind must be"),
        (("reference_pages.toml", "[[page]]", "[[page]\n"), "reference_pages.toml"),
    ],
)
def test_curated_files_are_validated_strictly(
    shared_data: Path, tmp_path: Path, edit: tuple[str, str, str], message: str
) -> None:
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    rel, old, new = edit
    path = curated / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(KnowledgeBaseError, match=message):
        build(shared_data, tmp_path / "kb.jsonl.gz", curated_dir=curated, log=lambda _: None)


def test_a_curated_name_that_is_not_an_inci_name_fails(shared_data: Path, tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, curated)
    path = curated / "synonyms.toml"
    path.write_text(
        path.read_text()
        + '\n[[synonym]]\nname = "Foo"\ninci = "NOT A REAL NAME"\nkind = "common"\n'
    )
    with pytest.raises(KnowledgeBaseError, match="NOT A REAL NAME"):
        build(shared_data, tmp_path / "kb.jsonl.gz", curated_dir=curated, log=lambda _: None)
