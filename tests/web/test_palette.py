"""The concern palette, from the page's style.css: WCAG contrast, and the extension uses it.

Text colours on their badge backgrounds and on white need 4.5:1 (WCAG 1.4.3); outline strokes
need 3:1 (1.4.11, non-text) both on white label paper and on the dark photo frame.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.live import REPO

CSS = REPO / "service" / "incilens" / "web" / "static" / "style.css"
LEVELS = ("none", "low", "moderate", "high", "unknown")
WHITE, FRAME = "#ffffff", "#222222"


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def palette() -> dict[str, str]:
    root = CSS.read_text().split(":root {", 1)[1].split("}", 1)[0]
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", root))


# The formula's own nasty cases first: equal colours, then black on white.
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("#777777", "#777777", 1.0), ("#000000", "#ffffff", 21.0), ("#e08a00", WHITE, 2.69)],
)
def test_the_contrast_formula(a: str, b: str, expected: float) -> None:
    assert contrast(a, b) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("level", LEVELS)
def test_concern_colours_have_contrast(level: str) -> None:
    colours = palette()
    text, background, stroke = (colours[f"{level}{s}"] for s in ("", "-bg", "-stroke"))
    assert contrast(text, background) >= 4.5, (level, text, background)
    assert contrast(text, WHITE) >= 4.5, (level, text)
    assert contrast(stroke, WHITE) >= 3.0, (level, stroke, "on white label paper")
    assert contrast(stroke, FRAME) >= 3.0, (level, stroke, "on the photo frame")


EXTENSION = REPO / "extension" / "src"
PILLS = [EXTENSION / "popup" / "popup.css", EXTENSION / "content" / "ui.js"]


def pill_colours(path: Any) -> dict[str, tuple[str, str]]:
    """``.c-<level> { background: X; color: Y; }`` rules of an extension file."""
    found = re.findall(
        r"\.c-([a-z]+) \{ background: (#[0-9a-fA-F]{6}); color: (#[0-9a-fA-F]{6}); \}",
        path.read_text(),
    )
    return {level: (bg.lower(), text.lower()) for level, bg, text in found}


def mark_colours() -> dict[str, tuple[str, str]]:
    """The extension's marks: ``(background, underline)`` per concern, from highlight.css."""
    css = (EXTENSION / "content" / "highlight.css").read_text()
    out = {}
    for level in LEVELS:
        rule = re.search(rf'concern="{level}"\] \{{([^}}]*)\}}', css)
        assert rule, level
        colours = re.findall(r"(transparent|#[0-9a-fA-F]{6})", rule.group(1))
        out[level] = (colours[0].lower(), colours[-1].lower())
    return out


@pytest.mark.parametrize("path", PILLS, ids=lambda p: p.name)
def test_the_extension_pills_use_the_page_palette(path: Any) -> None:
    colours = palette()
    assert pill_colours(path) == {
        level: (colours[f"{level}-bg"].lower(), colours[level].lower()) for level in LEVELS
    }


def test_the_extension_marks_use_the_page_palette() -> None:
    colours = palette()
    marks = mark_colours()
    for level in LEVELS:
        background, underline = marks[level]
        assert underline == colours[f"{level}-stroke"].lower(), level
        if level != "unknown":  # an unrecognised name keeps the page's own background
            assert background == colours[f"{level}-bg"].lower(), level
            # The page's own text stays readable on the mark.
            assert contrast("#1b1f24", background) >= 4.5, level


def test_the_toolbar_badge_uses_the_page_palette() -> None:
    colours = {v.lower() for k, v in palette().items() if k in LEVELS}
    js = (EXTENSION / "background" / "summary.js").read_text()
    used = {c.lower() for c in re.findall(r'"(#[0-9a-fA-F]{6})"', js)}
    assert used and used <= colours, used - colours
    for colour in used:  # white badge text on it
        assert contrast(colour, WHITE) >= 4.5, colour
