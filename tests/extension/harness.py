"""The built extension in Chromium and in Firefox ESR, fixture shop pages, and the real service.

The extension is built by its own build script (``extension/scripts/build.mjs``) into a
temporary directory: Chromium loads the Chrome build unpacked, Firefox installs the Firefox build
as a temporary add-on, so the tests exercise what ships. Fixture pages are served at the
retailers' real URLs by request interception in both browsers: every request is fulfilled from
``fixtures/``, let through to loopback, or aborted, so nothing leaves the machine.

Every page a test opens with ``Extension.open`` records what it says before the extension
touches it (``TEXT_WATCH``); ``Extension.check_text`` then proves that highlighting changed
neither the page's ``innerText`` nor its DOM outside the marks, and that removing the
highlights restores the page exactly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.extension.browsers import Page, Session
from tests.live import CHROMIUM_ARGS, REPO, free_port

if TYPE_CHECKING:  # Playwright is imported by the fixtures, which skip (or fail in CI) without it
    from playwright.sync_api import BrowserContext, Route

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = REPO / "tests" / "artifacts"
LOOPBACK = ["127.0.0.1", "localhost"]
GENERIC_PORT = free_port()  # nothing listens there: the interception answers for it

STRICT_CSP = "default-src 'self'; style-src 'self'"
NONCE_CSP = "default-src 'none'; script-src 'nonce-shop19nonce'; style-src 'nonce-shop19nonce'"

# Product pages: name -> (URL it is served at, response headers beyond the content type).
SERVED: dict[str, tuple[str, dict[str, str]]] = {
    "sephora": ("https://www.sephora.com/product/glow-serum-P000001", {}),
    "ulta": ("https://www.ulta.com/p/barrier-repair-cream-pimprod2000001", {}),
    "amazon": ("https://www.amazon.com/dp/B000TEST01", {}),
    "boots": ("https://www.boots.com/boots-daily-moisturiser-spf15-10000001", {}),
    "target": ("https://www.target.com/p/shea-body-lotion/-/A-00000001", {}),
    "iherb": ("https://www.iherb.com/pr/aloe-vera-gel/00001", {}),
    "yesstyle": ("https://www.yesstyle.com/en/centella-calming-toner/info.html/pid.1000000001", {}),
    "douglas": ("https://www.douglas.de/de/p/5000000001", {}),
    "lookfantastic": ("https://www.lookfantastic.com/p/purifying-clay-mask/10000001/", {}),
    "generic": (f"http://localhost:{GENERIC_PORT}/boutique/creme-mains.html", {}),
    "late-inline": ("https://www.target.com/p/renewing-night-serum/-/A-00000002", {}),
    "csp-strict": (
        "https://www.boots.com/boots-barrier-cream-10000002",
        {"Content-Security-Policy": STRICT_CSP},
    ),
    "csp-nonce": (
        "https://www.boots.com/boots-night-cream-10000003",
        {"Content-Security-Policy": NONCE_CSP},
    ),
}
PAGES: dict[str, str] = {name: url for name, (url, _) in SERVED.items()}
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css"}


def routes() -> dict[str, Any]:
    """The interception table, as both browsers' routers read it."""
    pages = {
        url: {"file": str(FIXTURES / f"{name}.html"), "headers": headers}
        for name, (url, headers) in SERVED.items()
    }
    assets = {
        p.name: {"file": str(p), "headers": {}}
        for p in FIXTURES.iterdir()
        if p.suffix in {".js", ".css"}
    }
    return {"routes": pages, "assets": assets, "loopback": LOOPBACK}


def launch_args(ext: Path) -> list[str]:
    return [f"--disable-extensions-except={ext}", f"--load-extension={ext}", *CHROMIUM_ARGS]


def route_offline(context: BrowserContext) -> list[str]:
    """Chromium: serve fixtures at their URLs, let loopback through, abort everything else.

    Returns the list of aborted URLs, so a test can assert that nothing tried to leave
    (``firefox_bridge.mjs`` applies the same rules in Firefox).
    """
    table = routes()
    aborted: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        name = parts.path[8:] if parts.path.startswith("/assets/") else None
        hit = table["routes"].get(url) or (table["assets"].get(name) if name else None)
        if hit:
            path = Path(hit["file"])
            route.fulfill(
                path=path, content_type=CONTENT_TYPES[path.suffix], headers=hit["headers"] or None
            )
        elif parts.scheme in {"http", "https"} and parts.hostname in LOOPBACK:
            route.continue_()
        elif parts.scheme in {"http", "https", "ws", "wss"}:
            aborted.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", handle)
    return aborted


