"""The one place that orders the stages.

Text: parse → match → look up → report (:func:`analyze_text`). Photo: decode → prepare → OCR →
the text stages → word boxes mapped back onto the photo (:func:`analyze_image`), with a second
strategy when the first read is poor. The API, the web page and the CLI all call these two, so
they cannot drift apart. The knowledge base, the matcher and the OCR engine are passed in (built
once at start-up; tests pass a fake engine).
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from incilens.core.claims import find_claims
from incilens.core.models import Ingredient, IngredientList, OcrResult
from incilens.core.parsing import PARSER_VERSION, parse
from incilens.core.product_type import detect_product_type
from incilens.core.profile import Profile, family_of
from incilens.core.report import UNREADABLE_CONFIDENCE, Report, build_report, photo_reliability
from incilens.errors import OcrTimeout
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import MATCHER_VERSION, Matcher, Resolved
from incilens.ocr.imaging import load_image
from incilens.ocr.preprocess import Prepared, PrepOptions, prepare
from incilens.ocr.tesseract import OcrEngine
from incilens.version import __version__

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "REPORT_VERSION",
    "ImageLimits",
    "analyze_image",
    "analyze_text",
    "build_matcher",
]

#: Bumped when the report's shape changes: 2 added `summary.verdict`, `summary.product`,
#: `ingredients[].uses` and the slimmer compact view.
REPORT_VERSION = "2"
#: Items analysed per text; a real list has well under a hundred.
DEFAULT_MAX_ITEMS = 300


def build_matcher(kb: KnowledgeBase) -> Matcher:
    """Build the matcher's indexes for ``kb`` (about a second; do it once, at start-up)."""
    return Matcher(kb)


def _resolve_avoid(
    terms: Sequence[str], matcher: Matcher
) -> tuple[dict[str, frozenset[str] | str], list[str]]:
    """Map avoid-list terms to a flag (families) or to entry ids (names and synonyms)."""
    resolved: dict[str, frozenset[str] | str] = {}
    unknown: list[str] = []
    for term in terms:
        family = family_of(term)
        if family:
            resolved[term] = family
            continue
        hit = matcher.lookup(term)
        if hit is None:
            hit, _ = matcher.fuzzy(term)
        if hit is None:
            unknown.append(term)
        else:
            resolved[term] = frozenset({matcher.kb.ids[hit.entry]})
    return resolved, unknown


def _keep_real_lists(resolved: list[Resolved], lists: Sequence[IngredientList]) -> list[Resolved]:
    """Drop lists found without a header whose items are mostly not ingredients.

    A bare run of short items can be an address or a row of claims; it counts as a list only
    when at least half of its items are recognised. Lists under a header always stay (an
    unreadable list there is reported as an unreliable read instead).
    """
    bare = {lst.index for lst in lists if lst.found_by == "bare"}
    seen: dict[int, list[int]] = {}  # list index -> [items, recognised]
    for r in resolved:
        counts = seen.setdefault(r.token.list_index, [0, 0])
        counts[0] += 1
        counts[1] += r.match is not None
    keep = {i for i, (items, known) in seen.items() if i not in bare or 2 * known >= items}
    return [r for r in resolved if r.token.list_index in keep]


@dataclass(frozen=True)
class _Resolution:
    """A text parsed and matched, before any record is looked up or any report built."""

    text: str
    lists: list[IngredientList]
    resolved: list[Resolved]
    truncated: int

    @property
    def recognised(self) -> int:
        """How many items matched an entry."""
        return sum(r.entry is not None for r in self.resolved)


def _resolve_text(text: str, matcher: Matcher, max_items: int) -> _Resolution:
    """Parse ``text`` and match every item: the stages a photo's candidate reads are judged by."""
    parsed = parse(text)
    truncated = 0
    tokens = parsed.tokens
    if len(tokens) > max_items:  # a hostile or runaway text: stop, and say how many
        truncated = len(tokens) - max_items
        tokens = tokens[:max_items]
    resolved = _keep_real_lists(matcher.resolve_all(tokens), parsed.lists)
    used = {r.token.list_index for r in resolved}
    lists = [lst for lst in parsed.lists if lst.index in used or lst.found_by == "header"]
    truncated += max(0, len(resolved) - max_items)
    return _Resolution(text, lists, resolved[:max_items], truncated)


