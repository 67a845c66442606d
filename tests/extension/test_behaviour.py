"""Tooltip, popup, options, server failures, clean removal and the context menu, end to end.

Each test runs in Chromium and in Firefox ESR (see conftest.py).
"""

from __future__ import annotations

import socket
import time

from tests.extension.browsers import Page
from tests.extension.harness import (
    PAGES,
    Extension,
    card,
    count,
    fill,
    focus,
    hover,
    marks_by_item,
    original_body,
    screenshot,
    set_checked,
    text_of,
    texts_of,
    wait_for,
    wait_for_marks,
)
from tests.live import LiveServer, free_port

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

CAPTURE_ORIGINAL = """
document.addEventListener("DOMContentLoaded", () => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  window.__textNodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) window.__textNodes.push(n);
  window.__bodyHtml = document.body.innerHTML;
});
"""


MARK = "mark.incilens-mark"


def attrs(page: Page, text: str, *names: str) -> list[str | None]:
    return list(
        page.evaluate(
            """([text, names]) => {
                const m = [...document.querySelectorAll("mark.incilens-mark")]
                    .find(m => m.textContent.includes(text));
                return names.map(n => m.getAttribute(n));
            }""",
            [text, list(names)],
        )
    )


def test_the_tooltip_shows_the_ingredient_on_hover_and_on_focus(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    tabindex, shared, concern = attrs(
        page, "Retinol", "tabindex", "aria-describedby", "data-incilens-concern"
    )
    assert (tabindex, shared, concern) == ("0", None, "moderate"), ext.browser
    # Each mark describes its own ingredient (no description shared by every mark).
    retinol_says = str(attrs(page, "Retinol", "aria-description")[0])
    assert retinol_says.startswith("Retinol: Moderate concern. "), retinol_says
    assert "Pregnancy: Caution: " in retinol_says
    assert str(attrs(page, "Parfum", "aria-description")[0]).startswith("Parfum: Moderate concern")
    hover(page, MARK, "Retinol")
    shown = card(page)
    assert shown["title"] == "Retinol"
    assert shown["pill"] == "Moderate concern"
    rows = shown["rows"]
    assert rows["Pregnancy"].startswith("Caution: ")
    assert "sunscreen" in rows["Sun"]
    assert rows["Vegan"] == "Vegan"
    assert "Annex III/376: restricted" in rows["EU status"]
    assert "Retinoid" in rows["Flags"]
    assert {"What it does", "Side effects"} <= rows.keys()
    assert "Sources:" in shown["text"]
    # Safety rows first, and the whole card fits on the screen without scrolling.
    assert list(rows)[:3] == ["Pregnancy", "Sun", "EU status"], ext.browser
    fits = page.evaluate(
        """() => { const host = document.getElementById('incilens-tooltip');
                   const c = host.shadowRoot.querySelector('.card');
                   const r = c.getBoundingClientRect();
                   return {scrolls: c.scrollHeight > c.clientHeight + 1,
                           inside: r.top >= 0 && r.bottom <= innerHeight,
                           height: Math.round(r.height)}; }"""
    )
    screenshot(ext, page, "extension-tooltip")
    assert fits["scrolls"] is False and fits["inside"] is True, (ext.browser, fits)
    # The card lives in a shadow root, so the page cannot style or read it by selector.
    assert count(page, "[role=tooltip]") == 0
    # The pointer can move onto the card (to read its lower rows) and the card stays open.
    box = page.evaluate(
        """() => { const r = document.getElementById('incilens-tooltip').getBoundingClientRect();
                   return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"""
    )
    page.mouse_move(box["x"], box["y"])
    time.sleep(0.8)  # well past the hiding delay
    assert card(page)["title"] == "Retinol", ext.browser
    # Leaving the card hides it.
    page.mouse_move(0, 0)
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('incilens-tooltip')).display === 'none'"
    )
    # Keyboard: focus moves the card to the focused ingredient; Escape hides it.
    focus(page, MARK, "Parfum")
    page.wait_for_function(
        """() => document.getElementById('incilens-tooltip').shadowRoot
                   .querySelector('h2').textContent === 'Parfum'"""
    )
    assert card(page)["shown"]
    page.press("Escape")
    page.wait_for_function(
        "() => getComputedStyle(document.getElementById('incilens-tooltip')).display === 'none'"
    )


