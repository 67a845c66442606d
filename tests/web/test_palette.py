"""The page's concern palette, read from style.css, meets WCAG contrast (issue 21, item 6).

Text colours on their badge backgrounds and on white need 4.5:1 (WCAG 1.4.3); outline strokes
need 3:1 (1.4.11, non-text) both on white label paper and on the dark photo frame.
"""

from __future__ import annotations

import re

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
