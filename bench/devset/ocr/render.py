"""Draw a flat label (text block on a coloured panel) from the ``render`` part of a manifest row.

Usage (library): ``render.draw(spec["render"])`` returns an RGB ``PIL.Image``; ``measure(spec)``
returns the size of the text block alone, which the sampler in layout.py uses to size panels.

Everything the picture depends on is in the spec, in pixels: font files (relative to the system
font folder), size, line spacing, column width, alignment, colours, margins and the panel size.
Each paragraph is wrapped greedily to the column; "justify" spreads the spare width of every
line but a paragraph's last over its word gaps, "left" leaves a ragged right edge. A word wider
than the column is cut after its last "/" or "-" that fits (as on packs: "Caprylic/Capric/" +
"Myristic/Stearic"), else at the column edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype")

# family -> (regular, bold), relative to FONT_DIR
FONTS: dict[str, tuple[str, str]] = {
    "DejaVu Sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "DejaVu Sans Condensed": (
        "dejavu/DejaVuSansCondensed.ttf",
        "dejavu/DejaVuSansCondensed-Bold.ttf",
    ),
    "DejaVu Serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "Liberation Sans": (
        "liberation/LiberationSans-Regular.ttf",
        "liberation/LiberationSans-Bold.ttf",
    ),
    "Liberation Serif": (
        "liberation/LiberationSerif-Regular.ttf",
        "liberation/LiberationSerif-Bold.ttf",
    ),
    "Liberation Sans Narrow": (
        "liberation/LiberationSansNarrow-Regular.ttf",
        "liberation/LiberationSansNarrow-Bold.ttf",
    ),
    "Noto Sans": ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
}


@cache
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """Load a font file (relative to FONT_DIR) at a pixel size."""
    return ImageFont.truetype(str(FONT_DIR / path), size)


@cache
def x_height_ratio(path: str) -> float:
    """The x-height of a font as a share of its pixel size (about 0.46-0.56 here)."""
    _, top, _, bottom = font(path, 200).getbbox("x", anchor="ls")
    return (bottom - top) / 200


def size_for_x_height(path: str, x_height: float) -> int:
    """The pixel size that gives a font the wanted x-height."""
    return max(6, round(x_height / x_height_ratio(path)))


@dataclass(frozen=True)
class Line:
    """One laid-out line: its words, whether to justify it, and whether it is bold."""

    words: tuple[str, ...]
    justify: bool
    bold: bool


def _cut(word: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Cut a word wider than the column into pieces that fit, after a "/" or "-" if possible."""
    pieces, rest = [], word
    while fnt.getlength(rest) > width:
        n = 1
        while n < len(rest) and fnt.getlength(rest[: n + 1]) <= width:
            n += 1
        soft = max(rest.rfind("/", 0, n), rest.rfind("-", 0, n))
        n = soft + 1 if soft > 0 else n
        pieces.append(rest[:n])
        rest = rest[n:]
    return [*pieces, rest]


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[list[str]]:
    """Greedy word wrap of one paragraph to ``width`` pixels."""
    space = fnt.getlength(" ")
    lines: list[list[str]] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        parts = _cut(word, fnt, width) if fnt.getlength(word) > width else [word]
        for part in parts:
            w = fnt.getlength(part)
            if current and used + space + w > width:
                lines.append(current)
                current, used = [], 0.0
            used += (space if current else 0.0) + w
            current.append(part)
    if current:
        lines.append(current)
    return lines


def layout(spec: dict[str, Any]) -> list[Line]:
    """Wrap every paragraph of a render spec into lines."""
    out: list[Line] = []
    for para in spec["paragraphs"]:
        bold = bool(para.get("bold"))
        fnt = font(spec["bold_font"] if bold else spec["font"], spec["size"])
        lines = wrap(para["text"], fnt, spec["column"])
        for k, words in enumerate(lines):
            last = k == len(lines) - 1
            out.append(Line(tuple(words), spec["align"] == "justify" and not last, bold))
    return out


def line_height(spec: dict[str, Any]) -> int:
    """Baseline-to-baseline distance in pixels."""
    return round(spec["size"] * spec["line_spacing"])


def measure(spec: dict[str, Any]) -> tuple[int, int]:
    """Width and height of the text block (without margins)."""
    lines = layout(spec)
    widest = 0.0
    for line in lines:
        fnt = font(spec["bold_font"] if line.bold else spec["font"], spec["size"])
        widest = max(widest, fnt.getlength(" ".join(line.words)))
    width = spec["column"] if spec["align"] == "justify" else widest
    ascent, descent = font(spec["font"], spec["size"]).getmetrics()
    height = ascent + descent + line_height(spec) * max(0, len(lines) - 1)
    return round(width), height


def draw(spec: dict[str, Any]) -> Image.Image:
    """Render the panel: background colour, then the text block at the margins."""
    panel_w, panel_h = spec["panel"]
    image = Image.new("RGB", (panel_w, panel_h), tuple(spec["paper"]))
    pen = ImageDraw.Draw(image)
    ink = tuple(spec["ink"])
    x0, y0 = spec["margin"]
    ascent, _ = font(spec["font"], spec["size"]).getmetrics()
    baseline = y0 + ascent
    for line in layout(spec):
        fnt = font(spec["bold_font"] if line.bold else spec["font"], spec["size"])
        if line.justify and len(line.words) > 1:
            widths = [fnt.getlength(w) for w in line.words]
            gap = (spec["column"] - sum(widths)) / (len(line.words) - 1)
            x = float(x0)
            for word, w in zip(line.words, widths, strict=True):
                pen.text((round(x), baseline), word, font=fnt, fill=ink, anchor="ls")
                x += w + gap
        else:
            pen.text((x0, baseline), " ".join(line.words), font=fnt, fill=ink, anchor="ls")
        baseline += line_height(spec)
    return image