def test_the_popup_summarises_the_page(ext: Extension) -> None:
    page = ext.open("sephora")
    wait_for_marks(page)
    tab, _ = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "done")
    popup = ext.popup(tab)
    popup.set_viewport(360, 640)
    wait_for(popup, "#summary")
    assert text_of(popup, "#summary-title") == "2 concerns", ext.browser
    assert text_of(popup, "#counts") == "10 ingredients, 10 recognised"
    assert texts_of(popup, "#levels li") == ["2 moderate", "2 low", "6 no concern"]
    assert texts_of(popup, "#worst li") == ["Retinol (moderate)", "Parfum (moderate)"]
    flags = texts_of(popup, "#flags li")
    assert "Retinoid: Retinol" in flags
    assert "Fragrance: Parfum" in flags
    assert text_of(popup, "#site-name") == "Sephora (www.sephora.com)"
    assert popup.evaluate("() => document.getElementById('site-enabled').checked") is True
    screenshot(ext, popup, "extension-popup")


def test_the_profile_from_the_options_page_reaches_the_analysis(ext: Extension) -> None:
    options = ext.extension_page("src/options/options.html")
    wait_for(options, "#serverUrl")
    # The privacy statement is on the page: what is sent, where, and what is stored.
    privacy = text_of(options, "#privacy")
    assert "What is sent:" in privacy and "server address above" in privacy, ext.browser
    assert "claim" in privacy and "never reviews" in privacy, ext.browser
    assert "What is stored:" in privacy
    options.wait_for_function(
        "(url) => document.getElementById('serverUrl').value === url", ext.server_url
    )
    # A bad address is refused with a message, and nothing is saved.
    fill(options, "#serverUrl", "ftp://127.0.0.1")
    options.click("button[type=submit]")
    options.wait_for_function("() => document.getElementById('serverUrl-error').innerText")
    assert "http://" in text_of(options, "#serverUrl-error"), ext.browser
    invalid = "() => document.getElementById('serverUrl').getAttribute('aria-invalid')"
    assert options.evaluate(invalid) == "true"
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["serverUrl"] == ext.server_url
    # A good one, with a profile.
    fill(options, "#serverUrl", ext.server_url + "/")
    fill(options, "#skin_type", "sensitive")
    fill(options, "#avoid", "fragrance, xyzzyplum")
    set_checked(options, "#pregnant_or_breastfeeding", True)
    options.click("button[type=submit]")
    options.wait_for_function("() => document.getElementById('result').innerText === 'Saved.'")
    stored = ext.sw("() => chrome.storage.sync.get('options')")["options"]
    assert stored["serverUrl"] == ext.server_url
    assert stored["profile"] == {
        "skin_type": "sensitive",
        "concerns": [],
        "avoid": ["fragrance", "xyzzyplum"],
        "vegan": False,
        "pregnant_or_breastfeeding": True,
    }
    screenshot(ext, options, "extension-options")

    page = ext.open("sephora")
    wait_for_marks(page)
    tab, state = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "done")
    titles = [g["title"] for g in state["summary"]["forYou"]]
    assert "On your avoid list: fragrance" in titles
    assert "Pregnancy and breastfeeding" in titles
    assert state["summary"]["concerns"] > 2  # more than the two moderate items now
    assert ext.badge(tab) == str(state["summary"]["concerns"])
    badge = page.evaluate(
        "() => document.querySelector('.incilens-badge-host').shadowRoot.textContent"
    )
    assert "For you: On your avoid list: fragrance" in badge
    # A term the server does not know is named, in the badge and in the popup.
    assert "xyzzyplum" in badge and "()" not in badge, (ext.browser, badge)
    popup = ext.popup(tab)
    wait_for(popup, "#summary")
    for_you = texts_of(popup, "#for-you li")
    assert any("avoid list: fragrance" in t for t in for_you)
    assert any("xyzzyplum" in t for t in for_you), (ext.browser, for_you)


def test_server_down_leaves_the_page_untouched_and_says_so(ext: Extension) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    ext.set_options(serverUrl=down)
    page = ext.open("sephora")
    tab, state = ext.tab_state(PAGES["sephora"], until=lambda s: s["status"] == "error")
    assert state["error"]["code"] == "server_unreachable", ext.browser
    assert ext.badge(tab) == "!"
    title = ext.sw("(id) => chrome.action.getTitle({tabId: id})", tab)
    assert "Cannot reach the INCI Lens server at " + down in title
    assert page.evaluate("() => document.body.innerHTML") == original_body(page, "sephora")
    popup = ext.popup(tab)
    wait_for(popup, "#status.error")
    status = text_of(popup, "#status")
    assert down in status
    assert "make run" in status
    wait_for(popup, "#retry")
    screenshot(ext, popup, "extension-popup-server-down")
    # Once the server is back, "Try again" highlights the page.
    ext.set_options()
    popup.click("#retry")
    wait_for_marks(page)
    wait_for(popup, "#summary")


