"""Prepare a label photo for Tesseract, and remember how to map boxes back onto the photo.

The steps, in order, each switchable through :class:`PrepOptions` so its effect can be measured
(``bench/eval_ocr.py --without STEP``):

1. **polarity**: light text on dark plastic is inverted. Glyph-like connected components are
   counted in both polarities and the one with more wins ("the mean is dark" fails on photos).
2. **crop**: glyphs are smeared into lines and lines into blocks; the block holding the most
   glyphs is kept, with a margin. Tesseract then never reads the table top or the hand.
3. **orientation**: quarter turns, from the shape of the smeared lines (text lines are long and
   flat, so a label photographed sideways shows tall ones).
4. **deskew**: the small angle (within ±12°) that makes the row profile of the glyph mask most
   peaked, found coarse then fine on a reduced copy.
5. **scale**: the crop is resized so that the median glyph is about 30 px tall, the size
   Tesseract reads best; nothing larger than ``max_pixels`` is produced.
6. **contrast**: a percentile stretch; then a 3x3 median filter (denoise before any threshold).
7. **threshold** (off by default): an adaptive threshold after the median filter.

All analysis runs on a reduced copy (at most ``analysis_side`` pixels); the full-resolution crop
is transformed once. :class:`Prepared` keeps the affine map from prepared to original
coordinates. Pure: numpy and OpenCV on in-memory arrays, no I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

__all__ = ["PrepOptions", "Prepared", "prepare"]

# OpenCV's stubs type every result as a generic array; these aliases say what we hold.
Gray = NDArray[Any]  # 2-D uint8
Matrix = NDArray[Any]  # 2x3 or 3x3 float64


@dataclass(frozen=True)
class PrepOptions:
    """Which steps run, and their sizes."""

    polarity: bool = True
    crop: bool = True
    orientation: bool = True
    deskew: bool = True
    scale: bool = True
    contrast: bool = True
    denoise: bool = True
    threshold: bool = False
    analysis_side: int = 1200
    glyph_height: int = 30
    max_pixels: int = 8_000_000
    turns: int | None = None  # force this many quarter turns (no detection): a second strategy
    crop_box: tuple[int, int, int, int] | None = None  # a forced crop in original pixels

    def without(self, *steps: str) -> PrepOptions:
        """A copy with the named steps switched off."""
        values = {**self.__dict__, **dict.fromkeys(steps, False)}
        return PrepOptions(**values)


@dataclass(frozen=True)
class Prepared:
    """The image to read, the map back to the photo, and what was done."""

    image: Image.Image
    to_original: tuple[tuple[float, float, float], tuple[float, float, float]]
    steps: dict[str, Any] = field(default_factory=dict)

    def quad(self, left: int, top: int, width: int, height: int) -> list[list[float]]:
        """Map a box of the prepared image to the four corners on the original photo."""
        (a, b, c), (d, e, f) = self.to_original
        right, bottom = left + width, top + height
        corners = ((left, top), (right, top), (right, bottom), (left, bottom))
        return [[round(a * x + b * y + c, 1), round(d * x + e * y + f, 1)] for x, y in corners]


def _glyphs(gray: Gray) -> tuple[Gray, NDArray[Any]]:
    """Dark glyph-like components of ``gray``: their mask and stats rows (x, y, w, h, area).

    A local (adaptive) threshold, not one for the whole photo: wood grain, bottle shading and
    uneven light are smooth, so they leave few components, while letter strokes are sharp.
    """
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    _, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    height = gray.shape[0]
    h = stats[:, cv2.CC_STAT_HEIGHT]
    w = stats[:, cv2.CC_STAT_WIDTH]
    area = stats[:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(1, w * h)
    tallest = max(height / 6, 48)  # taller blobs are pictures, edges or shadows, not letters
    keep = (h >= 4) & (h <= tallest) & (w <= 6 * h + 4) & (fill > 0.08) & (fill < 0.95)
    keep[0] = False  # the background
    mask = keep[labels].astype(np.uint8) * 255
    return mask, stats[keep]


def _polarity(gray: Gray) -> bool:
    """True when the text is lighter than its background (then the image is inverted)."""
    dark = len(_glyphs(gray)[1])
    light = len(_glyphs(cv2.bitwise_not(gray))[1])
    return light > 1.3 * dark and light >= 20


def _text_block(mask: Gray, glyph_h: float) -> tuple[int, int, int, int] | None:
    """The bounding box (x, y, w, h) of the densest block of glyphs, or None."""
    k = max(3, int(glyph_h * 1.5))
    smeared = cv2.dilate(mask, np.ones((k, k * 2), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    if count <= 1:
        return None
    glyph_counts = np.bincount(labels[mask > 0], minlength=count)
    glyph_counts[0] = 0
    best = int(np.argmax(glyph_counts))
    x, y, w, h = (int(v) for v in stats[best, :4])
    return x, y, w, h


def _turns(mask: Gray, glyph_h: float) -> int:
    """0 when lines run horizontally, 1 when the label was photographed sideways."""
    k = max(3, int(glyph_h * 1.2))
    flat = cv2.dilate(mask, np.ones((1, k * 3), np.uint8))
    tall = cv2.dilate(mask, np.ones((k * 3, 1), np.uint8))

    def elongation(img: Gray, horizontal: bool) -> float:
        _, _, stats, _ = cv2.connectedComponentsWithStats(img, connectivity=8)
        w = stats[1:, cv2.CC_STAT_WIDTH].astype(float)
        h = stats[1:, cv2.CC_STAT_HEIGHT].astype(float)
        if len(w) == 0:
            return 0.0
        ratio = w / np.maximum(h, 1) if horizontal else h / np.maximum(w, 1)
        return float(np.median(ratio)) * math.log(1 + len(w))

    return 1 if elongation(tall, False) > 1.3 * elongation(flat, True) else 0


def _skew(mask: Gray) -> float:
    """The angle in degrees (counter-clockwise) that levels the text lines."""
    h, w = mask.shape
    scale = min(1.0, 600 / max(h, w))
    small = cv2.resize(mask, (max(1, int(w * scale)), max(1, int(h * scale))))
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]))
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max(np.arange(-12, 12.5, 1.0), key=score)
    fine = max(np.arange(best - 1, best + 1.01, 0.2), key=score)
    return float(fine)


def _upside_down(mask: Gray, angle: float) -> bool:
    """Whether levelled text lines carry more ink below their core than above it.

    Latin text has more ascenders and capitals than descenders, so the ink above a line's
    x-height band outweighs the ink below it; upside down, the opposite holds.
    """
    h, w = mask.shape
    if h < 8 or w < 8:
        return False
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    level = cv2.warpAffine(mask, m, (w, h))
    rows = level.sum(axis=1, dtype=np.float64)
    above = below = 0.0
    lines = 0
    inked = rows > rows.max() * 0.05 if rows.max() > 0 else rows > 0
    start = None
    for y in range(h + 1):
        if y < h and inked[y]:
            start = y if start is None else start
            continue
        if start is not None and y - start >= 4:
            line = rows[start:y]
            core = np.nonzero(line >= line.max() * 0.5)[0]
            above += float(line[: core[0]].sum())
            below += float(line[core[-1] + 1 :].sum())
            lines += 1
        start = None
    return lines >= 3 and below > 1.25 * above


def _affine(m: Matrix) -> Matrix:
    return np.vstack([m, [0.0, 0.0, 1.0]])


def prepare(image: Image.Image, options: PrepOptions | None = None) -> Prepared:
    """Prepare ``image`` (the EXIF-transposed upload) for OCR; see the module docstring."""
    opts = options or PrepOptions()
    gray: Gray = np.asarray(image.convert("L"), dtype=np.uint8)
    steps: dict[str, Any] = {}
    forward = np.eye(3)  # original -> prepared

    reduce = min(1.0, opts.analysis_side / max(gray.shape))
    stride = max(1, int(0.5 / reduce)) if reduce < 0.5 else 1  # skip pixels first: much faster
    coarse = gray[::stride, ::stride]
    size = (max(1, round(gray.shape[1] * reduce)), max(1, round(gray.shape[0] * reduce)))
    small = cv2.resize(coarse, size, interpolation=cv2.INTER_AREA)
    inverted = opts.polarity and _polarity(small)
    steps["inverted"] = inverted
    if inverted:
        gray, small = cv2.bitwise_not(gray), cv2.bitwise_not(small)
    mask, stats = _glyphs(small)
    glyph_h = float(np.median(stats[:, cv2.CC_STAT_HEIGHT])) if len(stats) else 10.0

    x0, y0, x1, y1 = 0, 0, gray.shape[1], gray.shape[0]
    if opts.crop_box is not None:
        bx, by, bw, bh = opts.crop_box
        x0, y0 = max(0, bx), max(0, by)
        x1, y1 = min(gray.shape[1], bx + bw), min(gray.shape[0], by + bh)
    elif opts.crop:
        block = _text_block(mask, glyph_h)
        if block is not None:
            bx, by, bw, bh = block
            margin = glyph_h * 2
            x0 = max(0, int((bx - margin) / reduce))
            y0 = max(0, int((by - margin) / reduce))
            x1 = min(gray.shape[1], int((bx + bw + margin) / reduce))
            y1 = min(gray.shape[0], int((by + bh + margin) / reduce))
    if x1 - x0 < 8 or y1 - y0 < 8:
        x0, y0, x1, y1 = 0, 0, gray.shape[1], gray.shape[0]
    steps["crop"] = [x0, y0, x1 - x0, y1 - y0]
    work = gray[y0:y1, x0:x1]
    forward = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64) @ forward
    sx0, sy0, sx1, sy1 = (int(v * reduce) for v in (x0, y0, x1, y1))
    crop_mask = mask[sy0:sy1, sx0:sx1]

    if opts.turns is not None:
        turns = opts.turns % 4
    else:
        turns = _turns(crop_mask, glyph_h) if opts.orientation else 0
    steps["quarter_turns"] = turns
    for _ in range(turns):  # each turn: 90 degrees counter-clockwise, (x, y) -> (y, W - 1 - x)
        old_width = work.shape[1]
        work = np.ascontiguousarray(np.rot90(work))
        crop_mask = np.ascontiguousarray(np.rot90(crop_mask))
        turn = np.array([[0, 1, 0], [-1, 0, old_width - 1], [0, 0, 1]], dtype=np.float64)
        forward = turn @ forward

    angle = _skew(crop_mask) if opts.deskew and crop_mask.size else 0.0
    if opts.turns is None and opts.orientation and _upside_down(crop_mask, angle):
        work = np.ascontiguousarray(np.rot90(work, 2))
        h, w = work.shape
        forward = np.array([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64) @ forward
        turns = (turns + 2) % 4
        steps["quarter_turns"] = turns
    steps["deskew_degrees"] = round(angle, 2)
    if abs(angle) >= 0.2:
        h, w = work.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
        m[0, 2] += new_w / 2 - w / 2
        m[1, 2] += new_h / 2 - h / 2
        work = cv2.warpAffine(
            work, m, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        forward = _affine(m) @ forward

    factor = 1.0
    if opts.scale and len(stats):
        factor = opts.glyph_height / max(1.0, glyph_h / reduce)
        factor = min(factor, math.sqrt(opts.max_pixels / max(1, work.size)))
        factor = max(0.25, min(4.0, factor))
        if abs(factor - 1) > 0.1:
            interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
            work = cv2.resize(work, None, fx=factor, fy=factor, interpolation=interp)
            forward = np.diag([factor, factor, 1.0]) @ forward
        else:
            factor = 1.0
    steps["scale"] = round(factor, 3)

    if opts.contrast:
        low, high = np.percentile(work, (1, 99))
        if high - low > 10:
            work = np.clip((work.astype(np.float32) - low) * (255 / (high - low)), 0, 255)
            work = work.astype(np.uint8)
        steps["contrast"] = "stretch"
    if opts.denoise:
        work = cv2.medianBlur(work, 3)
        steps["denoise"] = "median3"
    if opts.threshold:
        block_size = max(15, int(opts.glyph_height * 1.5) | 1)
        work = cv2.adaptiveThreshold(
            work, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block_size, 10
        )
        steps["threshold"] = "adaptive"

    back = np.linalg.inv(forward)
    to_original = (
        (float(back[0, 0]), float(back[0, 1]), float(back[0, 2])),
        (float(back[1, 0]), float(back[1, 1]), float(back[1, 2])),
    )
    return Prepared(Image.fromarray(work), to_original, steps)
