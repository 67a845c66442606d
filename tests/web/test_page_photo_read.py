"""A photo's read on a phone: tapping thin outlines, sharing the read text, correcting it
(issue 21, item 7). axe runs on each new state."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import LABELS, LiveServer, snap, wait_until
from tests.web.test_page_navigation import axe_violations

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("tesseract")]

SLOP = 16  # photo.js TAP_SLOP, in CSS pixels
GLYPHS = {"concern-high": "▲", "concern-moderate": "◆"}
WIDTHS = {"concern-high": "4.5px", "concern-moderate": "3.5px"}


def wait_report(page: Any) -> None:
    page.locator("#report").wait_for(state="visible")
    page.locator("#working").wait_for(state="hidden")


def distance(box: dict[str, float], x: float, y: float) -> float:
    dx = max(box["x"] - x, 0.0, x - (box["x"] + box["width"]))
    dy = max(box["y"] - y, 0.0, y - (box["y"] + box["height"]))
    return math.hypot(dx, dy)


def near_miss(page: Any) -> tuple[float, float, str]:
    """A point outside every outline but within the tap slop of one, and that outline's item."""
    boxes: list[tuple[dict[str, float], str]] = []
    groups = page.locator("#photo-frame svg g.outline")
    for i in range(groups.count()):
        group = groups.nth(i)
        position = group.get_attribute("data-position") or ""
        polygons = group.locator("polygon")
        boxes += [(polygons.nth(j).bounding_box(), position) for j in range(polygons.count())]
    frame = page.locator("#photo-frame").bounding_box()
    for box, _ in boxes:
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for x, y in (
            (cx, box["y"] + box["height"] + 5),
            (cx, box["y"] - 5),
            (box["x"] + box["width"] + 5, cy),
        ):
            inside_frame = frame["x"] < x < frame["x"] + frame["width"] and (
                frame["y"] < y < frame["y"] + frame["height"]
            )
            ranked = sorted((distance(b, x, y), p) for b, p in boxes)
            if inside_frame and 0 < ranked[0][0] <= SLOP - 4 and ranked[1][0] > ranked[0][0] + 2:
                return x, y, ranked[0][1]
    raise AssertionError("no point near an outline and outside all of them")


def test_phone_photo_taps_share_and_correction(page: Any, server: LiveServer) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
    wait_report(page)
    rows = page.locator("#rows > .row").count()
    heights = page.evaluate(
        "[...document.querySelectorAll('#photo-frame svg g.outline')]"
        ".map(g => g.getBoundingClientRect().height)"
    )
    assert heights and min(heights) < 24  # thin outlines: the case the tap slop is for

    # A tap just outside a thin outline still opens that ingredient.
    page.locator("#photo-frame").scroll_into_view_if_needed()
    x, y, position = near_miss(page)
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.tagName", [x, y])
    assert hit in ("svg", "image", "IMG"), hit
    page.mouse.click(x, y)
    assert page.locator(f"#item-{position} details").get_attribute("open") is not None

    # The outlines are one Tab stop; arrow keys, Home and End move between them.
    groups = page.locator("#photo-frame svg g.outline")
    count = groups.count()
    assert count > 3
    assert page.locator('#photo-frame svg g.outline[tabindex="0"]').count() == 1
    focused = "document.activeElement.closest('g.outline')?.dataset.position || null"
    groups.first.focus()
    first = page.evaluate(focused)
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == groups.nth(1).get_attribute("data-position")
    page.keyboard.press("End")
    assert page.evaluate(focused) == groups.nth(count - 1).get_attribute("data-position")
    page.keyboard.press("Home")
    assert page.evaluate(focused) == first
    page.keyboard.press("Tab")
    assert page.evaluate(focused) is None  # Tab leaves the photo at once

    # The read text can be corrected: the editor holds what OCR read.
    edit = page.locator("#read-edit")
    assert edit.is_visible()
    read = page.locator("#read-text").input_value()
    assert "Ingredients" in read or "INGREDIENTS" in read.upper()
    assert axe_violations(page) == []

    # Shared as the text read from the photo, never the photo; the link opens that analysis.
    page.click("#share")
    page.locator("#share-box").wait_for(state="visible")
    url = page.locator("#share-url").input_value()
    assert "#z=" in url or "#text=" in url
    assert "the photo and your profile do not" in page.locator("#share-label").inner_text()
    assert "read from your photo" in page.locator("#status-text").inner_text()
    assert axe_violations(page) == []
    snap(page, "photo-read-shared")
    page.goto("about:blank")
    page.goto(url)
    wait_report(page)
    assert page.locator("#report-title").inner_text() == "Report on your list"
    assert page.locator("#rows > .row").count() == rows
    assert page.locator("#text-input").input_value() == read

    # Correcting the read: a text analysis of the corrected text, shareable, the photo gone.
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
    wait_report(page)
    if page.locator("#read-edit").get_attribute("open") is None:
        page.locator("#read-edit summary").click()
    page.fill("#read-text", "Ingredients: Aqua, Glycerin, Niacinamide")
    page.click("#read-submit")
    wait_until(
        page, "document.getElementById('report-title').textContent === 'Report on your list'"
    )
    wait_report(page)
    names = page.locator("#rows .row .name").all_inner_texts()
    assert [n.strip() for n in names] == ["Aqua", "Glycerin", "Niacinamide"]
    assert page.locator("#photo").is_hidden() and page.locator("#read-edit").is_hidden()
    assert page.locator("#share").is_visible()
    assert page.locator("#text-input").input_value() == "Ingredients: Aqua, Glycerin, Niacinamide"
    assert axe_violations(page) == []

    # An emptied editor is refused in words.
    page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
    wait_report(page)
    if page.locator("#read-edit").get_attribute("open") is None:
        page.locator("#read-edit summary").click()
    page.fill("#read-text", "  ")
    page.click("#read-submit")
    page.locator("#error").wait_for(state="visible")
    assert "empty" in page.locator("#error-text").inner_text()


def test_outlines_carry_concern_by_weight_and_glyph(
    page: Any, server: LiveServer, tmp_path: Path
) -> None:
    from PIL import Image, ImageDraw, ImageFont

    label = tmp_path / "label.png"
    image = Image.new("RGB", (1500, 260), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    draw.text((30, 40), "Ingredients: Aqua, Glycerin, Retinol,", fill="black", font=font)
    draw.text((30, 130), "Phenoxyethanol, Parfum, Squalane.", fill="black", font=font)
    image.save(label)
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(label))
    wait_report(page)
    shapes = page.evaluate(
        """[...document.querySelectorAll('#photo-frame svg g.outline')].map(g => [
            [...g.classList].find(c => c.startsWith('concern-')),
            g.querySelector('.glyph')?.textContent || '',
            getComputedStyle(g.querySelector('polygon')).strokeWidth])"""
    )
    seen = {concern for concern, _, _ in shapes}
    assert "concern-moderate" in seen and seen - set(GLYPHS), shapes
    for concern, glyph, width in shapes:
        assert glyph == GLYPHS.get(concern, ""), (concern, glyph)
        assert width == WIDTHS.get(concern, "1.75px"), (concern, width)
    caption = page.locator("#photo-caption").inner_text()
    assert "▲" in caption and "◆" in caption
    assert axe_violations(page) == []
    snap(page, "photo-outline-shapes")
