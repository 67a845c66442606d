"""The README and docs/ against the code and the tree.

The configuration table in ``docs/CONFIGURATION.md`` is the one place settings are documented,
so it must name every setting once, nothing else, and the defaults the code has. The README
stays a front door; every relative link leads to a file in the repository, and no page names a
path outside it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from incilens.config import DEFAULTS

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
CONFIGURATION = REPO / "docs" / "CONFIGURATION.md"
PAGES = [README, *sorted((REPO / "docs").glob("*.md"))]

#: Every setting the service reads, with its default: the one table in the code.
SETTINGS = sorted(DEFAULTS)

README_MAX_LINES = 200
FORBIDDEN = ["../shared", "/work/"]


# -- reading the configuration table ----------------------------------------------------------
UNITS = {"B": 1, "KiB": 1024, "MiB": 1024**2, "GiB": 1024**3, "s": 1}
WORDS: dict[str, Any] = {"empty": "", "null": None, "none": None, "true": True, "false": False}
NUMBER = re.compile(r"(?P<number>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?P<unit>[A-Za-z]+))?")
SETTINGS_HEADER = re.compile(r"^\|\s*setting\s*\|\s*default\s*\|\s*meaning\s*\|\s*$", re.M)
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def parse_default(cell: str) -> Any:
    """The value a default cell stands for; ValueError when the cell cannot be read.

    A code span is a literal: JSON when it parses (``[]``, ``null``, ``["a", "b"]``), else the
    string itself (``eng``). Plain text is a word (empty, null, none, true, false) or a number
    with an optional unit (``16 MiB``, ``100,000``, ``20 s``). A note in brackets after the value
    is ignored: ``null (Tesseract)``, ``50,000,000 (50 MP)``.
    """
    cell = cell.strip()
    code = re.fullmatch(r"`([^`]*)`(?:\s+\(.*\))?", cell)
    if code:
        try:
            return json.loads(code.group(1))
        except ValueError:
            return code.group(1)
    head = cell.split(" (", 1)[0].strip()
    if head.lower() in WORDS:
        return WORDS[head.lower()]
    number = NUMBER.fullmatch(head)
    if number is None or (number["unit"] is not None and number["unit"] not in UNITS):
        raise ValueError(f"cannot read the default {cell!r}")
    value = Decimal(number["number"].replace(",", "")) * UNITS[number["unit"] or "B"]
    return int(value) if value == value.to_integral_value() else float(value)


def settings_rows(text: str) -> list[tuple[str, str]]:
    """(setting, default cell) per row of the table headed ``| setting | default | meaning |``."""
    header = SETTINGS_HEADER.search(text)
    assert header is not None, "docs/CONFIGURATION.md has no | setting | default | meaning | table"
    rows: list[tuple[str, str]] = []
    for line in text[header.end() :].lstrip("\n").splitlines()[1:]:  # [1:]: the | --- | line
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in CELL_SPLIT.split(line.strip().strip("|"))]
        assert len(cells) == 3, f"a settings row has three cells: {line}"
        key = re.fullmatch(r"`([A-Z][A-Z0-9_]*)`", cells[0])
        assert key is not None, f"one setting per row, as `NAME`: {line}"
        rows.append((key.group(1), cells[1]))
    return rows


ROWS = settings_rows(CONFIGURATION.read_text(encoding="utf-8"))
TABLE = dict(ROWS)


def same(documented: Any, actual: Any) -> bool:
    """Equal and of the same type (so ``false`` is not 0 and ``0`` is not null)."""
    return type(documented) is type(actual) and documented == actual


PARSE_CASES: list[tuple[str, Any]] = [
    ("16 MiB", 16 * 1024 * 1024),
    ("17 MiB", 17 * 1024 * 1024),
    ("16777216", 16 * 1024 * 1024),
    ("256 KiB", 256 * 1024),
    ("1.5 KiB", 1536),
    ("100,000", 100_000),
    ("50,000,000 (50 MP)", 50_000_000),
    ("20 s", 20),
    ("0", 0),
    ("empty", ""),
    ("empty (the file packaged with incilens)", ""),
    ("null", None),
    ("null (4 × `OCR_TIMEOUT` + 15 s: 95 s)", None),
    ("false", False),
    ("`[]` (none)", []),
    ("`null`", None),
    ("`eng`", "eng"),
    ("`300 per minute;10 per second`", "300 per minute;10 per second"),
    (
        '`["chrome-extension://*", "moz-extension://*"]`',
        ["chrome-extension://*", "moz-extension://*"],
    ),
]


@pytest.mark.parametrize(("cell", "expected"), PARSE_CASES)
def test_parse_default_reads_the_forms_the_table_uses(cell: str, expected: Any) -> None:
    assert same(parse_default(cell), expected)


@pytest.mark.parametrize("cell", ["", "16 MB", "sixteen", "16 MiB or so", "about 20 s", "1,00"])
def test_parse_default_refuses_what_it_cannot_read(cell: str) -> None:
    with pytest.raises(ValueError, match="cannot read"):
        parse_default(cell)


# -- the configuration table against the code -------------------------------------------------
def test_the_configuration_table_lists_every_setting_once_and_nothing_else() -> None:
    keys = [key for key, _ in ROWS]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    missing = sorted(set(SETTINGS) - set(keys))
    unknown = sorted(set(keys) - set(SETTINGS))
    assert not repeated, f"settings listed more than once: {repeated}"
    assert not missing, f"settings missing from docs/CONFIGURATION.md: {missing}"
    assert not unknown, f"rows that are not settings of the code: {unknown}"


@pytest.mark.parametrize("key", SETTINGS)
def test_each_documented_default_is_the_codes(key: str) -> None:
    if key not in TABLE:
        pytest.fail(f"{key} is not in docs/CONFIGURATION.md")
    documented = parse_default(TABLE[key])
    assert same(documented, DEFAULTS[key]), (
        f"{key}: the table says {TABLE[key]!r} ({documented!r}), config.py has {DEFAULTS[key]!r}"
    )


# -- the README and the links ------------------------------------------------------------------
def test_the_readme_is_a_front_door() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


FENCE = re.compile(r"^```.*?^```", re.M | re.S)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def relative_links(page: Path) -> list[str]:
    """The targets of the page's markdown links that are not URLs (``#anchor`` included)."""
    text = CODE_SPAN.sub("", FENCE.sub("", page.read_text(encoding="utf-8")))
    targets = (match.group(1) for match in LINK.finditer(text))
    return [target for target in targets if not EXTERNAL.match(target)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {slug(match.group(1)) for match in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", text, re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_every_relative_link_points_at_a_file_in_the_repository(page: Path) -> None:
    broken: list[str] = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.is_relative_to(REPO):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no such heading")
    assert not broken, f"broken links in {page.name}: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_no_page_names_a_path_outside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    found = [word for word in FORBIDDEN if word in text]
    assert not found, f"{page.name} names {found}"
