"""What a shopper sees first: the verdict, labels that mean what they say, the list close by.

Real Chromium at 360x800 (a phone) and 1280x900. The figures come from ``tests/web/measure.py``,
the same script that measured the page before this layout (see docs/WEB.md).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import LABELS, LiveServer, snap
from tests.web.measure import PROFILE, measure_page
from tests.web.test_page_navigation import axe_violations
from tests.web.test_page_report import paste

pytestmark = pytest.mark.slow

UNRELIABLE = "Ingredients: Aqua, Parfum, Qwxzt Blorp, Zzkrr Mmph, Vvtrq, Plonk Flib, Frmbl Gnarp"
PLAIN = (
    "Ingredients: Aqua, Glycerin, Squalane, Hydrolyzed Collagen, Citric Acid, "
    "Sodium Laureth Sulfate, Cocamidopropyl Betaine, Methylisothiazolinone"
)


@pytest.mark.parametrize(
    ("viewport", "profile"),
    [("phone", PROFILE), ("phone", None), ("desktop", PROFILE)],
    ids=["phone-profile", "phone-none", "desktop-profile"],
)
def test_the_verdict_is_on_the_first_screen_and_the_list_close_below(
    page: Any, server: LiveServer, viewport: str, profile: dict[str, Any] | None
) -> None:
    m = measure_page(page, server.url, viewport=viewport, profile=profile)
    assert m["items"] == 66
    # The report lands at the top of the screen, its verdict right below the heading...
    assert m["report_heading_screens_below_landing"] == 0
    assert m["verdict_screens_below_landing"] is not None
    assert m["verdict_screens_below_landing"] < 0.3
    headline = page.locator("#verdict .headline").bounding_box()
    assert headline is not None
    assert headline["y"] + headline["height"] <= page.viewport_size["height"]
    # ...and the 66-item list starts at most two screens below the verdict (13.7 screens long
    # and 5.3 screens down before).
    assert m["list_screens_below_verdict"] <= 2.0, m
    # A keyboard user reaches the first row in few Tab presses (80 to 128 before), or in four
    # keys through the "Go to the ingredients" link.
    assert m["tabs_to_list"] is not None and m["tabs_to_list"] <= 25, m
    assert m["keys_via_skip_link"] == 4, m
    assert page.evaluate("location.hash") == ""  # the jump leaves share links alone
    assert axe_violations(page) == []
    snap(page, f"verdict-{viewport}-{'profile' if profile else 'none'}")


def test_the_verdict_orders_findings_by_severity_and_folds_the_rest(
    page: Any, server: LiveServer
) -> None:
    measure_page(page, server.url, viewport="phone", profile=PROFILE)
    verdict = page.locator("#verdict")
    kinds = verdict.locator("#verdict-list > li").evaluate_all(
        "els => els.map(e => [e.dataset.finding, e.className])"
    )
    assert kinds[0][0] == "avoid" and "severity-high" in kinds[0][1]
    severities = [k[1].split("severity-")[1].split()[0] for k in kinds]
    rank = {"high": 0, "moderate": 1, "low": 2, "info": 3}
    assert [rank[s] for s in severities] == sorted(rank[s] for s in severities)
    # The rest of the findings, the other flags and the actives are folded, and open on demand.
    for fold in ("#more-findings", "#other-flags", "#actives"):
        assert page.locator(fold).get_attribute("open") is None, fold
        page.locator(f"{fold} > summary").click()
    more = page.locator("#more-findings").inner_text()
    assert "May not be vegan" in more and "Glycerin" in more
    assert page.locator("#flag-list > li").count() >= 3
    # A long chip list waits behind "+ N more", which reveals the rest and focuses the first.
    button = verdict.locator(".chip.more").first
    hidden = int(button.inner_text().split()[1])
    finding = button.evaluate("b => b.closest('.finding').dataset.finding")
    card = verdict.locator(f'[data-finding="{finding}"]')  # shown or in the folded rest
    assert card.count() == 1
    before = card.locator(".chips li:not([hidden])").count()
    button.click()
    assert card.locator(".chips li:not([hidden])").count() == before - 1 + hidden
    assert page.evaluate("document.activeElement.classList.contains('chip')")
    # A row says how much it matters to you: "may not be vegan" is not an alarm.
    tags = {
        name: page.locator(f"#item-{n} .tags").inner_text()
        for n, name in ((2, "Glycerin"), (55, "Methylparaben"))
    }
    assert tags["Glycerin"] == "May matter to you", tags
    assert tags["Methylparaben"] == "Matters to you", tags
    assert axe_violations(page) == []
    snap(page, "verdict-folds-open")


def test_an_unreliable_read_shows_no_card_that_rests_on_an_absence(
    page: Any, server: LiveServer
) -> None:
    paste(page, server, UNRELIABLE)
    summary = page.locator("#summary")
    text = summary.inner_text()
    # What was found is said; nothing claims the product is free of anything.
    assert "Parfum" in page.locator('#verdict [data-finding="fragrance"]').inner_text()
    assert "part that could be read" in page.locator("#verdict .headline").inner_text()
    for absent in ("No fragrance is listed", "Fragrance-free", "Not found", "nothing found"):
        assert absent not in text, absent
    assert page.locator("#free-of").count() == 0
    # No empty flag cards: the folded flags hold only flags that found something.
    for card in page.locator("#flag-list > li").all():
        assert card.locator(".chips").count(), card.inner_text()
    withheld = page.locator("#withheld-note")
    assert withheld.is_visible() and "free of" in withheld.inner_text()
    assert "2 of 7 items were recognised" in page.locator(".reliability").inner_text()
    assert axe_violations(page) == []
    snap(page, "verdict-unreliable")


def test_labels_mean_what_they_say(page: Any, server: LiveServer) -> None:
    paste(page, server, PLAIN)
    text = page.locator("#summary").inner_text()
    assert "Not found" not in text
    badges = page.locator("#free-of").inner_text()
    assert "Fragrance-free" in badges and "Paraben-free" in badges
    page.locator("#other-flags > summary").click()
    # A rinse-off-only preservative is an EU restriction found, never "restricted: not found".
    restricted = page.locator('#flag-list [data-flag="eu_restricted"]')
    assert "Methylisothiazolinone" in restricted.inner_text()
    assert "EU restricted" not in page.locator("#other-flags .absent").inner_text()
    # "Not vegan" lists only what is not vegan; "may be animal-derived" is said apart.
    vegan = page.locator('#flag-list [data-flag="vegan"]')
    assert vegan.locator("h4").inner_text() == "Not vegan"
    first_chips = vegan.locator(".chips").first.inner_text()
    assert "Hydrolyzed Collagen" in first_chips and "Glycerin" not in first_chips
    assert "May be animal-derived" in vegan.inner_text()
    assert "Glycerin" in vegan.locator(".chips").nth(1).inner_text()
    # Functions: what it is used for first; CosIng's minor ones are never the headline.
    rows = {
        r.locator(".name").inner_text(): r.locator(".what").inner_text()
        for r in page.locator("#rows > .row").all()
        if r.locator(".what").count()
    }
    assert rows["Glycerin"].startswith("Humectant")
    assert "fragrance" not in rows["Citric Acid"].lower()
    assert "denaturant" not in rows["Glycerin"].lower()
    # Chromium's own accessible names: a row is not read out with its "▸" glyph, and a chip
    # says what it does.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    names = {
        (n.get("role") or {}).get("value"): (n.get("name") or {}).get("value", "")
        for n in tree["nodes"]
        if "Glycerin" in (n.get("name") or {}).get("value", "")
    }
    assert names["DisclosureTriangle"].startswith("2. Glycerin")
    assert not names["DisclosureTriangle"].endswith(("▸", "▾")), names
    assert names["button"] == "Glycerin: open its card", names
    page.locator("#item-2 summary").click()
    card = page.locator("#item-2 .card")
    assert card.locator(".facts li").first.inner_text().startswith("Humectant")
    assert "denaturant" in card.locator(".minor-uses").inner_text()
    snap(page, "verdict-labels")


def test_a_scented_list_without_fragrance_is_never_fragrance_free(
    page: Any, server: LiveServer
) -> None:
    paste(page, server, "Ingredients: Aqua, Glycerin, Cetearyl Alcohol, Linalool, Limonene")
    assert "Fragrance-free" not in page.locator("#summary").inner_text()
    assert "Paraben-free" in page.locator("#free-of").inner_text()
    page.locator("#other-flags > summary").click()
    card = page.locator('#flag-list [data-flag="fragrance"]')
    assert card.locator("h4").inner_text().startswith("No “fragrance” listed, but scented")
    card.get_by_role("button", name="Linalool: open its card").click()
    assert page.locator("#item-4 details").get_attribute("open") is not None


@pytest.mark.usefixtures("tesseract")
def test_a_photo_too_blurred_to_read_gets_the_servers_reason(
    page: Any, server: LiveServer, tmp_path: Any
) -> None:
    from PIL import Image, ImageFilter

    blurred = tmp_path / "blurred.png"
    with Image.open(LABELS / "clean.png") as im:
        im.convert("L").filter(ImageFilter.GaussianBlur(5)).save(blurred)
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(blurred))
    page.locator("#report").wait_for(state="visible")
    page.locator("#working").wait_for(state="hidden")
    reliability = page.locator(".reliability")
    assert "unreadable" in (reliability.get_attribute("class") or "")
    text = reliability.inner_text()
    # The server's reason (blurred, dark or small, or no text), not "photograph the other side".
    assert "Re-take it in focus" in text, text
    assert "Photograph the side of the pack" not in text
    assert page.locator("#verdict").count() == 0 and page.locator("#free-of").count() == 0
    snap(page, "verdict-photo-unreadable")
