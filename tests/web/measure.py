"""Measure the report page as a shopper on a phone meets it: screens and Tab presses to the list.

Used by ``tests/web/test_page_layout.py`` and runnable on its own against any running service
(for example one started from an older commit, to compare before and after)::

    .venv/bin/python -m tests.web.measure --url http://127.0.0.1:8000

It pastes a 66-item list (a long face cream, with Retinol near the end), with and without a
profile, at 360x800 and 1280x900 in Debian's Chromium, and prints one JSON line per case:
the page length in screens, where the page lands when the report takes focus, where the verdict
and the ingredient list start (in screens below that landing point), and how many Tab presses
it takes from the report heading to the first ingredient row (and through the skip link, when
the page has one).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

#: A long leave-on cream list, 66 items, in label order (Retinol at 64).
LONG_LIST = "Ingredients: " + ", ".join(
    [
        "Aqua",
        "Glycerin",
        "Caprylic/Capric Triglyceride",
        "Butylene Glycol",
        "Cetearyl Alcohol",
        "Dimethicone",
        "Squalane",
        "Niacinamide",
        "Glyceryl Stearate",
        "PEG-100 Stearate",
        "Isopropyl Myristate",
        "Butyrospermum Parkii Butter",
        "Simmondsia Chinensis Seed Oil",
        "Cetyl Alcohol",
        "Stearic Acid",
        "Panthenol",
        "Tocopheryl Acetate",
        "Tocopherol",
        "Sodium Hyaluronate",
        "Allantoin",
        "Ceramide NP",
        "Cholesterol",
        "Hydrolyzed Collagen",
        "Lanolin",
        "Cera Alba",
        "Hydrogenated Lecithin",
        "Polysorbate 20",
        "Sorbitan Stearate",
        "Xanthan Gum",
        "Carbomer",
        "Sodium Hydroxide",
        "Citric Acid",
        "Disodium EDTA",
        "Sodium Benzoate",
        "Potassium Sorbate",
        "Alcohol Denat.",
        "Aloe Barbadensis Leaf Juice",
        "Camellia Sinensis Leaf Extract",
        "Chamomilla Recutita Flower Extract",
        "Centella Asiatica Extract",
        "Ascorbic Acid",
        "Adenosine",
        "Palmitoyl Tripeptide-1",
        "Acetyl Hexapeptide-8",
        "Bisabolol",
        "Menthol",
        "Salicylic Acid",
        "Lactic Acid",
        "Titanium Dioxide",
        "Mica",
        "Silica",
        "Talc",
        "Caprylyl Glycol",
        "Ethylhexylglycerin",
        "Methylparaben",
        "Propylparaben",
        "DMDM Hydantoin",
        "Phenoxyethanol",
        "Parfum",
        "Linalool",
        "Limonene",
        "Citronellol",
        "Geraniol",
        "Retinol",
        "CI 77491",
        "CI 77891",
    ]
)
PROFILE = {
    "skin_type": "sensitive",
    "concerns": ["acne"],
    "avoid": ["parabens"],
    "vegan": True,
    "pregnant_or_breastfeeding": True,
}
PROFILE_KEY = "incilens.profile.v1"
VIEWPORTS = {"phone": (360, 800), "desktop": (1280, 900)}

_GEOMETRY = """() => {
  const top = (sel) => { const e = document.querySelector(sel);
    return e && e.offsetParent !== null ? e.getBoundingClientRect().top + window.scrollY : null; };
  return {
    page: document.documentElement.scrollHeight,
    landing: window.scrollY,
    report: top("#report-title"),
    verdict: top("#verdict"),
    rows: top("#rows-title"),
  };
}"""
_IN_ROWS = "!!(document.activeElement && document.activeElement.closest('#rows'))"


def tab_presses(page: Any, limit: int = 400) -> int | None:
    """Tab presses from the report heading to the first ingredient row, or None past ``limit``."""
    page.focus("#report-title")
    for n in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(_IN_ROWS):
            return n
    return None


def skip_link_presses(page: Any) -> int | None:
    """Key presses through the page's "skip to the ingredient list" link, if it has one."""
    link = page.locator("#skip-to-rows")
    if not link.count():
        return None
    page.focus("#report-title")
    presses = 0
    for _ in range(10):
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.id") == "skip-to-rows":
            break
    else:
        return None
    page.keyboard.press("Enter")
    presses += 1
    for _ in range(10):
        if page.evaluate(_IN_ROWS):
            return presses
        page.keyboard.press("Tab")
        presses += 1
    return None


def measure_page(
    page: Any,
    url: str,
    *,
    viewport: str,
    profile: dict[str, Any] | None,
    text: str = LONG_LIST,
    shots: str | None = None,
) -> dict[str, Any]:
    """Paste ``text`` with ``profile`` set at ``viewport`` size, and measure the report."""
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url + "/")
    page.evaluate(
        "([key, value]) => value === null ? localStorage.removeItem(key)"
        " : localStorage.setItem(key, value)",
        [PROFILE_KEY, json.dumps(profile) if profile else None],
    )
    page.reload()
    page.fill("#text-input", text)
    page.click("#text-submit")
    page.locator("#report").wait_for(state="visible")
    page.locator("#working").wait_for(state="hidden")
    page.wait_for_timeout(200)
    geo = page.evaluate(_GEOMETRY)
    if shots:
        name = f"{shots}-{viewport}-{'profile' if profile else 'none'}.png"
        page.screenshot(path=name, full_page=True)
    landing = geo["landing"]

    def screens(y: float | None, start: float | None = landing) -> float | None:
        return None if y is None or start is None else round((y - start) / height, 2)

    return {
        "viewport": f"{width}x{height}",
        "profile": bool(profile),
        "items": page.locator("#rows > .row").count(),
        "page_screens": round(geo["page"] / height, 2),
        "landing_y": landing,
        "report_heading_screens_below_landing": screens(geo["report"]),
        "verdict_screens_below_landing": screens(geo["verdict"]),
        "list_screens_below_landing": screens(geo["rows"]),
        "list_screens_below_heading": screens(geo["rows"], geo["report"]),
        "list_screens_below_verdict": screens(geo["rows"], geo["verdict"]),
        "tabs_to_list": tab_presses(page),
        "keys_via_skip_link": skip_link_presses(page),
    }


def measure(browser: Any, url: str, **kwargs: Any) -> dict[str, Any]:
    """:func:`measure_page` in a fresh browser context."""
    context = browser.new_context()
    try:
        return measure_page(context.new_page(), url, **kwargs)
    finally:
        context.close()


def main() -> None:
    """Measure every case against ``--url`` and print one JSON line each."""
    from playwright.sync_api import sync_playwright

    from tests.live import CHROMIUM_ARGS, chromium_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--url", required=True, help="the running service, e.g. http://127.0.0.1:8000"
    )
    parser.add_argument("--shots", help="also save full-page screenshots under this path prefix")
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
        )
        for viewport in VIEWPORTS:
            for profile in (None, PROFILE):
                print(
                    json.dumps(
                        measure(
                            browser, args.url, viewport=viewport, profile=profile, shots=args.shots
                        )
                    )
                )
        browser.close()


if __name__ == "__main__":
    main()
