"""Photo reads are checked by what they read: no preparation step may make a read worse than not
taking it, partial reads are shown, and the six causes of bad reads on real photos (issue 20).

The real-engine tests draw their labels here (DejaVu Sans, the sizes phones make) and send them
through :func:`incilens.pipeline.analyze_image` with Tesseract; the plain read they are compared
with is Tesseract on the same upright photo with nothing prepared, scored the same way.
"""

from __future__ import annotations

import io
import math
import textwrap
from functools import cache
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from incilens import ocr
from incilens.core.report import Report
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.ocr.preprocess import PrepOptions, prepare
from incilens.ocr.tesseract import TesseractEngine
from incilens.pipeline import PLAIN, analyze_image, analyze_text, build_matcher
from tests.conftest import need
from tests.fakes import FakeOcrEngine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NAMES = (
    "Aqua, Glycerin, Niacinamide, Cetearyl Alcohol, Dimethicone, Phenoxyethanol, Tocopherol, "
    "Xanthan Gum, Citric Acid, Parfum, Limonene, Linalool, Sodium Benzoate, Allantoin"
)
LIST = "Ingredients: " + NAMES + "."


@cache
def _kb() -> tuple[KnowledgeBase, Matcher]:
    kb = KnowledgeBase.load()
    return kb, build_matcher(kb)


def analyse(image: Image.Image, engine: Any = None, **kwargs: Any) -> Report:
    kb, matcher = _kb()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=92)
    return analyze_image(
        out.getvalue(), kb=kb, matcher=matcher, engine=engine or TesseractEngine(), **kwargs
    )


def names(report: Report) -> list[str]:
    return [item.match.inci_name for item in report.items if item.match]


def label(
    text: str = LIST,
    *,
    size: int = 30,
    width: int = 40,
    fg: Any = "black",
    bg: Any = "white",
) -> Image.Image:
    font = ImageFont.truetype(FONT, size)
    lines = [ln for para in text.split("\n") for ln in (textwrap.wrap(para, width) or [""])]
    height = (len(lines) + 2) * size * 3 // 2
    image = Image.new("RGB", (int(size * width * 0.62) + 2 * size, height))
    image.paste(bg, (0, 0, *image.size))
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * size * 3 // 2), line, fill=fg, font=font)
    return image


def speckled_dark_scene(card: Image.Image) -> Image.Image:
    """A dark worktop strewn with light crumbs (glyph-sized specks) and the label on it."""
    rng = np.random.default_rng(7)
    scene = np.full((1800, 2400), 40, np.uint8)
    for _ in range(2500):
        x, y = int(rng.integers(0, 2380)), int(rng.integers(0, 1780))
        h, w = int(rng.integers(8, 20)), int(rng.integers(3, 14))
        scene[y : y + h, x : x + w] = 210
    out = Image.fromarray(scene).convert("RGB")
    out.paste(card, (1250, 500))
    return out


def narrow_column() -> Image.Image:
    """A tall narrow label: one ingredient per line, as tubes print them."""
    return label("Ingredients:\n" + NAMES.replace(", ", "\n"), size=34, width=16)


@pytest.fixture(scope="module")
def engine() -> TesseractEngine:
    need(ocr.available(), "tesseract is not installed")
    return TesseractEngine()


# -- 1. no step may make a read worse than not taking it ------------------------------------------
# Each row forces one preparation decision the wrong way, as the detectors did on real photos;
# the plain upright photo is always read too, so the answer is never worse than the plain read.
WRONG_DECISIONS = [
    ("inverted a dark-on-light label", PrepOptions(invert=True)),
    ("kept a thin strip of the list", PrepOptions(crop_box=(0, 120, 1400, 60))),
    ("turned an upright label sideways", PrepOptions(turns=1)),
    ("turned an upright label upside down", PrepOptions(turns=2)),
]


@pytest.mark.tesseract
@pytest.mark.parametrize(("case", "prep"), WRONG_DECISIONS, ids=[c for c, _ in WRONG_DECISIONS])
def test_a_wrong_decision_never_reads_worse_than_the_plain_photo(
    engine: TesseractEngine, case: str, prep: PrepOptions
) -> None:
    image = label()
    plain = analyse(image, engine, prep=PLAIN, second_strategy=False)
    report = analyse(image, engine, prep=prep)
    assert len(names(plain)) >= 12, case  # the plain read is good: the bar is high
    assert len(names(report)) >= len(names(plain)), (case, report.ocr)
    assert report.ocr is not None
    choice = report.ocr["choice"]
    assert choice["strategy"] != "default" and "against" in choice["reason"], choice
    assert report.ocr["attempts"][0]["strategy"] == "default"


