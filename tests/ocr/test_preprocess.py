from __future__ import annotations

import textwrap

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from incilens.ocr.preprocess import Prepared, PrepOptions, prepare

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TEXT = (
    "Ingredients: Aqua, Glycerin, Niacinamide, Cetearyl Alcohol, Dimethicone, Phenoxyethanol, "
    "Tocopherol, Xanthan Gum, Citric Acid, Parfum, Limonene, Linalool, Sodium Benzoate."
)


def label(*, fg: str = "black", bg: str = "white", size: int = 28) -> Image.Image:
    font = ImageFont.truetype(FONT, size)
    lines = textwrap.wrap(TEXT, 40)
    image = Image.new("RGB", (22 * size, 2 * size + len(lines) * int(size * 1.4)), bg)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * int(size * 1.4)), line, fill=fg, font=font)
    return image


# Nasty cases first: nothing to read must not crash or produce a broken transform.
@pytest.mark.parametrize(
    "image",
    [
        Image.new("L", (1, 1), 255),
        Image.new("L", (5, 300), 0),
        Image.new("RGB", (640, 480), "white"),
        Image.new("RGB", (640, 480), "black"),
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (300, 400), dtype=np.uint8)),
    ],
    ids=["1px", "sliver", "blank", "black", "noise"],
)
def test_images_without_text(image: Image.Image) -> None:
    prepared = prepare(image)
    assert prepared.image.mode == "L" and prepared.image.width >= 1
    quad = prepared.quad(0, 0, 1, 1)
    assert all(np.isfinite(v) for point in quad for v in point)


@pytest.mark.parametrize(("turn", "expected"), [(0, 0), (90, 3), (180, 2), (270, 1)])
def test_quarter_turns_are_undone(turn: int, expected: int) -> None:
    prepared = prepare(label().rotate(turn, expand=True))
    assert prepared.steps["quarter_turns"] == expected


@pytest.mark.parametrize("angle", [-7.0, -3.0, 2.0, 6.0])
def test_small_skew_is_measured(angle: float) -> None:
    turned = label().rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
    prepared = prepare(turned)
    assert prepared.steps["deskew_degrees"] == pytest.approx(-angle, abs=0.6)


def test_light_text_on_dark_is_inverted() -> None:
    assert prepare(label(fg="white", bg="#203040")).steps["inverted"] is True
    assert prepare(label()).steps["inverted"] is False


def test_crop_finds_the_label_on_a_big_photo() -> None:
    photo = Image.new("RGB", (3000, 2200), "#6a7f5a")
    photo.paste(label(), (1200, 900))
    prepared = prepare(photo)
    x, y, w, h = prepared.steps["crop"]
    assert 1000 < x < 1250 and 700 < y < 950
    assert x + w > 1200 + 400 and y + h > 900 + 200
    assert w < 1500 and h < 900


def dark_pixels_map_to_dark_pixels(prepared: Prepared, photo: Image.Image) -> int:
    """Of 200 dark (text) pixels of the prepared image, how many map back onto dark ones.

    A few land on anti-aliased edges, so a good map scores a little under 200.
    """
    prep = np.asarray(prepared.image)
    original = np.asarray(photo.convert("L"))
    ys, xs = np.nonzero(prep < 100)
    pick = np.random.default_rng(0).choice(len(xs), 200, replace=False)
    hits = 0
    for i in pick:
        (x, y), *_ = prepared.quad(int(xs[i]), int(ys[i]), 0, 0)
        patch = original[int(y) - 3 : int(y) + 4, int(x) - 3 : int(x) + 4]
        hits += patch.size > 0 and patch.min() < 128
    return hits


