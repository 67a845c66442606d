"""The analysis page in a real browser: photo, pasted text, profile, filter and share links."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.web.conftest import LABELS, LiveServer, PageWatch, snap, wait_until

# The page asks for the compact report and loads each record when its card is opened.
ANALYZE_TEXT = "**/v1/analyze/text?view=compact"
ANALYZE_IMAGE = "**/v1/analyze/image?view=compact"

pytestmark = pytest.mark.slow

LIST = (
    "Ingredients: Aqua, Glycerin, Parfum, Linalool, Cetearyl Alcohol, Sodium Lauryl Sulfate, "
    "Retinol, Phenoxyethanol, Xyzzyplum Extract."
)


def expected_gold(name: str) -> list[str]:
    return list(json.loads((LABELS / "expected.json").read_text())[name]["gold"])


def wait_report(page: Any) -> None:
    page.locator("#report").wait_for(state="visible")
    page.locator("#working").wait_for(state="hidden")


def paste(page: Any, server: LiveServer, text: str = LIST) -> None:
    page.goto(server.url + "/")
    page.fill("#text-input", text)
    page.click("#text-submit")
    wait_report(page)


def row_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("#rows .row:not([hidden]) .name").all_inner_texts()]


@pytest.mark.usefixtures("tesseract")
def test_photo_shows_outlined_words_and_rows(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
    wait_report(page)

    gold = expected_gold("phone.jpg")
    assert page.locator("#rows > .row").count() == len(gold)
    assert page.locator("#report-title").inner_text() == "Report on your photo"
    outlines = page.locator("#photo-frame svg g.outline")
    assert outlines.count() >= len(gold) - 2
    # Outlines are coloured by concern and drawn inside the displayed photo.
    frame = page.locator("#photo-frame").bounding_box()
    for i in range(outlines.count()):
        group = outlines.nth(i)
        assert "concern-" in (group.get_attribute("class") or "")
        box = group.bounding_box()
        assert box is not None and box["width"] > 2 and box["height"] > 2
        assert (
            frame["x"] - 1 <= box["x"]
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        )
    # The photo is the chosen file itself, shown through a blob: URL.
    assert page.locator("#photo-frame img").get_attribute("src").startswith("blob:")

    # Clicking an outline opens that ingredient's card.
    first = outlines.nth(0)
    position = first.get_attribute("data-position")
    first.locator("polygon").first.click()
    row = page.locator(f"#item-{position}")
    assert row.locator("details").get_attribute("open") is not None
    assert "What it does" in row.locator(".card").inner_text()
    assert page.evaluate("document.activeElement.closest('.row')?.id") == f"item-{position}"

    # The keyboard reaches outlines too: focus one and press Enter.
    other = outlines.nth(2)
    other_position = other.get_attribute("data-position")
    other.focus()
    page.keyboard.press("Enter")
    assert page.locator(f"#item-{other_position} details").get_attribute("open") is not None

    # The working state was shown: upload first, then the read, then idle again.
    log = page.evaluate("window.__log")
    assert any(s.startswith("Uploading") for s in log["status"])
    assert any(s.startswith("Reading the label") for s in log["status"])
    assert True in log["working"] and log["working"][-1] is False
    assert "0" in log["progress"] and None in log["progress"]

    snap(page, "photo-report")
    # Zooming out shows the whole photo and keeps the outlines.
    zoomed = page.locator("#photo-frame").bounding_box()
    page.click("#photo-zoom")
    assert page.locator("#photo-zoom").inner_text() == "Zoom to the list"
    assert page.locator("#photo-frame").bounding_box()["height"] != zoomed["height"]
    assert page.locator("#photo-frame svg g.outline").count() == outlines.count()


def test_pasted_text_gives_summary_then_rows(page: Any, server: LiveServer) -> None:
    paste(page, server)
    assert row_names(page) == [
        "Aqua",
        "Glycerin",
        "Parfum",
        "Linalool",
        "Cetearyl Alcohol",
        "Sodium Lauryl Sulfate",
        "Retinol",
        "Phenoxyethanol",
        "Xyzzyplum Extract",
    ]
    summary = page.locator("#summary")
    assert "8 of 9 items were recognised" in summary.inner_text()
    assert "Xyzzyplum Extract" in summary.locator(".reliability").inner_text()
    # Fragrance is worth knowing for anyone: it is in the verdict, not in the folded flags.
    fragrance = page.locator('#verdict [data-finding="fragrance"]')
    assert "Parfum" in fragrance.inner_text()
    assert "Linalool" in fragrance.inner_text()  # not counted, and why
    # No photo for text; the report takes focus so screen readers start there.
    assert page.locator("#photo").is_hidden()
    assert page.evaluate("document.activeElement.id") == "report-title"
    assert "Report ready: 9 ingredients" in page.locator("#status").inner_text()

    # A flag's ingredient opens its row, and the card holds every fact.
    fragrance.get_by_role("button", name="Parfum: open its card").click()
    card = page.locator("#item-3 .card")
    text = card.inner_text()
    for label in ("What it does", "Pore clogging", "Irritancy", "Vegan", "Pregnancy", "Sun"):
        assert label in text
    for label in ("Side effects", "EU status", "Sources"):
        assert label in text
    assert card.get_by_role("link", name="Full record of Parfum").get_attribute("href") == (
        "/ingredients/parfum"
    )
    # An unrecognised item's card says so and offers a search.
    page.locator("#item-9 summary").click()
    assert "did not recognise" in page.locator("#item-9 .card").inner_text()
    snap(page, "text-report")


def test_profile_changes_the_summary_and_stays_in_the_browser(
    page: Any, server: LiveServer
) -> None:
    paste(page, server)
    assert page.get_by_role("button", name="Set your profile").is_visible()

    page.locator("#profile-panel summary").click()
    with page.expect_request(ANALYZE_TEXT) as sent:
        page.select_option("#p-skin", "sensitive")
    body = json.loads(sent.value.post_data or "{}")
    assert body["profile"]["skin_type"] == "sensitive"
    page.locator('#verdict [data-kind="profile"]').first.wait_for()
    page.locator("#working").wait_for(state="hidden")
    for_you = page.locator("#verdict").inner_text()
    assert "Common irritants for reactive skin" in for_you and "Parfum" in for_you
    assert "Retinol" in page.locator('[data-finding="not_ideal"]').text_content()

    with page.expect_request(ANALYZE_TEXT) as sent:
        page.fill("#p-avoid", "phenoxyethanol")
    assert json.loads(sent.value.post_data or "{}")["profile"]["avoid"] == ["phenoxyethanol"]
    page.locator('#verdict [data-finding="avoid"]').wait_for()
    assert "Phenoxyethanol" in page.locator('[data-finding="avoid"]').inner_text()
    assert "phenoxyethanol" in page.locator("#profile-summary").inner_text()
    snap(page, "profile-report")

    # "Only what concerns me": the profile's findings plus moderate or high concern.
    page.check("#only-mine")
    shown = row_names(page)
    assert "Phenoxyethanol" in shown and "Parfum" in shown and "Retinol" in shown
    assert "Aqua" not in shown and "Glycerin" not in shown
    assert "Showing" in page.locator("#rows-count").inner_text()
    page.uncheck("#only-mine")
    assert len(row_names(page)) == 9

    # Kept in localStorage, restored on the next visit, and forgotten on request.
    stored = json.loads(page.evaluate("localStorage.getItem('incilens.profile.v1')"))
    assert stored["skin_type"] == "sensitive" and stored["avoid"] == ["phenoxyethanol"]
    page.reload()
    assert page.locator("#p-skin").input_value() == "sensitive"
    assert "sensitive skin" in page.locator("#profile-summary").inner_text()
    page.locator("#profile-panel summary").click()
    page.click("#profile-clear")
    wait_until(page, "localStorage.getItem('incilens.profile.v1') === null")
    assert page.locator("#profile-summary").inner_text() == "not set"


@pytest.mark.usefixtures("tesseract")
def test_profile_change_on_a_photo_keeps_the_outlines(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(LABELS / "clean.png"))
    wait_report(page)
    outlines = page.locator("#photo-frame svg g.outline").count()
    page.locator("#profile-panel summary").click()
    with page.expect_request(ANALYZE_TEXT):
        page.fill("#p-avoid", "silicones")
    page.locator('#verdict [data-finding="avoid"]').wait_for()
    assert "Dimethicone" in page.locator('[data-finding="avoid"]').inner_text()
    assert page.locator("#photo-frame svg g.outline").count() == outlines
    assert page.locator("#report-title").inner_text() == "Report on your photo"
    # A new photo goes up with the profile (a JSON form field) and gets the same finding.
    with page.expect_request(ANALYZE_IMAGE) as sent:
        page.set_input_files("#photo-file", str(LABELS / "clean.png"))
    assert b'"avoid":["silicones"]' in (sent.value.post_data_buffer or b"")
    wait_report(page)
    assert "Dimethicone" in page.locator('[data-finding="avoid"]').inner_text()


def test_share_link_carries_the_text_and_runs_the_analysis(
    page: Any, server: LiveServer, browser: Any
) -> None:
    text = LIST + " Ünïcödé, Aqua"
    paste(page, server, text)
    page.click("#share")
    page.locator("#share-box").wait_for()  # the link is built asynchronously (compression)
    link = page.locator("#share-url").input_value()
    assert link.startswith(server.url + "/#z=")
    assert "Aqua" not in link  # compressed, not plain
    assert page.evaluate("location.hash") == link[len(server.url) + 1 :]

    fresh = page.context.new_page()
    fresh.goto(link)
    wait_report(fresh)
    assert fresh.locator("#text-input").input_value() == text
    assert fresh.locator("#rows > .row").count() == page.locator("#rows > .row").count()
    fresh.close()

    # The plain form (#text=, for browsers without CompressionStream) works as well.
    page.goto(server.url + "/#text=" + "Ingredients%3A%20Aqua%2C%20Glycerin")
    wait_report(page)
    assert row_names(page) == ["Aqua", "Glycerin"]

    # "Start over" clears the report, the text and the link.
    page.click("#clear")
    assert page.locator("#report").is_hidden()
    assert page.locator("#text-input").input_value() == ""
    assert page.evaluate("location.hash") == ""
    assert "Cleared" in page.locator("#status").inner_text()


def test_server_text_is_never_inserted_as_html(page: Any, server: LiveServer) -> None:
    hostile = (
        "Ingredients: Aqua, <img src=x onerror=window.__pwned=1>, <b>Bold</b> Extract, Glycerin"
    )
    paste(page, server, hostile)
    rows = page.locator("#rows")
    assert rows.locator("img").count() == 0 and rows.locator("b").count() == 0
    names = row_names(page)
    assert any("<img" in n for n in names) and any("<b>Bold</b>" in n for n in names)
    assert page.evaluate("window.__pwned") is None
    page.locator("#rows .row:nth-child(2) summary").click()
    assert page.locator("#rows img").count() == 0


def test_cards_load_their_record_once_and_survive_a_failed_load(
    page: Any, server: LiveServer, watch: PageWatch
) -> None:
    watch.allowed_console.append("ERR_FAILED")  # the record load this test cuts off
    # The page gets the compact report: no item carries its full record.
    with page.expect_response(ANALYZE_TEXT) as answer:
        paste(page, server)
    report = answer.value.json()
    assert all(
        "functions" not in item["ingredient"]
        for item in report["ingredients"]
        if item["ingredient"]
    )
    records: list[str] = []
    page.on("request", lambda r: records.append(r.url) if "/v1/ingredients/" in r.url else None)

    # Nasty case first: the record cannot be fetched. The card says so and offers a retry.
    page.route("**/v1/ingredients/glycerin", lambda route: route.abort())
    page.locator("#item-2 summary").click()
    failed = page.locator("#item-2 .card-loading")
    failed.get_by_role("button", name="Try again").wait_for()
    assert "could not be loaded" in failed.inner_text()
    page.unroute("**/v1/ingredients/glycerin")
    failed.get_by_role("button", name="Try again").click()
    card = page.locator("#item-2 .card")
    assert "Humectant" in card.inner_text()  # the record's function explanations are there
    assert page.locator("#item-2 .card-loading").count() == 0

    # The card has what the full view would show: the record's concern reasons among them.
    page.locator("#item-7 summary").click()
    retinol = page.locator("#item-7 .card").inner_text()
    assert "Pregnancy" in retinol and "EU status" in retinol and "concern" in retinol.lower()

    # Closing and opening again asks for nothing more.
    asked = len(records)
    page.locator("#item-7 summary").click()
    page.locator("#item-7 summary").click()
    assert page.locator("#item-7 .card").count() == 1
    assert len(records) == asked
    assert [u.rsplit("/", 1)[-1] for u in records] == ["glycerin", "glycerin", "retinol"]