def test_the_choice_is_reported_with_its_reason() -> None:
    engine = FakeOcrEngine("Ingredients: Aqua, Glycerin, Niacinamide, Parfum, Limonene")
    report = analyse(label(), engine)
    assert report.ocr is not None
    choice = report.ocr["choice"]
    assert choice["strategy"] == "default"
    assert choice["reason"].startswith("the first read was good (5 of 5 items")
    assert isinstance(choice["doubts"], list)


# -- the six causes found on real photos --------------------------------------------------------
@pytest.mark.tesseract
def test_cause_1_light_specks_do_not_turn_a_dark_on_light_label_over(
    engine: TesseractEngine,
) -> None:
    scene = speckled_dark_scene(label(size=28))
    report = analyse(scene, engine)
    assert len(names(report)) >= 12, report.ocr and report.ocr["attempts"]


@pytest.mark.tesseract
def test_cause_2_a_crop_that_keeps_a_strip_is_checked(engine: TesseractEngine) -> None:
    # A dense paragraph of directions and, below it, the list set with wide line spacing: the
    # densest block is the paragraph, a strip that holds none of the list.
    blurb = "Directions: massage gently into wet hair and rinse well, repeat if needed. " * 5
    top = label(blurb, size=24, width=60)
    lst = label(LIST, size=30, width=36)
    size = (max(top.width, lst.width) + 200, top.height + lst.height * 2)
    sheet = Image.new("RGB", size, "white")
    sheet.paste(top, (100, 60))
    spread = lst.resize((lst.width, lst.height * 2))  # the list's lines far apart
    sheet.paste(spread, (100, top.height + 200))
    report = analyse(sheet, engine)
    assert len(names(report)) >= 12, report.ocr and report.ocr["attempts"]


@pytest.mark.tesseract
def test_cause_3_an_upright_narrow_column_is_read_upright(engine: TesseractEngine) -> None:
    report = analyse(narrow_column(), engine)
    assert len(names(report)) >= 12, report.ocr and report.ocr["attempts"]


def test_cause_4_a_low_confidence_read_that_named_ingredients_shows_them() -> None:
    text = "Ingredients: Aqua, Glycerin, Niacinamide, Qxzv Blorp, Parfum, Limonene, Vrm Tlk"
    report = analyse(label(), FakeOcrEngine(text, confidence=55.0))
    assert names(report) == ["AQUA", "GLYCERIN", "NIACINAMIDE", "PARFUM", "LIMONENE"]
    assert report.reliability.level != "unreadable"
    assert report.ocr is not None
    check = report.ocr["check"]
    assert "low confidence" in check["message"] and "5 ingredient names" in check["message"]
    assert check["positions"] == [item.position for item in report.items]  # all read at 55
    assert all(report.item_ocr[p]["low_confidence"] for p in check["positions"])


@pytest.mark.parametrize(
    "text",
    [
        "Ingredients: Aqua, Glycerin, Parfum, Limonene, Vrm Tlk Qxz, Zzk Wq",  # 4 of 6
        "Ingredients: Qxzv Blorp, Vrrm Tlak, Zzk Wq, Aqua",  # one name of four: unreadable
        "Lorem ipsum dolor sit amet",  # nothing list-like
    ],
)
def test_cause_4_unreadable_only_when_nothing_list_like_was_read(text: str) -> None:
    report = analyse(label(), FakeOcrEngine(text, confidence=40.0))
    partial = len(names(report)) >= 3
    assert (report.reliability.level == "unreadable") is not partial, report.reliability
    assert report.ocr is not None
    assert ("check" in report.ocr) is partial


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AQUA / WATER « GLYCERIN « PARFUM « SODIUM BENZOATE", 4),  # OCR's form of a bullet
        ("Aqua » Glycerin » Parfum » Limonene", 4),
        ("Aqua * Glycerin * Parfum * Limonene * Linalool", 5),
        ("Aqua + Glycerin + Parfum", 3),  # OCR reads a bold bullet as a plus too
        ("Alcohol Denat. - Aqua - Parfum - Coumarin", 4),  # dashes as separators
        ("Aqua • Glycerin • Parfum", 3),
        ("Aqua · Glycerin · Parfum", 3),
        ("\n• Aqua\n• Glycerin\n• Parfum\n• Limonene", 4),  # line-leading bullets
        ("Aqua, Glycerin, Parfum, Phenoxyethanol * Essential Oil", 4),  # a footnote mark stays
    ],
)
def test_cause_5_bullets_and_their_ocr_forms_separate_items(text: str, expected: int) -> None:
    kb, matcher = _kb()
    report = analyze_text("Ingredients: " + text, kb=kb, matcher=matcher)
    assert len(report.items) == expected, [i.text for i in report.items]
    assert all(item.match for item in report.items[:3])