# Runs in the page before its own scripts. It keeps the page's last state before the first
# mark appears (innerText, textContent, body HTML) and notes whether the page itself changed
# while highlighted (then only "with marks" against "after removal" is compared). It also
# records Content-Security-Policy violations.
TEXT_WATCH = """
(() => {
  const OURS = "mark.incilens-mark, [data-incilens-ui]";
  const watch = { before: null, last: null, stale: false, violations: [] };
  Object.defineProperty(window, "__incilensWatch", { value: watch });
  const strip = (body) => {
    const copy = body.cloneNode(true);
    for (const n of copy.querySelectorAll("[data-incilens-ui]")) n.remove();
    for (const m of copy.querySelectorAll("mark.incilens-mark")) m.replaceWith(...m.childNodes);
    return copy.innerHTML;
  };
  Object.defineProperty(window, "__incilensStrip", { value: strip });
  const look = () => {
    const body = document.body;
    if (!body) return;
    if (!body.querySelector(OURS)) {
      if (watch.before === null) {
        watch.last = { text: body.innerText, content: body.textContent, html: body.innerHTML };
      }
      return;
    }
    if (watch.before === null) watch.before = watch.last;
    if (watch.before && strip(body) !== watch.before.html) watch.stale = true;
  };
  new MutationObserver(look).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
  document.addEventListener("DOMContentLoaded", look);
  window.addEventListener("load", look);
  document.addEventListener("securitypolicyviolation", (e) => {
    watch.violations.push(`${e.effectiveDirective} ${e.blockedURI || "inline"}`);
  });
})();
"""

NOW = """() => {
  const body = document.body;
  const watch = window.__incilensWatch;
  return {
    ours: body.querySelectorAll("mark.incilens-mark, [data-incilens-ui]").length,
    text: body.innerText,
    content: body.textContent,
    html: window.__incilensStrip(body),
    before: watch.before || watch.last,
    stale: watch.stale,
  };
}"""


@dataclass
class Extension:
    """The extension in one browser: its session, the service's URL and the pages opened."""

    session: Session
    server_url: str
    opened: list[tuple[Page, str]] = field(default_factory=list)

    @property
    def browser(self) -> str:
        return self.session.name

    def sw(self, script: str, arg: Any = None) -> Any:
        """Evaluate a function in an extension context (``chrome.*`` available)."""
        return self.session.ext_eval(script, arg)

    def set_options(self, **options: Any) -> None:
        stored = {"serverUrl": self.server_url, **options}
        self.sw("(o) => chrome.storage.sync.set({options: o})", stored)

    def reset(self) -> None:
        self.session.close_pages()
        self.opened.clear()
        self.sw("() => chrome.storage.sync.clear()")
        self.sw("() => chrome.storage.session.clear()")
        self.set_options()

    def open(self, name: str, *, init_script: str = "") -> Page:
        page = self.session.new_page(init_script=TEXT_WATCH + init_script)
        page.goto(PAGES[name])
        self.opened.append((page, PAGES[name]))
        return page

    def extension_page(self, path: str) -> Page:
        page = self.session.new_page()
        page.goto(f"{self.session.ext_origin}/{path}")
        return page

    def tab_state(
        self,
        url: str,
        *,
        timeout: float = 15.0,
        until: Callable[[dict[str, Any]], bool] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """The tab id and the state the background keeps for the tab showing ``url``."""
        deadline = time.monotonic() + timeout
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            last = self.sw("() => chrome.storage.session.get(null)")
            for key, state in last.items():
                if (
                    key.startswith("tab:")
                    and state.get("url") == url
                    and (until is None or until(state))
                ):
                    return int(key[4:]), state
            time.sleep(0.1)
        raise AssertionError(f"{self.browser}: no tab state for {url}: {json.dumps(last)[:2000]}")

    def tab_id(self, url: str) -> int:
        """The id of the tab showing ``url`` (a loopback page: the extension may see its URL)."""
        ids = self.sw(
            "(u) => chrome.tabs.query({}).then(ts => ts.filter(t => t.url === u).map(t => t.id))",
            url,
        )
        assert len(ids) == 1, ids
        return int(ids[0])

    def badge(self, tab_id: int) -> str:
        return str(self.sw("(id) => chrome.action.getBadgeText({tabId: id})", tab_id))

    def popup(self, tab_id: int) -> Page:
        return self.extension_page(f"src/popup/popup.html?tab={tab_id}")

    def check_text(self, page: Page, url: str) -> None:
        """Highlighting changed nothing the page says, and removing it restores the page."""
        now = page.evaluate(NOW)
        before = now["before"]
        assert before is not None, f"{self.browser}: the page was never seen without marks"
        if now["ours"] == 0:
            assert (now["text"], now["content"], now["html"]) == (
                before["text"],
                before["content"],
                before["html"],
            ), f"{self.browser}: the page changed without a mark"
            return
        tab, _ = self.tab_state(url)
        self.session.bg_eval(
            """(g, tab) => g.chrome.tabs.sendMessage(tab, {type: "bg-cs-remove-highlights"},
                                                      {frameId: 0})""",
            tab,
        )
        page.wait_for_function(
            "() => !document.querySelector('mark.incilens-mark, [data-incilens-ui]')",
            timeout=5000,
        )
        after = page.evaluate(
            "() => ({text: document.body.innerText, content: document.body.textContent,"
            " html: document.body.innerHTML})"
        )
        # With the marks and badge in place the page reads as it does without them ...
        assert now["text"] == after["text"], f"{self.browser}: highlighting changed innerText"
        assert now["content"] == after["content"], f"{self.browser}: highlighting changed the text"
        assert now["html"] == after["html"], f"{self.browser}: the DOM outside the marks changed"
        # ... and, unless the page itself changed meanwhile, as it did before the extension came.
        if not now["stale"]:
            assert after == before, f"{self.browser}: removing the highlights did not restore it"

    def check_all_text(self) -> None:
        for page, url in self.opened:
            self.check_text(page, url)


def marks_by_item(page: Page) -> list[str]:
    """The highlighted text of each item, in item order (an item may span several marks)."""
    return list(
        page.evaluate(
            """() => {
                const out = new Map();
                for (const m of document.querySelectorAll("mark.incilens-mark")) {
                    const i = Number(m.dataset.incilensItem);
                    out.set(i, (out.get(i) || "") + m.textContent);
                }
                return [...out.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]);
            }"""
        )
    )


def wait_for_marks(page: Page, timeout: float = 20_000) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('mark.incilens-mark').length > 0", timeout=timeout
    )


