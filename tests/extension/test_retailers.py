"""Each supported retailer's product page (and a generic shop) in real Chromium and Firefox.

The expected ingredients, and nothing else, are highlighted; the summary badge sits beside the
list; the toolbar badge counts the concerns. Counts come from the real service.
"""

from __future__ import annotations

import time

import pytest

from tests.extension.browsers import Page
from tests.extension.harness import (
    PAGES,
    Extension,
    card,
    count,
    hover,
    marks_by_item,
    screenshot,
    text_of,
    texts_of,
    wait_for,
    wait_for_marks,
)

# (fixture, selector of the element that holds the list, expected items in order)
RETAILERS: list[tuple[str, str, list[str]]] = [
    (
        "sephora",
        "#ingredients",
        "Water, Glycerin, Niacinamide, Propanediol, Retinol, Sodium Hyaluronate, Phenoxyethanol, "
        "Parfum, Linalool, Xanthan Gum".split(", "),
    ),
    (
        "amazon",
        "#important-information .content:nth-of-type(2)",
        "Water, Glycerin, Cocamidopropyl Betaine, Sodium Lauroyl Lactylate, Ceramide NP, "
        "Sodium Chloride, Sodium Lauryl Sulfate, Citric Acid, Disodium EDTA".split(", "),
    ),
    (
        "boots",
        "#product_ingredients",
        "Aqua (Water), Homosalate, Glycerin, Ethylhexyl Salicylate, Butyl Methoxydibenzoylmethane, "
        "Octocrylene, Cetearyl Alcohol, Dimethicone, Phenoxyethanol, Parfum (Fragrance), Limonene, "
        "Benzyl Alcohol".split(", "),
    ),
    (
        "target",
        "[data-test='item-details-ingredients']",
        "Water, Glycerin, Butyrospermum Parkii Butter, Isopropyl Myristate, Stearic Acid, "
        "Glyceryl Stearate, Dimethicone, Petrolatum, Fragrance, Propylparaben".split(", "),
    ),
    (
        "iherb",
        ".prodOverviewIngred",
        "Aloe Barbadensis Leaf Juice, Glycerin, Carbomer, Triethanolamine, Tocopheryl Acetate, "
        "Allantoin, Potassium Sorbate, Sodium Benzoate, Citric Acid".split(", "),
    ),
    (
        "yesstyle",
        "[data-section='ingredients']",
        [
            "Water",
            "Centella Asiatica Extract",
            "Butylene Glycol",
            "Niacinamide",
            "1,2-Hexanediol",
            "Panthenol",
            "Madecassoside",
            "Allantoin",
            "Sodium Hyaluronate",
            "Ethylhexylglycerin",
        ],
    ),
    (
        "lookfantastic",
        "#tab-ingredients",
        "Aqua (Water), Kaolin, Glycerin, Bentonite, Salicylic Acid, Titanium Dioxide, Xanthan Gum, "
        "Phenoxyethanol, Eucalyptus Globulus Leaf Oil, Limonene".split(", "),
    ),
]


def badge_text(page: Page) -> str:
    return str(
        page.evaluate(
            "() => document.querySelector('.incilens-badge-host').shadowRoot"
            ".querySelector('.badge').innerText"
        )
    )


def assert_only_inside(page: Page, selector: str) -> None:
    outside = page.evaluate(
        """(sel) => {
            const box = document.querySelector(sel);
            return [...document.querySelectorAll("mark")].filter(m => !box.contains(m))
                .map(m => m.textContent);
        }""",
        selector,
    )
    assert outside == []