def test_boxes_map_back_onto_the_original() -> None:
    # A box on the prepared image maps back to where the same pixels are on the photo, for
    # a crop, a quarter turn, a deskew and a scale all at once.
    photo = Image.new("RGB", (2400, 1800), "white")
    photo.paste(label(size=20), (700, 500))
    turned = photo.rotate(93, expand=True, fillcolor="white")
    prepared = prepare(turned)
    assert prepared.steps["quarter_turns"] == 3 and prepared.steps["scale"] != 1
    assert dark_pixels_map_to_dark_pixels(prepared, turned) >= 180


def test_steps_can_be_switched_off() -> None:
    opts = PrepOptions().without("crop", "deskew", "scale", "contrast", "denoise")
    prepared = prepare(label(), opts)
    assert prepared.steps["crop"] == [0, 0, *label().size]
    assert prepared.steps["scale"] == 1.0 and "contrast" not in prepared.steps


@pytest.mark.parametrize("angle", [37.0, -61.0, 118.0, -152.0, 84.0])
def test_any_angle_is_levelled(angle: float) -> None:
    # Quarter turns and deskew together undo the rotation, up to which way up (settled by the
    # pipeline, which reads a band both ways).
    photo = label().rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
    steps = prepare(photo).steps
    total = 90 * steps["quarter_turns"] + steps["deskew_degrees"] + angle
    assert min(total % 180, 180 - total % 180) < 1.0


def bent(image: Image.Image, depth: float) -> Image.Image:
    """Bend every text line into a parabola ``depth`` pixels deep, as round a bottle."""
    grey = np.asarray(image.convert("L"))
    h, w = grey.shape
    xs = np.arange(w, dtype=np.float32)
    shift = depth * ((xs - w / 2) / (w / 2)) ** 2
    map_x = np.tile(xs, (h, 1))
    map_y = (np.arange(h, dtype=np.float32)[:, None] - shift[None, :]).astype(np.float32)
    out = cv2.remap(grey, map_x, map_y, cv2.INTER_LINEAR, borderValue=255)
    return Image.fromarray(out)


def test_bent_lines_are_straightened_and_boxes_still_map_back() -> None:
    photo = bent(label(size=24), depth=22)
    prepared = prepare(photo)
    # the fitted bend spans the whole crop, margins included, so it is at least the drawn depth
    assert prepared.steps["dewarp_px"] > 0.7 * 22 * prepared.steps["scale"]
    # Straight lines: the row profile of the prepared text has deep gaps between lines.
    ink = np.asarray(prepared.image) < 128
    rows = ink.sum(axis=1)
    assert (rows[rows.argmax() - 60 : rows.argmax() + 60] == 0).any()
    assert dark_pixels_map_to_dark_pixels(prepared, photo) >= 180
    assert "dewarp_px" not in prepare(label()).steps  # straight lines are left alone


def test_glare_and_shadow_are_flattened() -> None:
    grey = np.asarray(label(size=26).convert("L")).astype(np.float32)
    w = grey.shape[1]
    light = np.linspace(0.35, 1.0, w, dtype=np.float32)[None, :]  # a shadow fading to the right
    glare = 120 * np.exp(-(((np.arange(w) - w * 0.7) / (w * 0.08)) ** 2))[None, :]
    lit = np.clip(grey * light + glare, 0, 255).astype(np.uint8)
    prepared = np.asarray(prepare(Image.fromarray(lit), PrepOptions().without("crop")).image)
    pw = prepared.shape[1]
    shadow, glared = prepared[:, : pw // 4], prepared[:, int(pw * 0.6) : int(pw * 0.8)]
    # the paper is white and the ink dark in the shadow and under the glare alike
    assert np.median(shadow) > 200 and np.median(glared) > 200
    ink_in_glare = np.percentile(glared, 3)
    assert np.percentile(shadow, 3) < 90 and ink_in_glare < 110
    plain = np.asarray(
        prepare(Image.fromarray(lit), PrepOptions().without("crop", "flatten")).image
    )
    pw = plain.shape[1]
    assert np.median(plain[:, : pw // 4]) < 170  # without it the paper in the shadow stays grey