def wait_for(page: Page, selector: str, *, state: str = "visible", timeout: float = 15_000) -> None:
    """Wait until ``selector`` is attached, visible or hidden (``state``)."""
    page.wait_for_function(
        """([sel, state]) => {
            const el = document.querySelector(sel);
            if (state === "attached") return Boolean(el);
            const shown = Boolean(el && el.getClientRects().length
                && getComputedStyle(el).visibility !== "hidden");
            return state === "hidden" ? !shown : shown;
        }""",
        [selector, state],
        timeout=timeout,
    )


def text_of(page: Page, selector: str) -> str:
    return str(page.evaluate("(s) => document.querySelector(s).innerText", selector))


def texts_of(page: Page, selector: str) -> list[str]:
    return list(
        page.evaluate("(s) => [...document.querySelectorAll(s)].map(e => e.innerText)", selector)
    )


def count(page: Page, selector: str) -> int:
    return int(page.evaluate("(s) => document.querySelectorAll(s).length", selector))


FIND_MARK = """([sel, text]) => [...document.querySelectorAll(sel)]
    .find(m => m.textContent.includes(text))"""


def hover(page: Page, selector: str, text: str) -> None:
    """Move the real mouse onto the first element matching ``selector`` that contains ``text``."""
    box = page.evaluate(
        f"""(a) => {{
            const el = ({FIND_MARK})(a);
            el.scrollIntoView({{block: "center"}});
            const r = el.getClientRects()[0];
            return {{x: r.left + Math.min(r.width / 2, 8), y: r.top + r.height / 2}};
        }}""",
        [selector, text],
    )
    page.mouse_move(box["x"], box["y"])


def focus(page: Page, selector: str, text: str) -> None:
    page.evaluate(f"(a) => ({FIND_MARK})(a).focus()", [selector, text])


def fill(page: Page, selector: str, value: str) -> None:
    """Set a field's value as typing would, with its input and change events."""
    page.evaluate(
        """([s, v]) => {
            const el = document.querySelector(s);
            el.focus();
            el.value = v;
            el.dispatchEvent(new Event("input", {bubbles: true}));
            el.dispatchEvent(new Event("change", {bubbles: true}));
        }""",
        [selector, value],
    )


def set_checked(page: Page, selector: str, checked: bool) -> None:
    """Click a checkbox if it is not already in the wanted state."""
    if bool(page.evaluate("(s) => document.querySelector(s).checked", selector)) != checked:
        page.click(selector)


# The tooltip card, read through its open shadow root.
CARD = """() => {
    const host = document.getElementById("incilens-tooltip");
    const card = host && host.shadowRoot.querySelector("[role=tooltip]");
    if (!card) return null;
    const shown = getComputedStyle(host).display !== "none" && card.getClientRects().length > 0;
    const texts = (s) => [...card.querySelectorAll(s)].map(e => e.innerText);
    return {
        shown,
        title: card.querySelector("h2").innerText,
        pill: card.querySelector(".pill").innerText,
        rows: Object.fromEntries(texts("dt").map((t, i) => [t, texts("dd")[i]])),
        text: card.innerText,
    };
}"""


def card(page: Page) -> dict[str, Any]:
    """The tooltip card once it is shown."""
    page.wait_for_function(f"() => {{ const c = ({CARD})(); return c && c.shown; }}")
    return dict(page.evaluate(CARD))


def original_body(page: Page, name: str) -> str:
    """The fixture's body as the browser serialises it, parsed from the file (no scripts run)."""
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return str(
        page.evaluate("(h) => new DOMParser().parseFromString(h, 'text/html').body.innerHTML", html)
    )


def screenshot(ext: Extension, page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{ext.browser}.png"
    page.screenshot(path)
    return path
