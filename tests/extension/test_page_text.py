"""What the page says is never changed, and strict Content-Security-Policy shops work.

Every end-to-end test already ends with ``Extension.check_text`` (see conftest.py); the tests
here call it on purpose on the pages most likely to break it: a list rendered late by script on
the same line as its label and split across inline elements, and shops whose CSP forbids
inline styles and scripts (``'self'`` only, and nonce only). Each runs in both browsers.
"""

from __future__ import annotations

import pytest

from tests.extension.browsers import Page
from tests.extension.harness import (
    PAGES,
    Extension,
    card,
    hover,
    marks_by_item,
    screenshot,
    wait_for_marks,
)

MARK = "mark.incilens-mark"


def test_a_late_list_on_its_label_line_reads_the_same(ext: Extension) -> None:
    page = ext.open("late-inline")
    ext.tab_state(PAGES["late-inline"], until=lambda s: s["status"] == "not_found")
    wait_for_marks(page)
    assert marks_by_item(page) == [
        "Water",
        "Glycerin",
        "Niacinamide",
        "Propanediol",
        "Retinol",
        "Sodium Hyaluronate",
        "Phenoxyethanol",
        "Parfum",
        "Linalool",
        "Xanthan Gum",
    ], ext.browser
    # The label and the first item still share a line: the badge sits before the paragraph.
    line = page.evaluate(
        "() => document.querySelector('#specifications p').innerText.split('\\n')[0]"
    )
    assert line.startswith("Ingredients: Water, Glycerin"), (ext.browser, line)
    placed = page.evaluate(
        """() => {
            const host = document.querySelector('.incilens-badge-host');
            return [host.parentElement.id, host.nextElementSibling.tagName];
        }"""
    )
    assert placed == ["specifications", "P"], ext.browser
    screenshot(ext, page, "extension-late-inline")
    ext.check_text(page, PAGES["late-inline"])


def styles_in_shadow(page: Page) -> dict[str, str]:
    """Computed styles inside the badge's and the card's shadow roots."""
    return dict(
        page.evaluate(
            """() => {
                const badge = document.querySelector('.incilens-badge-host')
                    .shadowRoot.querySelector('.badge');
                const card = document.getElementById('incilens-tooltip')
                    .shadowRoot.querySelector('.card');
                return {
                    badgeBorder: getComputedStyle(badge).borderLeftWidth,
                    badgePadding: getComputedStyle(badge).paddingTop,
                    cardBackground: getComputedStyle(card).backgroundColor,
                    cardRadius: getComputedStyle(card).borderTopLeftRadius,
                    cardFont: getComputedStyle(card).fontSize,
                };
            }"""
        )
    )


CSP_LISTS = {
    "csp-strict": "Aqua (Water), Glycerin, Cetearyl Alcohol, Retinol, Dimethicone, Phenoxyethanol, "
    "Parfum (Fragrance), Limonene",
    "csp-nonce": "Aqua, Glycerin, Squalane, Retinol, Tocopherol, Parfum, Citral",
}


@pytest.mark.parametrize("name", sorted(CSP_LISTS))
def test_a_strict_csp_shop_gets_marks_badge_and_tooltip(ext: Extension, name: str) -> None:
    page = ext.open(name)
    wait_for_marks(page)
    # The policy is in force: the page's own inline script and unlisted inline style are blocked.
    assert page.evaluate("() => window.inlineScriptRan === undefined") is True, ext.browser
    colour = page.evaluate(
        "() => getComputedStyle(document.getElementById('estore_product_title')).color"
    )
    assert colour == "rgb(0, 0, 128)", ext.browser
    assert marks_by_item(page) == CSP_LISTS[name].split(", "), ext.browser
    mark_background = page.evaluate(
        """() => getComputedStyle([...document.querySelectorAll('mark.incilens-mark')]
                 .find(m => m.textContent === 'Retinol')).backgroundColor"""
    )
    assert mark_background == "rgb(255, 240, 209)", ext.browser  # highlight.css, moderate
    hover(page, MARK, "Retinol")
    shown = card(page)
    assert shown["title"] == "Retinol"
    assert styles_in_shadow(page) == {
        "badgeBorder": "4px",
        "badgePadding": "6px",
        "cardBackground": "rgb(255, 255, 255)",
        "cardRadius": "8px",
        "cardFont": "13px",
    }, ext.browser
    # Styled by constructable sheets, with no <style> element a policy could refuse.
    elements = page.evaluate(
        """() => [...document.querySelectorAll('[data-incilens-ui]')]
                   .map(h => [h.shadowRoot.adoptedStyleSheets.length,
                              h.shadowRoot.querySelectorAll('style').length])"""
    )
    assert elements == [[1, 0], [1, 0]], ext.browser
    # Only the page's own inline script and style were refused; nothing of ours.
    # (Firefox also reports its own request for the site's icon under default-src 'none'.)
    violations = page.evaluate("() => window.__incilensWatch.violations")
    violations = [v for v in violations if not v.endswith("/favicon.ico")]
    assert sorted(v.split(" ")[0] for v in violations) == [
        "script-src-elem",
        "style-src-elem",
    ], (ext.browser, violations)
    screenshot(ext, page, f"extension-{name}")