@pytest.mark.parametrize(("name", "selector", "expected"), RETAILERS, ids=[r[0] for r in RETAILERS])
def test_the_list_and_nothing_else_is_highlighted(
    ext: Extension, name: str, selector: str, expected: list[str]
) -> None:
    page = ext.open(name)
    wait_for_marks(page)
    assert marks_by_item(page) == expected, ext.browser
    assert_only_inside(page, selector)
    # One summary badge, in a shadow root, before the list.
    assert count(page, "[data-incilens-ui].incilens-badge-host") == 1
    assert f"{len(expected)} ingredients" in badge_text(page)
    tab, state = ext.tab_state(PAGES[name], until=lambda s: s["status"] == "done")
    assert state["summary"]["items"] == len(expected)
    assert ext.badge(tab) == str(state["summary"]["concerns"])
    screenshot(ext, page, f"extension-{name}")


def test_sephora_key_ingredient_notes_are_not_highlighted(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    # "-Niacinamide: Brightens ..." and the "About" text name ingredients but are not the list.
    assert count(page, "[data-at='about_the_product'] mark") == 0
    notes = page.evaluate(
        """() => [...document.querySelectorAll('mark')].filter(m => {
               const before = m.previousSibling;
               return before && before.nodeType === 3 && before.data.endsWith('-');
           }).length"""
    )
    assert notes == 0
    # Concern is carried by the line's shape too, not by colour alone.
    shapes = page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('mark.incilens-mark')].map(m => {
               const s = getComputedStyle(m);
               const bar = s.boxShadow !== 'none';
               return [m.dataset.incilensConcern,
                       `${s.textDecorationLine} ${s.textDecorationStyle} ${bar}`];
           }))"""
    )
    assert shapes == {
        "none": "none solid true",
        "low": "underline double false",
        "moderate": "underline dashed false",
    }, (ext.browser, shapes)
    # The page's own `mark {display: block; background: black}` does not reach our marks.
    style = page.evaluate(
        "() => getComputedStyle(document.querySelector('mark.incilens-mark')).display"
    )
    assert style == "inline"


def test_the_toolbar_badge_counts_concerns(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    tab, state = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "done")
    # Retinol and Parfum are rated moderate; nothing matters to an empty profile.
    assert [w["name"] for w in state["summary"]["worst"]] == ["Retinol", "Parfum"]
    assert ext.badge(tab) == "2"


def test_a_panel_that_opens_on_click_and_loads_late(ext: Extension) -> None:
    page = ext.open("ulta")
    ext.tab_state(PAGES["ulta"], until=lambda s: s["status"] == "not_found")
    assert count(page, "mark") == 0
    page.click("#Ingredients button")
    wait_for_marks(page)
    assert marks_by_item(page) == [
        "Aqua/Water/Eau",
        "Caprylic/Capric Triglyceride",
        "Glycerin",
        "Cetearyl Alcohol",
        "Ceramide NP",
        "Cholesterol",
        "Shea Butter",
        "Dimethicone",
        "Tocopherol",
        "Carbomer",
        "Methylparaben",
    ]
    assert_only_inside(page, ".ProductDetail__ingredients")
    assert count(page, "#Details mark") == 0


def test_a_single_page_app_that_renders_the_list_late(ext: Extension) -> None:
    page = ext.open("douglas")
    ext.tab_state(PAGES["douglas"], until=lambda s: s["status"] == "not_found")
    wait_for_marks(page)
    assert marks_by_item(page) == [
        "AQUA",
        "CAPRYLIC/CAPRIC TRIGLYCERIDE",
        "GLYCERIN",
        "SQUALANE",
        "RETINOL",
        "TOCOPHEROL",
        "BHT",
        "CARBOMER",
        "SODIUM HYDROXIDE",
        "PARFUM",
        "CITRAL",
    ]
    assert_only_inside(page, ".ingredients-text")
    screenshot(ext, page, "extension-douglas")


def test_a_hidden_tab_panel_is_highlighted_and_usable_once_opened(ext: Extension) -> None:
    page = ext.open("lookfantastic")
    wait_for_marks(page)
    assert page.evaluate("() => document.getElementById('tab-ingredients').hidden") is True
    page.click("[role=tab][data-tab=ingredients]")
    hover(page, "mark.incilens-mark", "Salicylic Acid")
    assert "Salicylic Acid" in card(page)["title"]


def test_other_sites_only_after_the_toolbar_button(ext: Extension) -> None:
    page = ext.open("generic")
    time.sleep(1.5)
    assert count(page, "mark, [data-incilens-ui]") == 0  # no content script here
    tab = ext.tab_id(PAGES["generic"])
    popup = ext.popup(tab)  # what a toolbar click opens: it injects the content script
    wait_for_marks(page)
    assert marks_by_item(page) == [
        "Aqua",
        "Glycerin",
        "Butyrospermum Parkii Butter",
        "Cetearyl Alcohol",
        "Prunus Amygdalus Dulcis Oil",
        "Benzyl Alcohol",
        "Parfum",
        "Coumarin",
        "Tocopherol",
        "Sodium Benzoate",
    ]
    assert_only_inside(page, "p.inci")
    assert count(page, ".lead mark") == 0
    wait_for(popup, "#summary")
    assert "10 ingredients, 10 recognised" in text_of(popup, "#counts")
    # Its labels, in French, read by the injected script: "sans parfum" and Parfum in the list.
    assert count(page, ".labels mark") == 0
    wait_for(popup, "#claims li")
    assert texts_of(popup, "#claims li") == [
        "Fragrance-free: contradicted, the list contains Parfum",
        f"Silicone-free: {HOLDS}",
    ], ext.browser


def badge_claims(page: Page) -> list[str]:
    return list(
        page.evaluate(
            "() => [...document.querySelector('.incilens-badge-host').shadowRoot"
            ".querySelectorAll('.claim')].map(p => `${p.dataset.verdict}|${p.textContent}`)"
        )
    )


HOLDS = "holds, nothing in the recognised list contradicts it"
# (fixture, where its claims are printed, the claim lines in the badge and the popup)
CLAIMS: list[tuple[str, str, list[str]]] = [
    (
        "target",  # bullets beside the list; a review saying "silicone-free" is not the product's
        "[data-test='item-details-highlights']",
        [
            "contradicted|Paraben-free: contradicted, the list contains Propylparaben",
            f"consistent|Sulfate-free: {HOLDS}",
        ],
    ),
    (
        "sephora",  # inside the list's own panel: "Clean at Sephora is formulated without ..."
        "#ingredients",
        [
            f"consistent|Paraben-free: {HOLDS}",
            f"consistent|Sulfate-free: {HOLDS}",
            "not_checkable|Clean: not a checkable claim, "
            "no rule says which ingredients it leaves out",
        ],
    ),
]


@pytest.mark.parametrize(("name", "where", "expected"), CLAIMS, ids=[c[0] for c in CLAIMS])
def test_the_pages_claims_are_checked_against_the_list(
    ext: Extension, name: str, where: str, expected: list[str]
) -> None:
    page = ext.open(name)
    wait_for_marks(page)
    assert badge_claims(page) == expected, ext.browser
    # The claims are read, never marked: marks only wrap the list's items.
    items = next(r for r in RETAILERS if r[0] == name)
    assert marks_by_item(page) == items[2], ext.browser
    assert_only_inside(page, items[1])
    marked = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' mark')].map(m => m.textContent)
               .filter(t => /free|without|clean|vegan/i.test(t))""",
        where,
    )
    assert marked == [], ext.browser
    tab, state = ext.tab_state(PAGES[name], until=lambda s: s["status"] == "done")
    assert [f"{c['verdict']}|{c['text']}" for c in state["summary"]["claims"]] == expected
    popup = ext.popup(tab)
    wait_for(popup, "#claims li")
    shown = popup.evaluate(
        "() => [...document.querySelectorAll('#claims li')]"
        ".map(li => `${li.dataset.verdict}|${li.textContent}`)"
    )
    assert shown == expected, ext.browser