def test_switching_a_site_off_restores_the_original_dom_exactly(ext: Extension) -> None:
    page = ext.open("boots", init_script=CAPTURE_ORIGINAL)
    wait_for_marks(page)
    hover(page, MARK, "Homosalate")
    card(page)
    before = page.evaluate(SAME_AS_ORIGINAL)
    assert before["html"] is False, ext.browser
    assert before["ours"] > 0
    tab, _ = ext.tab_state(PAGES["boots"], until=lambda s: s["status"] == "done")
    popup = ext.popup(tab)
    wait_for(popup, "#summary")
    set_checked(popup, "#site-enabled", False)
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
    wait_for(popup, "#site")
    set_checked(popup, "#site-enabled", True)
    wait_for_marks(page)
    assert len(marks_by_item(page)) == 12


def test_the_context_menu_analyses_the_selection(ext: Extension) -> None:
    page = ext.open("amazon")
    wait_for_marks(page)
    tab, _ = ext.tab_state(PAGES["amazon"], until=lambda s: s["status"] == "done")
    not_ours = ext.session.bg_eval(
        "(g) => g.incilens.handleContextMenuClick({menuItemId: 'other', selectionText: 'Aqua'},"
        " null)"
    )
    assert not_ours is None, ext.browser
    key = ext.session.bg_eval(
        """(g, tab) => g.incilens.handleContextMenuClick(
               {menuItemId: 'incilens-analyse-selection',
                selectionText: 'Ingredients: Aqua, Glycerin, Parfum, Retinol, Xyzzyplum'},
               {id: tab, index: 0})""",
        tab,
    )
    assert key.startswith("sel:")
    # The extension opened its result page in a new tab beside the page.
    wanted = f"{ext.session.ext_origin}/src/popup/popup.html?selection={key.replace(':', '%3A')}"
    deadline = time.monotonic() + 10
    opened: list[int] = []
    while not opened and time.monotonic() < deadline:
        opened = ext.sw(
            "(u) => chrome.tabs.query({}).then(ts => ts.filter(t => t.url === u).map(t => t.id))",
            wanted,
        )
    assert len(opened) == 1
    ext.sw("(id) => chrome.tabs.remove(id)", opened[0])
    result = ext.extension_page(wanted.split("/", 3)[3])
    wait_for(result, "#items")
    rows = result.evaluate(
        """() => [...document.querySelectorAll('#items tbody tr')]
                   .map(r => [...r.cells].map(c => c.innerText))"""
    )
    assert len(rows) == 5
    assert rows[3] == ["Retinol", "moderate"]
    assert rows[4][1] == "not recognised"
    assert text_of(result, "#summary-title") == "2 concerns"
    # The selection page shows no record, so it asked for the compact report.
    stored = ext.sw("(k) => chrome.storage.session.get(k).then((r) => r[k])", key)
    recognised = [i["ingredient"] for i in stored["report"]["ingredients"] if i["ingredient"]]
    assert len(recognised) == 4, ext.browser
    assert all("functions" not in r and r["record"] for r in recognised), ext.browser
    screenshot(ext, result, "extension-selection")


def test_messages_are_checked_by_type_and_sender(ext: Extension) -> None:
    page = ext.open("target")
    wait_for_marks(page)
    # A web page has no channel to the extension at all.
    has_channel = "() => Boolean(window.chrome && chrome.runtime && chrome.runtime.id)"
    assert page.evaluate(has_channel) is False, ext.browser
    popup = ext.extension_page("src/popup/popup.html?tab=-1")
    # The one browser shim (src/shared/browser.js) picked this browser's namespace.
    # (Chromium 156 has a `browser` namespace too, so its presence no longer tells them apart.)
    chosen = popup.evaluate(
        """() => [INCILENS.isFirefox,
                  INCILENS.ext === (typeof browser !== "undefined" ? browser : chrome),
                  INCILENS.ext.runtime.getURL("")]"""
    )
    firefox = ext.browser == "firefox"
    assert chosen == [firefox, True, ext.session.ext_origin + "/"], ext.browser
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
    hover(page, MARK, "Carbomer")  # the tooltip host appears
    card(page)
    time.sleep(1.5)  # longer than the observer's debounce
    # Our own DOM writes did not trigger another round: the same marks are still there.
    assert page.evaluate("() => window.__first.isConnected") is True, ext.browser
    assert count(page, MARK) == 9
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
        assert state["error"]["code"] == "timeout", ext.browser
        assert f"{slow} did not answer within 2 s" in state["error"]["message"]
        assert ext.badge(tab) == "!"
        assert page.evaluate("() => document.body.innerHTML") == original_body(page, "target")
        popup = ext.popup(tab)
        wait_for(popup, "#status.error")
        assert "did not answer within 2 s" in text_of(popup, "#status")
        wait_for(popup, "#retry")