def _build(
    resolution: _Resolution, *, kb: KnowledgeBase, matcher: Matcher, profile: Profile
) -> Report:
    """Look up each matched item's record and build the report."""
    ingredients: list[Ingredient | None] = [
        None if r.entry is None else kb.entry(r.entry) for r in resolution.resolved
    ]
    avoid, avoid_unknown = _resolve_avoid(profile.avoid, matcher)
    return build_report(
        resolution.text,
        resolution.lists,
        resolution.resolved,
        ingredients,
        profile=profile,
        claims=find_claims(resolution.text),
        avoid=avoid,
        avoid_unknown=avoid_unknown,
        flag_labels=kb.header["flag_labels"],
        versions={
            "incilens": __version__,
            "kb": kb.version,
            "parser": PARSER_VERSION,
            "matcher": MATCHER_VERSION,
            "report": REPORT_VERSION,
        },
        truncated=resolution.truncated,
        product_type=detect_product_type(
            resolution.text, skip=[(lst.start, lst.end) for lst in resolution.lists]
        ),
    )


def analyze_text(
    text: str,
    *,
    kb: KnowledgeBase,
    matcher: Matcher,
    profile: Profile | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Report:
    """Analyse ``text``: find its ingredient lists, match every item and build the report."""
    resolution = _resolve_text(text, matcher, max_items)
    return _build(resolution, kb=kb, matcher=matcher, profile=profile or Profile())


@dataclass(frozen=True)
class ImageLimits:
    """What a photo may be: bytes and pixels (checked before decoding)."""

    max_bytes: int = 16 * 1024 * 1024
    max_pixels: int = 50_000_000


#: No further read starts once a photo has taken this long (seconds): with a 20 s OCR timeout
#: a request stays well inside the server's worker timeout.
SECOND_READ_BUDGET_S = 15.0
#: Below this share of recognised items (or with no list) a second strategy is tried.
GOOD_READ_SHARE = 0.8
#: A read whose preparation doubted a decision is checked unless it named this many.
SURE_NAMES = 8
#: An item whose words were read with less confidence than this (0-100) is marked.
LOW_CONFIDENCE = 70.0


@dataclass(frozen=True)
class _Read:
    strategy: str
    prepared: Prepared
    ocr: OcrResult
    resolution: _Resolution  # parsed and matched only: reads are compared by their counts
    seconds: dict[str, float]

    @property
    def quality(self) -> tuple[bool, int, float, float]:
        """List found, then recognised items, their share, and the OCR's own confidence."""
        items, recognised = len(self.resolution.resolved), self.resolution.recognised
        share = recognised / items if items else 0.0
        return items > 0, recognised, share, self.ocr.mean_confidence

    @property
    def good(self) -> bool:
        """A list found, three names or more, most items recognised.

        When preparation doubted one of its decisions, :data:`SURE_NAMES` names or more: a thin
        strip of a list reads "good" too.
        """
        found, recognised, share, _ = self.quality
        if self.prepared.steps.get("doubts") and recognised < SURE_NAMES:
            return False
        return found and recognised >= 3 and share >= GOOD_READ_SHARE


#: What each doubtful preparation decision is checked against: the same preparation with
#: that one decision taken the other way (see ``steps["doubts"]`` in ocr/preprocess).
_OTHER_WAY: dict[str, tuple[str, dict[str, Any]]] = {
    "polarity": ("other-polarity", {}),  # filled in from the first read's decision
    "crop": ("uncropped", {"crop": False, "crop_box": None}),
    "rotation": ("as-uploaded", {"turns": 0}),
    "upside-down": ("not-flipped", {}),  # filled in: the quarter turns without the flip
    "dewarp": ("no-dewarp", {"dewarp": False}),
    "scale": ("unscaled", {"scale": False}),
}
#: The plain photo: upright (EXIF applied) and greyscale, nothing else done, read as plain
#: Tesseract reads it. A candidate whenever reads are compared, so that no preparation step
#: can make a read worse than not preparing at all.
PLAIN = PrepOptions(
    polarity=False,
    crop=False,
    orientation=False,
    deskew=False,
    scale=False,
    contrast=False,
    denoise=False,
    dewarp=False,
    flatten=False,
)
#: At most this many reads per photo (the first included); the time budget also applies.
MAX_READS = 6
#: Check reads are cheap reads: glyphs this tall (not 30 px) in at most this many pixels,
#: about half the time of a full read; the winner is used as it was read.
CHECK_GLYPH_HEIGHT = 24
CHECK_MAX_PIXELS = 4_000_000
_CHECK_NAMES = frozenset(name for name, _ in _OTHER_WAY.values())
#: The order checks run in: the plain photo first (the safety net: it is always read once
#: reads are compared, whatever the time budget), then the decisions that lost real photos
#: most often, then the ones that lose least.
_CHECK_ORDER = ("plain", "upside-down", "polarity", "crop", "rotation", "dewarp", "scale")


def _checks(
    first: _Read, base: PrepOptions, *, within: str = ""
) -> list[tuple[str, PrepOptions, int]]:
    """Cheap reads that check the first read's doubtful decisions, and the plain photo.

    Each doubtful decision is taken the other way; the reads run in :data:`_CHECK_ORDER`,
    the plain photo first. ``within`` names a check read whose own doubts are being checked
    (one level deep: a decision taken the other way can expose the next wrong one); its reads
    are named ``within+name`` and the plain photo is not read again.
    """
    steps = first.prepared.steps
    cheap = dataclasses.replace(
        base,
        glyph_height=min(base.glyph_height, CHECK_GLYPH_HEIGHT),
        max_pixels=min(base.max_pixels, CHECK_MAX_PIXELS),
    )
    plans: dict[str, tuple[str, PrepOptions, int]] = {}
    if not within:
        plans["plain"] = ("plain", PLAIN, 3)
    for doubt in steps.get("doubts", ()):
        if doubt not in _OTHER_WAY:
            continue
        name, change = _OTHER_WAY[doubt]
        name = f"{within}+{name}" if within else name
        if doubt == "polarity":
            change = {"invert": not steps.get("inverted", False)}
        elif doubt == "upside-down":
            change = {"turns": (steps.get("quarter_turns", 0) + 2) % 4}
        plans[doubt] = (name, dataclasses.replace(cheap, **change), 3)
    return [plans[d] for d in _CHECK_ORDER if d in plans]


def _strategies(
    first: _Read, base: PrepOptions, engine: OcrEngine
) -> list[tuple[str, PrepOptions, int]]:
    """The reads worth trying after a poor first one, most promising first."""
    plans: list[tuple[str, PrepOptions, int]] = []
    if base.orientation and base.turns is None and _reads_better_turned(first.prepared, engine):
        # Upside down: the label's ink statistics guessed wrong (capitals, blur, bent lines).
        turned = (first.prepared.steps.get("quarter_turns", 0) + 2) % 4
        return [("turned-180", dataclasses.replace(base, turns=turned), 3)]
    header = next((lst for lst in first.resolution.lists if lst.header_start is not None), None)
    if header is not None and header.header_start is not None:
        # A crop around the "Ingredients" header: from it to the bottom of the text block.
        words = [w for w in first.ocr.words if w.end > header.header_start]
        if words:
            image = first.prepared.image
            top = max(0, words[0].top - words[0].height)
            quad = first.prepared.quad(0, top, image.width, image.height - top)
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            crop = (int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))
            plans.append(("header-crop", dataclasses.replace(base, crop_box=crop), 6))
    plans.append(("block-threshold", dataclasses.replace(base, threshold=True), 6))
    return plans[:2]


