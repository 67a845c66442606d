"""Ingredient pages, the search box with autocomplete, and the accessibility check."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import need
from tests.web.conftest import AXE, LiveServer, PageWatch, snap

pytestmark = pytest.mark.slow


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations (WCAG 2.x A and AA rules, best practices)."""
    need(AXE.exists(), "axe-core is not installed (npm install)")
    # Served from the page's own origin, so the strict CSP (no inline script) stays on.
    url = page.url.split("/", 3)
    axe_url = f"{url[0]}//{url[2]}/__test__/axe.min.js"
    page.route(axe_url, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=axe_url)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(" "))}));
        }"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_ingredient_page_shows_the_full_record(
    page: Any, server: LiveServer, watch: PageWatch
) -> None:
    watch.allowed_console.append("404")
    page.goto(server.url + "/ingredients/retinol")
    assert page.locator("h1").inner_text() == "Retinol"
    text = page.locator("main").inner_text()
    for heading in ("What it is", "What it does", "For your skin", "EU status", "Sources"):
        assert heading in text
    assert "Annex III" in text and "From 2027-05-01" in text
    assert "Pregnancy and breastfeeding" in text and "Sun" in text
    assert page.title() == "Retinol · INCI Lens"
    snap(page, "ingredient-page")

    # Synonyms resolve, and an unknown name gets a 404 page with suggestions.
    response = page.goto(server.url + "/ingredients/Vitamin%20A")
    assert response.status == 200 and page.locator("h1").inner_text() == "Retinol"
    response = page.goto(server.url + "/ingredients/glycerinn")
    assert response.status == 404
    assert "No ingredient called “glycerinn”" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Glycerin", exact=True).click()
    assert page.locator("h1").inner_text() == "Glycerin"


def test_search_box_autocompletes_and_opens_the_ingredient(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    box = page.get_by_role("combobox", name="Look up an ingredient")
    box.press_sequentially("niacin")
    listbox = page.get_by_role("listbox", name="Matching ingredients")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.count() >= 1
    assert "Niacinamide" in listbox.inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    snap(page, "search-autocomplete")

    # Keyboard: the arrow keys move the active option, Enter opens it.
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    chosen = page.locator(f"#{active} .opt-name").inner_text()
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("h1").inner_text() == chosen

    # Escape closes the list; Enter without a chosen option runs the search page.
    box = page.get_by_role("combobox", name="Look up an ingredient")
    box.press_sequentially("glycer")
    page.get_by_role("listbox").wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.startswith(server.url + "/search?q=glycer")
    assert page.get_by_role("link", name="Glycerin", exact=True).count() == 1

    # Clicking a suggestion works too.
    box = page.get_by_role("combobox", name="Look up an ingredient")
    box.fill("")
    box.press_sequentially("parf")
    option = page.get_by_role("option").filter(has_text="Parfum").first
    with page.expect_navigation():
        option.click()
    assert page.locator("h1").inner_text() == "Parfum"


def test_main_page_has_no_serious_accessibility_violations(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    assert axe_violations(page) == []

    # With a report, an open card, the profile form open and the filter on.
    page.locator("#profile-panel summary").click()
    page.fill("#text-input", "Ingredients: Aqua, Glycerin, Parfum, Retinol, Xyzzyplum Extract")
    page.click("#text-submit")
    page.locator("#rows .row").first.wait_for()
    page.locator("#item-3 summary").click()
    page.check("#only-mine")
    assert axe_violations(page) == []


def test_ingredient_and_search_pages_have_no_serious_accessibility_violations(
    page: Any, server: LiveServer, watch: PageWatch
) -> None:
    watch.allowed_console.append("404")
    for path in ("/ingredients/titanium%20dioxide", "/search?q=parab", "/ingredients/nothing-xyz"):
        page.goto(server.url + path)
        assert axe_violations(page) == [], path


def test_keyboard_alone_can_run_an_analysis(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    # The photo inputs are reachable (their labels look like buttons), then the text box.
    for expected in ("photo-camera", "photo-file", "text-input"):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == expected
    page.keyboard.type("Aqua, Glycerin, Parfum")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "text-submit"
    page.keyboard.press("Enter")
    page.locator("#rows .row").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "report-title"
    page.locator("#item-1 summary").focus()
    page.keyboard.press("Enter")
    assert page.locator("#item-1 details").get_attribute("open") is not None
