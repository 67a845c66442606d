from __future__ import annotations

import json

import pytest

from incilens.cli import main


def test_lookup_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "Vitamin E"]) == 0
    out = capsys.readouterr().out
    assert "TOCOPHEROL" in out and "comedogenic" in out and "vegan" in out


def test_lookup_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "cyclomethicone", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["inci_name"] == "CYCLOMETHICONE"
    assert record["eu"][0]["conditional"] is True


def test_lookup_unknown_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "glycern"]) == 1
    assert "did you mean: GLYCERIN" in capsys.readouterr().err


def test_missing_kb_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--kb", "/nonexistent/kb.jsonl.gz", "lookup", "glycerin"]) == 2
    assert "kb.jsonl.gz" in capsys.readouterr().err
