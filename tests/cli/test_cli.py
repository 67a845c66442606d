from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def test_analyze_prints_a_readable_report(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Paraben free. Ingredients: Aqua, Glycerln, Methylparaben, Cetyl Alcohol, Xyzzy"
    assert main(["analyze", "--text", text]) == 0
    out = capsys.readouterr().out
    assert "5 items, 4 recognised" in out
    assert "Unrecognised: Xyzzy (#5)" in out
    assert "Paraben-free: CONTRADICTED" in out
    assert "not counted: Cetyl Alcohol" in out
    assert "GLYCERIN" in out and "ocr 95" in out


def test_analyze_json_with_a_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"avoid": ["parabens"], "vegan": True}))
    assert (
        main(["analyze", "--text", "Aqua, Propylparaben", "--profile", str(profile), "--json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["for_you"][0]["items"][0]["name"] == "Propylparaben"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "cannot use profile"),
        ('{"skin_type": "greasy"}', "skin_type"),
        ('{"height": 2}', "height"),
    ],
)
def test_analyze_rejects_a_bad_profile(tmp_path: Path, content: str, fragment: str) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "--text", "Aqua", "--profile", str(profile)])
    assert fragment in str(exit_info.value)


def test_analyze_without_a_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--text", "Apply to clean skin every morning and at night."]) == 3
    assert "No ingredient list" in capsys.readouterr().out
    assert main(["analyze", "--text", "   "]) == 1


ENTRY_POINTS = [
    # (python -m arguments, what the output must say): every documented module command runs
    (["incilens.kb.build", "--help"], "--source"),
    (["incilens.cli", "--help"], "analyze"),
    (["incilens.http.keys"], "client-name:"),
]


@pytest.mark.parametrize(("argv", "says"), ENTRY_POINTS, ids=lambda v: str(v))
def test_module_entry_points_run(argv: list[str], says: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *argv], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert says in done.stdout