@pytest.mark.tesseract
@pytest.mark.parametrize("width", [400, 520])
def test_cause_6_a_small_photo_is_read(engine: TesseractEngine, width: int) -> None:
    big = label(size=30, width=40)
    small = big.resize((width, round(big.height * width / big.width)), Image.Resampling.LANCZOS)
    plain = analyse(small, engine, prep=PLAIN, second_strategy=False)
    report = analyse(small, engine)
    assert len(names(report)) >= max(10, len(names(plain))), report.ocr and report.ocr["attempts"]


def bottle(image: Image.Image, wrap: float) -> Image.Image:
    """The label wrapped round a cylinder seen from the side: ``wrap`` of a half turn shown."""
    arr = np.asarray(image.convert("L"), np.float32)
    h, w = arr.shape
    half = wrap * math.pi / 2
    xs = np.linspace(-math.sin(half), math.sin(half), w)
    src = (np.arcsin(xs) / half + 1) / 2 * (w - 1)
    sag = (1 - np.cos(np.arcsin(xs))) * h * 0.08  # the lines bow down towards the edges
    out = np.full_like(arr, 255)
    for x in range(w):
        col = arr[:, int(src[x])]
        shift = int(sag[x])
        out[shift:, x] = col[: h - shift] if shift else col
    shade = 0.55 + 0.45 * np.cos(np.arcsin(xs))  # darker towards the edges
    return Image.fromarray(np.clip(out * shade[None, :], 0, 255).astype(np.uint8))


@pytest.mark.tesseract
def test_cause_6_a_curved_bottle_reads_at_least_as_well_as_plain(engine: TesseractEngine) -> None:
    curved = bottle(label(size=30, width=40), 0.8)
    plain = analyse(curved, engine, prep=PLAIN, second_strategy=False)
    report = analyse(curved, engine)
    assert len(names(report)) >= max(8, len(names(plain))), report.ocr and report.ocr["attempts"]


# -- the doubts the preparation records ---------------------------------------------------------
def test_preparation_records_its_doubts() -> None:
    assert prepare(narrow_column()).steps["quarter_turns"] == 0
    sideways = prepare(label().rotate(90, expand=True)).steps
    assert sideways["quarter_turns"] == 3 and "rotation" in sideways["doubts"]
    clean = prepare(label()).steps
    assert clean["doubts"] == [] and clean["quarter_turns"] == 0 and not clean["inverted"]
    forced = prepare(label(), PrepOptions(invert=True)).steps
    assert forced["inverted"] is True and "polarity" not in forced["doubts"]


def test_a_small_photo_is_read_plain_first_when_the_first_read_is_poor() -> None:
    engine = FakeOcrEngine("Ingredients: Qxzv Blorp, Vrrm Tlak, Aqua, Zzk Wq")
    report = analyse(label(), engine)  # about 1 megapixel: the plain read is cheap
    assert report.ocr is not None
    strategies = [a["strategy"] for a in report.ocr["attempts"]]
    assert strategies[:2] == ["default", "plain"], strategies
    assert len(strategies) <= 6  # MAX_READS


def test_a_good_first_read_is_not_read_again() -> None:
    engine = FakeOcrEngine(LIST)
    report = analyse(label(), engine)
    assert report.ocr is not None
    assert [a["strategy"] for a in report.ocr["attempts"]] == ["default"]
    assert len(engine.calls) == 1
