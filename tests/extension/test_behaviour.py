"""Tooltip, popup, options, server failures, clean removal and the context menu, end to end."""

from __future__ import annotations

import socket
from typing import Any

from tests.extension.harness import (
    PAGES,
    Extension,
    marks_by_item,
    original_body,
    screenshot,
    wait_for_marks,
)
from tests.live import LiveServer, free_port

CAPTURE_ORIGINAL = """
document.addEventListener("DOMContentLoaded", () => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  window.__textNodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) window.__textNodes.push(n);
  window.__bodyHtml = document.body.innerHTML;
});
"""

SAME_AS_ORIGINAL = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const now = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) now.push(n);
  return {
    html: document.body.innerHTML === window.__bodyHtml,
    sameNodes: now.length === window.__textNodes.length
      && now.every((n, i) => n === window.__textNodes[i]),
    ours: document.querySelectorAll("mark, [data-incilens-ui]").length,
  };
}"""


def card_rows(page: Any) -> dict[str, str]:
    card = page.locator("#incilens-tooltip [role=tooltip]")
    card.wait_for()
    terms = card.locator("dt").all_inner_texts()
    values = card.locator("dd").all_inner_texts()
    return dict(zip(terms, values, strict=True))


def test_the_tooltip_shows_the_ingredient_on_hover_and_on_focus(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    retinol = page.locator("mark.incilens-mark", has_text="Retinol")
    assert retinol.get_attribute("tabindex") == "0"
    assert retinol.get_attribute("aria-describedby") == "incilens-tooltip"
    assert retinol.get_attribute("data-incilens-concern") == "moderate"
    retinol.hover()
    card = page.locator("#incilens-tooltip [role=tooltip]")
    card.wait_for()
    assert card.locator("h2").inner_text() == "Retinol"
    assert card.locator(".pill").inner_text() == "Moderate concern"
    rows = card_rows(page)
    assert rows["Pregnancy"].startswith("Caution: ")
    assert "sunscreen" in rows["Sun"]
    assert rows["Vegan"] == "Vegan"
    assert "Annex III/376: restricted" in rows["EU status"]
    assert "Retinoid" in rows["Flags"]
    assert {"What it does", "Side effects"} <= rows.keys()
    assert "Sources:" in card.inner_text()
    screenshot(page, "extension-tooltip")
    # The card lives in a shadow root, so the page cannot style or read it by selector.
    in_light_dom = page.evaluate("() => document.querySelectorAll('[role=tooltip]').length")
    assert in_light_dom == 0
    # Keyboard: focus moves the card to the focused ingredient; Escape hides it.
    page.mouse.move(0, 0)
    page.locator("mark.incilens-mark", has_text="Parfum").focus()
    page.wait_for_function(
        """() => document.getElementById('incilens-tooltip').shadowRoot
                   .querySelector('h2').textContent === 'Parfum'"""
    )
    assert card.is_visible()
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")


def test_the_popup_summarises_the_page(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    tab, _ = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "done")
    popup = ext.popup(tab)
    popup.set_viewport_size({"width": 360, "height": 640})
    popup.locator("#summary").wait_for()
    assert popup.locator("#summary-title").inner_text() == "2 concerns"
    assert popup.locator("#counts").inner_text() == "10 ingredients, 10 recognised"
    assert popup.locator("#levels li").all_inner_texts() == ["2 moderate", "2 low", "6 no concern"]
    assert popup.locator("#worst li").all_inner_texts() == [
        "Retinol (moderate)",
        "Parfum (moderate)",
    ]
    flags = popup.locator("#flags li").all_inner_texts()
    assert "Retinoid: Retinol" in flags
    assert "Fragrance: Parfum" in flags
    assert popup.locator("#site-name").inner_text() == "Sephora (www.sephora.com)"
    assert popup.locator("#site-enabled").is_checked()
    screenshot(popup, "extension-popup")


def test_the_profile_from_the_options_page_reaches_the_analysis(ext: Extension) -> None:
    options = ext.context.new_page()
    options.goto(f"chrome-extension://{ext.id}/src/options/options.html")
    assert options.locator("#serverUrl").input_value() == ext.server_url
    # A bad address is refused with a message, and nothing is saved.
    options.locator("#serverUrl").fill("ftp://127.0.0.1")
    options.get_by_role("button", name="Save").click()
    assert "http://" in options.locator("#serverUrl-error").inner_text()
    assert options.locator("#serverUrl").get_attribute("aria-invalid") == "true"
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["serverUrl"] == ext.server_url
    # A good one, with a profile.
    options.locator("#serverUrl").fill(ext.server_url + "/")
    options.get_by_label("Skin type").select_option("sensitive")
    options.get_by_label("Ingredients to avoid").fill("fragrance")
    options.get_by_label("I am pregnant or breastfeeding").check()
    options.get_by_role("button", name="Save").click()
    options.get_by_text("Saved.").wait_for()
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["serverUrl"] == ext.server_url
    assert stored["profile"] == {
        "skin_type": "sensitive",
        "concerns": [],
        "avoid": ["fragrance"],
        "vegan": False,
        "pregnant_or_breastfeeding": True,
    }
    screenshot(options, "extension-options")

    page = ext.open("sephora")
    wait_for_marks(page)
    tab, state = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "done")
    titles = [g["title"] for g in state["summary"]["forYou"]]
    assert "On your avoid list: fragrance" in titles
    assert "Pregnancy and breastfeeding" in titles
    assert state["summary"]["concerns"] > 2  # more than the two moderate items now
    assert ext.badge(tab) == str(state["summary"]["concerns"])
    assert (
        "For you: On your avoid list: fragrance"
        in page.locator(".incilens-badge-host .badge").inner_text()
    )
    popup = ext.popup(tab)
    popup.locator("#summary").wait_for()
    assert any("avoid list: fragrance" in t for t in popup.locator("#for-you li").all_inner_texts())


def test_server_down_leaves_the_page_untouched_and_says_so(ext: Extension) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    ext.set_options(serverUrl=down)
    page = ext.open("sephora")
    tab, state = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "error")
    assert state["error"]["code"] == "server_unreachable"
    assert ext.badge(tab) == "!"
    title = ext.sw("(id) => chrome.action.getTitle({tabId: id})", tab)
    assert "Cannot reach the INCI Lens server at " + down in title
    assert page.evaluate("() => document.body.innerHTML") == original_body(page, "sephora")
    popup = ext.popup(tab)
    status = popup.locator("#status.error")
    status.wait_for()
    assert down in status.inner_text()
    assert "make run" in status.inner_text()
    assert popup.locator("#retry").is_visible()
    screenshot(popup, "extension-popup-server-down")
    # Once the server is back, "Try again" highlights the page.
    ext.set_options()
    popup.locator("#retry").click()
    wait_for_marks(page)
    popup.locator("#summary").wait_for()


def test_switching_a_site_off_restores_the_original_dom_exactly(ext: Extension) -> None:
    page = ext.open("boots", init_script=CAPTURE_ORIGINAL)
    wait_for_marks(page)
    page.locator("mark.incilens-mark", has_text="Homosalate").hover()
    page.locator("#incilens-tooltip [role=tooltip]").wait_for()
    before = page.evaluate(SAME_AS_ORIGINAL)
    assert before["html"] is False
    assert before["ours"] > 0
    tab, _ = ext.tab_state(PAGES["boots"], until=lambda s: s["status"] == "done")
    popup = ext.popup(tab)
    popup.locator("#summary").wait_for()
    popup.get_by_label("On for this site").uncheck()
    page.wait_for_function("() => document.querySelectorAll('mark').length === 0")
    assert page.evaluate(SAME_AS_ORIGINAL) == {"html": True, "sameNodes": True, "ours": 0}
    assert ext.badge(tab) == ""
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["disabledRetailers"] == ["boots"]
    # A reload stays untouched while the site is off ...
    page.reload()
    ext.tab_state(PAGES["boots"], until=lambda s: s["status"] == "disabled")
    assert page.evaluate(SAME_AS_ORIGINAL)["ours"] == 0
    # ... and switching it back on highlights again.
    popup.reload()
    popup.get_by_label("On for this site").check()
    wait_for_marks(page)
    assert len(marks_by_item(page)) == 12


def test_the_context_menu_analyses_the_selection(ext: Extension) -> None:
    page = ext.open("amazon")
    wait_for_marks(page)
    tab, _ = ext.tab_state(PAGES["amazon"], until=lambda s: s["status"] == "done")
    not_ours = ext.sw(
        "() => incilens.handleContextMenuClick({menuItemId: 'other', selectionText: 'Aqua'}, null)"
    )
    assert not_ours is None
    with ext.context.expect_page() as opened:
        key = ext.sw(
            """(tab) => incilens.handleContextMenuClick(
                   {menuItemId: 'incilens-analyse-selection',
                    selectionText: 'Ingredients: Aqua, Glycerin, Parfum, Retinol, Xyzzyplum'},
                   {id: tab, index: 0})""",
            tab,
        )
    result = opened.value
    assert key.startswith("sel:")
    assert f"selection={key.replace(':', '%3A')}" in result.url
    result.locator("#items").wait_for()
    rows = result.locator("#items tbody tr")
    assert rows.count() == 5
    assert rows.nth(3).inner_text().split("\t") == ["Retinol", "moderate"]
    assert rows.nth(4).inner_text().split("\t")[1] == "not recognised"
    assert result.locator("#summary-title").inner_text() == "2 concerns"
    screenshot(result, "extension-selection")


def test_messages_are_checked_by_type_and_sender(ext: Extension) -> None:
    page = ext.open("target")
    wait_for_marks(page)
    # A web page has no channel to the extension at all.
    has_channel = "() => Boolean(window.chrome && chrome.runtime && chrome.runtime.id)"
    assert page.evaluate(has_channel) is False
    popup = ext.context.new_page()
    popup.goto(f"chrome-extension://{ext.id}/src/popup/popup.html?tab=-1")
    # An extension page may not pose as a content script.
    reply = popup.evaluate(
        "() => chrome.runtime.sendMessage({type: 'cs-bg-analyze-text', text: 'Aqua, Glycerin'})"
    )
    assert reply == {
        "ok": False,
        "error": {"code": "forbidden", "message": "Not from a content script."},
    }
    unknown = popup.evaluate(
        """() => chrome.runtime.sendMessage({type: 'eval', code: '1'})
                   .then(r => r === undefined ? 'no reply' : r, () => 'no reply')"""
    )
    assert unknown == "no reply"
    bad = popup.evaluate(
        "() => chrome.runtime.sendMessage({type: 'ui-bg-get-selection-result', key: 'tab:1'})"
    )
    assert bad["error"]["code"] == "bad_input"


def analyse_requests(live: LiveServer) -> int:
    return live.log_path.read_text(encoding="utf-8").count('"POST /v1/analyze/text ')


def test_highlights_settle_and_a_reload_is_served_from_the_cache(
    ext: Extension, live: LiveServer
) -> None:
    page = ext.open("iherb")
    wait_for_marks(page)
    requests = analyse_requests(live)
    page.evaluate("() => { window.__first = document.querySelector('mark.incilens-mark'); }")
    page.locator("mark.incilens-mark", has_text="Carbomer").hover()  # the tooltip host appears
    page.wait_for_timeout(1500)  # longer than the observer's debounce
    # Our own DOM writes did not trigger another round: the same marks are still there.
    assert page.evaluate("() => window.__first.isConnected") is True
    assert page.locator("mark.incilens-mark").count() == 9
    page.reload()
    wait_for_marks(page)
    ext.tab_state(PAGES["iherb"], until=lambda s: s["status"] == "done")
    assert analyse_requests(live) == requests


def test_a_slow_server_times_out_and_leaves_the_page_untouched(ext: Extension) -> None:
    # A socket that accepts connections (the kernel's backlog) but never answers.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        slow = f"http://127.0.0.1:{silent.getsockname()[1]}"
        ext.set_options(serverUrl=slow, timeoutSeconds=2)
        page = ext.open("target")
        tab, state = ext.tab_state(
            PAGES["target"], timeout=30, until=lambda s: s["status"] == "error"
        )
        assert state["error"]["code"] == "timeout"
        assert f"{slow} did not answer within 2 s" in state["error"]["message"]
        assert ext.badge(tab) == "!"
        assert page.evaluate("() => document.body.innerHTML") == original_body(page, "target")
        popup = ext.popup(tab)
        popup.locator("#status.error").wait_for()
        assert "did not answer within 2 s" in popup.locator("#status").inner_text()
        assert popup.locator("#retry").is_visible()
