"""Prepare a label photo for Tesseract, and remember how to map boxes back onto the photo.

The steps, in order, each switchable through :class:`PrepOptions` so its effect can be measured
(``bench/eval_ocr.py --without STEP``):

1. **polarity**: light text on dark plastic is inverted. Glyph-like connected components are
   counted in both polarities and the one with more wins ("the mean is dark" fails on photos).
2. **crop**: glyphs are smeared into lines and lines into blocks; the block holding the most
   glyphs is kept, with a margin. Tesseract then never reads the table top or the hand.
3. **orientation**: the angle (within ±90°) that makes the row profile of the glyph mask most
   peaked, found coarse then fine on a reduced copy, split into quarter turns and a residue;
   then upside down or not from where the ink sits around each line's core (the pipeline
   settles doubtful cases by reading a band both ways up).
4. **deskew**: the residue is undone (with orientation off, only within ±12°); corners are filled
   with the background's level.
5. **scale**: the crop is resized so that the median glyph is about 30 px tall, the size
   Tesseract reads best; nothing larger than ``max_pixels`` is produced.
6. **dewarp**: lines bent round a bottle are straightened: the row profiles of vertical strips are
   matched to their neighbours' and each column is shifted by a fitted parabola.
7. **flatten**: the background (a morphological closing wider than any letter) is divided out,
   which evens out glare, shadows and a bottle's shading.
8. **contrast**: a percentile stretch; then a 3x3 median filter (denoise before any threshold).
9. **threshold** (off by default): an adaptive threshold after the median filter.

Decisions taken on weak evidence are recorded in ``steps["doubts"]`` (``polarity``, ``crop``,
``rotation``, ``upside-down``, ``dewarp``, ``scale``): the pipeline then reads the photo with that
decision taken the other way (``invert``, ``crop``/``crop_box``, ``turns``, ``dewarp``, ``scale``
in :class:`PrepOptions`) and keeps the read that recognises more, so no step is trusted blindly.

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

#: Ink below a line's core over ink above it beyond which the text is upside down.
UPSIDE_DOWN_RATIO = 1.25
#: Light-glyph over dark-glyph counts within which the polarity decision is doubtful (steps
#: record it as ``doubts``; the pipeline then reads the photo the other way too).
POLARITY_DOUBT = (0.5, 4.0)
#: A crop holding less than this share of the photo's glyphs, or fewer than
#: :data:`CROP_DOUBT_LINES` lines of them, is doubtful: another text block may be the list.
CROP_DOUBT_SHARE = 0.6
CROP_DOUBT_LINES = 4

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
    dewarp: bool = True
    flatten: bool = True
    threshold: bool = False
    analysis_side: int = 1200
    glyph_height: int = 30
    max_pixels: int = 8_000_000
    turns: int | None = None  # force this many quarter turns (no detection): a second strategy
    crop_box: tuple[int, int, int, int] | None = None  # a forced crop in original pixels
    invert: bool | None = None  # force the polarity decision (no detection): a candidate read

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
    bend: tuple[float, float, float] = (0.0, 0.0, 0.0)  # dewarp: row shift p2*x^2 + p1*x + p0

    def quad(self, left: int, top: int, width: int, height: int) -> list[list[float]]:
        """Map a box of the prepared image to the four corners on the original photo."""
        (a, b, c), (d, e, f) = self.to_original
        p2, p1, p0 = self.bend
        right, bottom = left + width, top + height
        corners = ((left, top), (right, top), (right, bottom), (left, bottom))
        out = []
        for x, y in corners:
            sy = y + p2 * x * x + p1 * x + p0  # undo the dewarp: the row it was sampled from
            out.append([round(a * x + b * sy + c, 1), round(d * x + e * sy + f, 1)])
        return out


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


def _polarity(gray: Gray) -> tuple[bool, float]:
    """Whether the text is lighter than its background, and the light/dark glyph ratio.

    True means the image is to be inverted. The ratio says how sure that is: near 1 both
    polarities look like text (a dark label with light print beside a light one), and the
    pipeline reads both (:data:`POLARITY_DOUBT`).
    """
    dark = len(_glyphs(gray)[1])
    light = len(_glyphs(cv2.bitwise_not(gray))[1])
    ratio = (light + 1) / (dark + 1)
    return light > 1.3 * dark and light >= 20, ratio


def _text_block(mask: Gray, glyph_h: float) -> tuple[int, int, int, int, float] | None:
    """The densest block of glyphs: its box (x, y, w, h) and share of the glyph pixels, or None."""
    k = max(3, int(glyph_h * 1.5))
    smeared = cv2.dilate(mask, np.ones((k, k * 2), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(smeared, connectivity=8)
    if count <= 1:
        return None
    glyph_counts = np.bincount(labels[mask > 0], minlength=count)
    glyph_counts[0] = 0
    best = int(np.argmax(glyph_counts))
    x, y, w, h = (int(v) for v in stats[best, :4])
    return x, y, w, h, float(glyph_counts[best] / max(1, glyph_counts.sum()))


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


def _levelling_angle(mask: Gray, limit: float = 90.0) -> float:
    """The angle in degrees (counter-clockwise, within ±``limit``) that levels the text lines.

    Each glyph of the mask is a point (its centroid, weighted by its ink). Turned by the right
    angle, the points fall into a few narrow bands, the lines, so the histogram of their heights
    is most peaked (the sum of its squared bins is largest). Turning points instead of pixels
    makes every angle cheap: a coarse pass over the whole range, then two finer ones.
    """
    count, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 2:
        return 0.0
    xs, ys = centroids[1:, 0], centroids[1:, 1]
    weights = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    band = max(1.0, float(np.median(stats[1:, cv2.CC_STAT_HEIGHT])) / 3)
    reach = math.hypot(*mask.shape)
    bins = int(2 * reach / band) + 2

    def best(angles: NDArray[Any]) -> float:
        theta = np.radians(angles)[:, None]
        heights = -xs[None, :] * np.sin(theta) + ys[None, :] * np.cos(theta)  # as cv2 turns
        cells = ((heights + reach) / band).astype(np.int64)
        cells += np.arange(len(angles))[:, None] * bins
        hist = np.bincount(cells.ravel(), np.tile(weights, len(angles)), len(angles) * bins)
        scores = (hist.reshape(len(angles), bins) ** 2).sum(axis=1)
        return float(angles[int(np.argmax(scores))])

    step = 2.0 if limit > 20 else 1.0
    angle = best(np.arange(-limit, limit + 0.01, step))
    angle = best(np.arange(angle - step, angle + step + 0.01, 0.25))
    return best(np.arange(angle - 0.25, angle + 0.26, 0.05))


def _ink_below_over_above(mask: Gray, angle: float) -> float | None:
    """How much more ink levelled text lines carry below their core than above it.

    Latin text has more ascenders and capitals than descenders, so the ink above a line's
    x-height band outweighs the ink below it (a ratio under 1); upside down, the opposite
    holds. Capitals alone give about 1: no answer. None when fewer than three lines are seen.
    """
    h, w = mask.shape
    if h < 8 or w < 8:
        return None
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
    if lines < 3:
        return None
    return (below + 1.0) / (above + 1.0)


def _bend(work: Gray, glyph_h: float, strips: int = 16) -> tuple[float, float, float]:
    """How far each column's text lines sit below the middle column's, as a parabola in x.

    A label wrapped round a bottle bends its lines. The image is cut into vertical strips; the
    row profile of each strip's glyphs is matched to its neighbour's within less than half a
    line, the offsets are chained outwards from the middle, and a parabola is fitted to them
    (weighted by ink). Returns ``(p2, p1, p0)`` in full-resolution pixels, or zeros when the
    text is too sparse to tell.
    """
    h, w = work.shape
    r = min(1.0, 900 / max(h, w))
    small = cv2.resize(work, (max(1, int(w * r)), max(1, int(h * r))), interpolation=cv2.INTER_AREA)
    mask, stats = _glyphs(small)
    if len(stats) < 40 or small.shape[1] < strips * 8:
        return (0.0, 0.0, 0.0)
    reach = max(2, int(glyph_h * r * 0.45))
    bounds = np.linspace(0, small.shape[1], strips + 1).astype(int)
    sigma = max(1.0, glyph_h * r / 6)
    profiles = []
    for i in range(strips):
        rows = mask[:, bounds[i] : bounds[i + 1]].sum(axis=1, dtype=np.float64)
        profiles.append(cv2.GaussianBlur(rows.reshape(-1, 1), (1, 0), sigma).ravel())
    ink = np.array([float(p.sum()) for p in profiles])
    usable = ink > 0.25 * np.median(ink[ink > 0]) if (ink > 0).any() else ink > 0

    def offset(a: NDArray[Any], b: NDArray[Any]) -> int:
        """The shift d (rows) for which b[y + d] best matches a[y]."""
        best, best_d = -1.0, 0
        for d in range(-reach, reach + 1):
            if d >= 0:
                score = float(np.dot(a[: len(a) - d], b[d:]))
            else:
                score = float(np.dot(a[-d:], b[: len(b) + d]))
            if score > best:
                best, best_d = score, d
        return best_d

    middle = strips // 2
    shifts = np.zeros(strips)
    for i in range(middle + 1, strips):
        shifts[i] = shifts[i - 1] + (offset(profiles[i - 1], profiles[i]) if usable[i] else 0)
    for i in range(middle - 1, -1, -1):
        shifts[i] = shifts[i + 1] + (offset(profiles[i + 1], profiles[i]) if usable[i] else 0)
    centres = (bounds[:-1] + bounds[1:]) / 2
    if usable.sum() < strips // 2:
        return (0.0, 0.0, 0.0)
    weights = np.sqrt(np.where(usable, ink, 0.0))
    p2, p1, p0 = np.polyfit(centres / r, shifts / r, 2, w=weights)
    return (float(p2), float(p1), float(p0))


def _flatten(work: Gray, glyph_h: float) -> Gray:
    """Divide out the background: glare, shading, vignetting and a bottle's curve.

    The background is the image with its dark strokes closed over (a morphological closing
    wider than any letter), taken on a reduced copy and smoothed; each pixel becomes its share
    of the local background, so text keeps its contrast under a highlight or in a shadow.
    """
    h, w = work.shape
    r = min(1.0, 500 / max(h, w))
    small = cv2.resize(work, (max(1, int(w * r)), max(1, int(h * r))), interpolation=cv2.INTER_AREA)
    k = max(3, int(glyph_h * r * 1.5)) | 1
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    background = cv2.GaussianBlur(background, (0, 0), k / 2)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = work.astype(np.float32) * 255.0 / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


def _affine(m: Matrix) -> Matrix:
    return np.vstack([m, [0.0, 0.0, 1.0]])


@dataclass
class _Work:
    """What the preparation steps share: the image so far and how it maps to the photo."""

    opts: PrepOptions
    gray: Gray  # the image being prepared (full resolution)
    small: Gray  # a reduced copy for analysis
    reduce: float  # small / original
    forward: Matrix = field(default_factory=lambda: np.eye(3))  # original -> prepared
    steps: dict[str, Any] = field(default_factory=dict)
    mask: Gray | None = None  # glyph mask of ``small`` (then of the crop, turned as the image)
    stats: NDArray[Any] | None = None
    glyph_h: float = 10.0  # median glyph height in ``small``
    angle: float | None = None  # the levelling angle, when found with the quarter turns
    factor: float = 1.0  # the scale applied
    bend: tuple[float, float, float] = (0.0, 0.0, 0.0)
    doubts: list[str] = field(default_factory=list)  # decisions a reading should check

    @property
    def has_glyphs(self) -> bool:
        return self.stats is not None and len(self.stats) > 0

    def then(self, m: Matrix) -> None:
        """Record a further transform (3x3) of the prepared image."""
        self.forward = m @ self.forward

    def background(self) -> float:
        """The image's background level (a sparse median), to fill new corners with."""
        h, w = self.gray.shape
        return float(np.median(self.gray[:: max(1, h // 200), :: max(1, w // 200)]))


def _analyse(gray: Gray, opts: PrepOptions) -> _Work:
    """Reduce a copy for analysis, invert light-on-dark text, find the glyphs."""
    reduce = min(1.0, opts.analysis_side / max(gray.shape))
    stride = max(1, int(0.5 / reduce)) if reduce < 0.5 else 1  # skip pixels first: much faster
    coarse = gray[::stride, ::stride]
    size = (max(1, round(gray.shape[1] * reduce)), max(1, round(gray.shape[0] * reduce)))
    small = cv2.resize(coarse, size, interpolation=cv2.INTER_AREA)
    w = _Work(opts, gray, small, reduce)
    if opts.invert is not None:
        inverted = opts.invert
    elif opts.polarity:
        inverted, ratio = _polarity(small)
        w.steps["polarity_ratio"] = round(ratio, 2)
        if POLARITY_DOUBT[0] <= ratio <= POLARITY_DOUBT[1]:
            w.doubts.append("polarity")
    else:
        inverted = False
    w.steps["inverted"] = inverted
    if inverted:
        w.gray, w.small = cv2.bitwise_not(gray), cv2.bitwise_not(small)
    w.mask, w.stats = _glyphs(w.small)
    if len(w.stats):
        w.glyph_h = float(np.median(w.stats[:, cv2.CC_STAT_HEIGHT]))
    return w


def _crop(w: _Work) -> None:
    """Keep the text block (or the forced box) with a margin of two glyph heights."""
    opts, gray, reduce, mask = w.opts, w.gray, w.reduce, w.mask
    assert mask is not None
    x0, y0, x1, y1 = 0, 0, gray.shape[1], gray.shape[0]
    if opts.crop_box is not None:
        w.doubts.append("crop")  # a forced box is a guess too
        bx, by, bw, bh = opts.crop_box
        x0, y0 = max(0, bx), max(0, by)
        x1, y1 = min(gray.shape[1], bx + bw), min(gray.shape[0], by + bh)
    elif opts.crop:
        block = _text_block(mask, w.glyph_h)
        if block is not None:
            bx, by, bw, bh, share = block
            lines = min(bw, bh) / max(1.0, w.glyph_h * 1.5)  # a sideways block: its width
            w.steps["crop_share"] = round(share, 2)
            if share < CROP_DOUBT_SHARE or lines < CROP_DOUBT_LINES:
                w.doubts.append("crop")
            margin = w.glyph_h * 2
            x0 = max(0, int((bx - margin) / reduce))
            y0 = max(0, int((by - margin) / reduce))
            x1 = min(gray.shape[1], int((bx + bw + margin) / reduce))
            y1 = min(gray.shape[0], int((by + bh + margin) / reduce))
    if x1 - x0 < 8 or y1 - y0 < 8:
        x0, y0, x1, y1 = 0, 0, gray.shape[1], gray.shape[0]
    w.steps["crop"] = [x0, y0, x1 - x0, y1 - y0]
    w.gray = gray[y0:y1, x0:x1]
    w.then(np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64))
    sx0, sy0, sx1, sy1 = (int(v * reduce) for v in (x0, y0, x1, y1))
    w.mask = mask[sy0:sy1, sx0:sx1]


def _orient(w: _Work) -> None:
    """Turn by quarter turns (any angle found, or forced), then right way up from the ink."""
    opts = w.opts
    mask = w.mask
    assert mask is not None
    if opts.turns is not None:
        turns = opts.turns % 4
    elif opts.orientation and opts.deskew and mask.size:
        # Any angle: the levelling angle over ±90°, split into quarter turns and a residue.
        full = _levelling_angle(mask)
        turns = 1 if full > 45 else 3 if full < -45 else 0
        w.angle = full - 90 if turns == 1 else full + 90 if turns == 3 else full
    else:
        turns = _turns(mask, w.glyph_h) if opts.orientation else 0
    w.steps["quarter_turns"] = turns
    if opts.turns is None and turns % 2:
        w.doubts.append("rotation")  # narrow upright columns also level best turned sideways
    for _ in range(turns):  # each turn: 90 degrees counter-clockwise, (x, y) -> (y, W - 1 - x)
        old_width = w.gray.shape[1]
        w.gray = np.ascontiguousarray(np.rot90(w.gray))
        mask = np.ascontiguousarray(np.rot90(mask))
        w.then(np.array([[0, 1, 0], [-1, 0, old_width - 1], [0, 0, 1]], dtype=np.float64))
    w.mask = mask
    if w.angle is None:  # forced turns may still leave up to 45 degrees to level
        limit = 45.0 if opts.turns is not None else 12.0
        w.angle = _levelling_angle(mask, limit) if opts.deskew and mask.size else 0.0
    ratio = _ink_below_over_above(mask, w.angle) if opts.orientation else None
    if opts.turns is None and ratio is not None and ratio > UPSIDE_DOWN_RATIO:
        w.doubts.append("upside-down")  # capitals, blur and bent lines fool the ink test
        w.gray = np.ascontiguousarray(np.rot90(w.gray, 2))
        h, wd = w.gray.shape
        w.then(np.array([[-1, 0, wd - 1], [0, -1, h - 1], [0, 0, 1]], dtype=np.float64))
        w.steps["quarter_turns"] = (turns + 2) % 4


def _deskew(w: _Work) -> None:
    """Level the lines by the angle found, the new corners filled with the background."""
    angle = w.angle or 0.0
    w.steps["deskew_degrees"] = round(angle, 2)
    if abs(angle) < 0.2:
        return
    h, wd = w.gray.shape
    m = cv2.getRotationMatrix2D((wd / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = int(h * sin + wd * cos), int(h * cos + wd * sin)
    m[0, 2] += new_w / 2 - wd / 2
    m[1, 2] += new_h / 2 - h / 2
    # Fill the new corners with the background's level: replicated edge pixels make streaks
    # that Tesseract reads as characters.
    w.gray = cv2.warpAffine(
        w.gray,
        m,
        (new_w, new_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=w.background(),
    )
    w.then(_affine(m))


def _scale(w: _Work) -> None:
    """Bring the glyphs to ``glyph_height`` pixels, within ``max_pixels``."""
    opts = w.opts
    factor = 1.0
    if opts.scale and w.has_glyphs:
        factor = opts.glyph_height / max(1.0, w.glyph_h / w.reduce)
        factor = min(factor, math.sqrt(opts.max_pixels / max(1, w.gray.size)))
        factor = max(0.25, min(4.0, factor))
        if abs(factor - 1) > 0.1:
            interp = cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
            w.gray = cv2.resize(w.gray, None, fx=factor, fy=factor, interpolation=interp)
            w.then(np.diag([factor, factor, 1.0]))
            if factor > 2.0:
                w.doubts.append("scale")  # a small photo blown up: check against reading it as is
        else:
            factor = 1.0
    w.factor = factor
    w.steps["scale"] = round(factor, 3)


def _dewarp(w: _Work) -> None:
    """Straighten lines bent round a bottle: each column moved up by the fitted bend."""
    if not (w.opts.dewarp and w.has_glyphs):
        return
    bend = _bend(w.gray, w.glyph_h / w.reduce * w.factor)
    xs = np.arange(w.gray.shape[1], dtype=np.float64)
    column_shift = bend[0] * xs * xs + bend[1] * xs + bend[2]
    span = float(column_shift.max() - column_shift.min())
    curve = abs(bend[0]) * (w.gray.shape[1] / 2) ** 2  # the bend itself, without the slope
    if curve < 2.0:  # not a bend worth undoing
        return
    h = w.gray.shape[0]
    map_x = np.tile(xs.astype(np.float32), (h, 1))
    map_y = (np.arange(h, dtype=np.float32)[:, None] + column_shift[None, :]).astype(np.float32)
    w.gray = cv2.remap(
        w.gray,
        map_x,
        map_y,
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=w.background(),
    )
    w.bend = bend
    w.steps["dewarp_px"] = round(span, 1)
    w.doubts.append("dewarp")


def _finish(w: _Work) -> None:
    """Flatten the lighting, stretch the contrast, remove speckle, and threshold if asked."""
    opts = w.opts
    if opts.flatten and w.has_glyphs:
        w.gray = _flatten(w.gray, w.glyph_h / w.reduce * w.factor)
        w.steps["flatten"] = "background"
    if opts.contrast:
        low, high = np.percentile(w.gray, (1, 99))
        if high - low > 10:
            stretched = np.clip((w.gray.astype(np.float32) - low) * (255 / (high - low)), 0, 255)
            w.gray = stretched.astype(np.uint8)
        w.steps["contrast"] = "stretch"
    if opts.denoise:
        w.gray = cv2.medianBlur(w.gray, 3)
        w.steps["denoise"] = "median3"
    if opts.threshold:
        block_size = max(15, int(opts.glyph_height * 1.5) | 1)
        w.gray = cv2.adaptiveThreshold(
            w.gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block_size, 10
        )
        w.steps["threshold"] = "adaptive"


#: The preparation, in order: each step reads and updates the shared :class:`_Work`.
_STEPS = (_crop, _orient, _deskew, _scale, _dewarp, _finish)


def prepare(image: Image.Image, options: PrepOptions | None = None) -> Prepared:
    """Prepare ``image`` (the EXIF-transposed upload) for OCR; see the module docstring.

    The steps run in order (:data:`_STEPS`, after :func:`_analyse`), each switchable through
    ``options``; every transform is recorded so a box on the result maps back to the photo.
    """
    w = _analyse(np.asarray(image.convert("L"), dtype=np.uint8), options or PrepOptions())
    for step in _STEPS:
        step(w)
    w.steps["doubts"] = w.doubts
    back = np.linalg.inv(w.forward)
    to_original = (
        (float(back[0, 0]), float(back[0, 1]), float(back[0, 2])),
        (float(back[1, 0]), float(back[1, 1]), float(back[1, 2])),
    )
    return Prepared(Image.fromarray(w.gray), to_original, w.steps, w.bend)