#: The band read both ways up to settle a label's orientation, in prepared pixels (glyphs are
#: about 30 px tall there, so about three lines of up to 30 characters).
UPRIGHT_SAMPLE = (800, 160)


def _reads_better_turned(prepared: Prepared, engine: OcrEngine) -> bool:
    """Whether a band from the middle of the prepared image reads better upside down.

    Ink statistics guess wrong on capitals, blur and bent lines (8 of the 40 hard photos of the
    development set), so a small band of a few lines is read both ways up and the more
    confident read wins by a clear margin. It costs two small reads.
    """
    image = prepared.image
    width, height = UPRIGHT_SAMPLE
    left = max(0, (image.width - width) // 2)
    top = max(0, (image.height - height) // 2)
    band = image.crop((left, top, min(image.width, left + width), min(image.height, top + height)))
    upright = engine.recognize(band, psm=6)
    turned = engine.recognize(band.rotate(180), psm=6)
    return len(turned.words) >= 3 and turned.mean_confidence > upright.mean_confidence + 10


def _read(
    image: Any,
    strategy: str,
    options: PrepOptions,
    psm: int,
    *,
    engine: OcrEngine,
    matcher: Matcher,
    max_items: int,
) -> _Read:
    """Prepare and read ``image`` one way, and parse and match what was read."""
    t0 = time.perf_counter()
    prepared = prepare(image, options)
    t1 = time.perf_counter()
    ocr = engine.recognize(prepared.image, psm=psm)
    t2 = time.perf_counter()
    resolution = _resolve_text(ocr.text, matcher, max_items)
    t3 = time.perf_counter()
    seconds = {"prepare": t1 - t0, "ocr": t2 - t1, "analysis": t3 - t2}
    return _Read(strategy, prepared, ocr, resolution, seconds)


def _item_boxes(read: _Read, report: Report) -> dict[int, dict[str, Any]]:
    """Each item's words: their quads on the photo, and how confidently they were read."""
    words = read.ocr.words
    out: dict[int, dict[str, Any]] = {}
    for item in report.items:
        mine = [w for w in words if w.start < item.end and w.end > item.start]
        if not mine:
            continue
        confidence = sum(w.confidence for w in mine) / len(mine)
        out[item.position] = {
            "boxes": [read.prepared.quad(w.left, w.top, w.width, w.height) for w in mine],
            "confidence": round(confidence, 1),
            "low_confidence": confidence < LOW_CONFIDENCE,
        }
    return out


def analyze_image(
    data: bytes,
    *,
    kb: KnowledgeBase,
    matcher: Matcher,
    engine: OcrEngine,
    profile: Profile | None = None,
    limits: ImageLimits | None = None,
    max_items: int = DEFAULT_MAX_ITEMS,
    prep: PrepOptions | None = None,
    second_strategy: bool = True,
) -> Report:
    """Read a label photo and analyse the text: the text report plus an ``ocr`` section.

    The photo is decoded (EXIF orientation applied), prepared and read. When that read is not
    good (no list, too few names, or few names while preparation doubted one of its
    decisions), other reads are compared with it: a band read both ways up may show the label
    is upside down (then it is read turned); otherwise the plain upright photo is read (always,
    whatever the time budget), each doubtful decision is read the other way (cheaply, and then
    that read's own doubts, one level deep), and then a crop from the "Ingredients" header down
    and an adaptive threshold. Reads are compared by what they parse and match (list found,
    recognised items, their share, OCR confidence); only the winner's records are looked up and
    its report built, and ``ocr.choice`` says which read won and why. At most
    :data:`MAX_READS` reads; none starts after :data:`SECOND_READ_BUDGET_S` (but the plain
    read). A read that recognised :data:`PARTIAL_NAMES` names or more is shown,
    with ``ocr.check`` when it was read with low confidence; fewer may be ``unreadable``. Word
    boxes come back in the coordinates of the uploaded photo after EXIF orientation. ``prep``
    and ``second_strategy`` exist so that benchmarks can measure each step's worth.
    """
    limits = limits or ImageLimits()
    prep = prep or PrepOptions()
    started = time.perf_counter()
    loaded = load_image(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels)
    decoded = time.perf_counter()
    read = functools.partial(
        _read, loaded.image, engine=engine, matcher=matcher, max_items=max_items
    )
    reads = [read("default", prep, 3)]
    if second_strategy and not reads[0].good:
        try:
            plans = _strategies(reads[0], prep, engine)  # may read a band both ways up
            if not (plans and plans[0][0] == "turned-180"):
                plans = _checks(reads[0], prep) + plans
            tried = {"default"}
            while plans and len(reads) < MAX_READS:
                safety_net = plans[0][0] == "plain" and "plain" not in tried
                if time.perf_counter() - started >= SECOND_READ_BUDGET_S and not safety_net:
                    break  # the plain read still runs: it is the safety net
                strategy, options, psm = plans.pop(0)
                if strategy in tried:
                    continue
                tried.add(strategy)
                reads.append(read(strategy, options, psm))
                if reads[-1].good and strategy != "plain":
                    break  # the plain read is the safety net, not a reason to stop checking
                if strategy in _CHECK_NAMES:  # its own doubts next: errors come in pairs
                    plans = _checks(reads[-1], options, within=strategy) + plans
                if strategy == "turned-180":  # the right way up now, but still poor: go on
                    plans = _checks(reads[-1], options)
                    plans += _strategies(reads[-1], options, engine)
        except OcrTimeout:  # a later read that times out costs its time, not the first read
            pass
    best = max(reads, key=lambda r: r.quality)
    built = time.perf_counter()
    report = _build(best.resolution, kb=kb, matcher=matcher, profile=profile or Profile())
    reported = time.perf_counter() - built  # only the winner's report is built
    timings = {"decode": decoded - started}
    for stage in ("prepare", "ocr", "analysis"):
        timings[stage] = sum(r.seconds[stage] for r in reads)
    timings["analysis"] += reported
    timings["total"] = time.perf_counter() - started
    steps = best.prepared.steps
    section = {
        **best.ocr.to_dict(),
        "image": loaded.to_dict(),
        "strategy": best.strategy,
        "choice": _choice(best, reads),
        "rotation_degrees": 90 * steps.get("quarter_turns", 0),
        "deskew_degrees": steps.get("deskew_degrees", 0.0),
        "preprocessing": steps,
        "attempts": [
            {
                "strategy": r.strategy,
                "mean_confidence": round(r.ocr.mean_confidence, 1),
                "items": len(r.resolution.resolved),
                "recognised": r.resolution.recognised,
            }
            for r in reads
        ],
        "timings_ms": {k: round(v * 1000, 1) for k, v in timings.items()},
    }
    boxes = _item_boxes(best, report)
    if best.resolution.recognised >= PARTIAL_NAMES:
        # A partial read is shown: its names come back, the doubtful ones outlined and marked.
        check = _check_these(best, boxes)
        if check is not None:
            section["check"] = check
    else:
        report = photo_reliability(report, best.ocr.mean_confidence, len(best.ocr.words))
    return dataclasses.replace(report, ocr=section, item_ocr=boxes)


#: A read that recognised at least this many names is never called unreadable: its names are
#: returned, and the ones read with low confidence are marked for the shopper to check.
PARTIAL_NAMES = 3


def _check_these(best: _Read, boxes: dict[int, dict[str, Any]]) -> dict[str, Any] | None:
    """The "check these" note of a partial or low-confidence read, or None for a clean one."""
    low = sorted(p for p, b in boxes.items() if b["low_confidence"])
    confidence = best.ocr.mean_confidence
    if not low and confidence >= UNREADABLE_CONFIDENCE:
        return None
    named = best.resolution.recognised
    message = (
        f"Part of this photo was read with low confidence (OCR {confidence:.0f} of 100). "
        f"{named} ingredient names were recognised"
        + (f"; check the {len(low)} outlined as hard to read against the label" if low else "")
        + ". A closer, flatter photo in even light reads more."
    )
    return {"message": message, "mean_confidence": round(confidence, 1), "positions": low}


def _choice(best: _Read, reads: Sequence[_Read]) -> dict[str, Any]:
    """Which read won and why, in words and in the decisions the first read doubted."""
    first = reads[0]
    doubts = list(first.prepared.steps.get("doubts", ()))
    got = f"{best.resolution.recognised} of {len(best.resolution.resolved)} items recognised"
    if len(reads) == 1:
        reason = f"the first read was good ({got})" if first.good else f"the only read ({got})"
    elif best is first:
        reason = f"no other read recognised more ({got})"
    else:
        reason = (
            f"{got}, against {first.resolution.recognised} of "
            f"{len(first.resolution.resolved)} for the default read"
        )
    return {"strategy": best.strategy, "reason": reason, "doubts": doubts}
