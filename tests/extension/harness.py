"""Headless Chromium with the built extension loaded, fixture shop pages, and the real service.

The extension is built by its own build script (``extension/scripts/build.mjs``) into a
temporary directory and loaded unpacked, so the tests exercise what ships. Fixture pages are
served at the retailers' real URLs through ``context.route``: every request is fulfilled from
``fixtures/``, let through to loopback, or aborted, so nothing leaves the machine.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.live import CHROMIUM_ARGS, REPO, free_port

if TYPE_CHECKING:  # Playwright is imported by the fixtures, which skip (or fail in CI) without it
    from playwright.sync_api import BrowserContext, Page, Route, Worker

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = REPO / "tests" / "artifacts"
LOOPBACK = {"127.0.0.1", "localhost"}
GENERIC_PORT = free_port()  # nothing listens there: the route answers for it

# Retailer product pages: (fixture file, URL it is served at).
PAGES: dict[str, str] = {
    "sephora": "https://www.sephora.com/product/glow-serum-P000001",
    "ulta": "https://www.ulta.com/p/barrier-repair-cream-pimprod2000001",
    "amazon": "https://www.amazon.com/dp/B000TEST01",
    "boots": "https://www.boots.com/boots-daily-moisturiser-spf15-10000001",
    "target": "https://www.target.com/p/shea-body-lotion/-/A-00000001",
    "iherb": "https://www.iherb.com/pr/aloe-vera-gel/00001",
    "yesstyle": "https://www.yesstyle.com/en/centella-calming-toner/info.html/pid.1000000001",
    "douglas": "https://www.douglas.de/de/p/5000000001",
    "lookfantastic": "https://www.lookfantastic.com/p/purifying-clay-mask/10000001/",
    "generic": f"http://localhost:{GENERIC_PORT}/boutique/creme-mains.html",
}


def build_extension(out: Path) -> Path:
    """Build the unpacked Chrome extension into ``out`` with the project's build script."""
    subprocess.run(
        ["node", str(REPO / "extension" / "scripts" / "build.mjs"), "--out", str(out), "--no-zip"],
        check=True,
        capture_output=True,
    )
    return out / "chrome"


def launch_args(ext: Path) -> list[str]:
    return [f"--disable-extensions-except={ext}", f"--load-extension={ext}", *CHROMIUM_ARGS]


def route_offline(context: BrowserContext) -> list[str]:
    """Serve fixtures at their URLs, let loopback through, abort everything else.

    Returns the list of aborted URLs, so a test can assert that nothing tried to leave.
    """
    by_url = {url: FIXTURES / f"{name}.html" for name, url in PAGES.items()}
    aborted: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if url in by_url:
            route.fulfill(path=by_url[url], content_type="text/html; charset=utf-8")
        elif parts.path.startswith("/assets/") and (FIXTURES / parts.path[8:]).is_file():
            route.fulfill(path=FIXTURES / parts.path[8:], content_type="text/javascript")
        elif parts.scheme in {"http", "https"} and parts.hostname in LOOPBACK:
            route.continue_()
        elif parts.scheme in {"http", "https", "ws", "wss"}:
            aborted.append(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    context.route("**/*", handle)
    return aborted


@dataclass
class Extension:
    """The loaded extension: its context, service worker and id."""

    context: BrowserContext
    worker: Worker
    id: str
    server_url: str

    def sw(self, script: str, arg: Any = None) -> Any:
        """Evaluate an async function body's expression in the service worker."""
        return self.worker.evaluate(script, arg)

    def set_options(self, **options: Any) -> None:
        stored = {"serverUrl": self.server_url, **options}
        self.sw("(o) => chrome.storage.sync.set({options: o})", stored)

    def reset(self) -> None:
        self.sw("() => chrome.storage.sync.clear()")
        self.sw("() => chrome.storage.session.clear()")
        self.set_options()
        for page in list(self.context.pages):
            page.close()

    def open(self, name: str, *, init_script: str | None = None) -> Page:
        page = self.context.new_page()
        if init_script:
            page.add_init_script(init_script)
        page.goto(PAGES[name])
        return page

    def tab_state(
        self, url: str, *, timeout: float = 15.0, until: Callable[[dict], bool] | None = None
    ) -> tuple[int, dict]:
        """The tab id and the state the service worker keeps for the tab showing ``url``."""
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
        raise AssertionError(f"no tab state for {url}: {json.dumps(last)[:2000]}")

    def tab_id(self, url: str) -> int:
        """The id of the tab showing ``url`` (a loopback page: the extension may see its URL)."""
        ids = self.sw("(u) => chrome.tabs.query({url: u}).then(ts => ts.map(t => t.id))", url)
        assert len(ids) == 1, ids
        return int(ids[0])

    def badge(self, tab_id: int) -> str:
        return str(self.sw("(id) => chrome.action.getBadgeText({tabId: id})", tab_id))

    def popup(self, tab_id: int) -> Page:
        page = self.context.new_page()
        page.goto(f"chrome-extension://{self.id}/src/popup/popup.html?tab={tab_id}")
        return page


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


def original_body(page: Page, name: str) -> str:
    """The fixture's body as the browser serialises it, parsed from the file (no scripts run)."""
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    return str(
        page.evaluate("(h) => new DOMParser().parseFromString(h, 'text/html').body.innerHTML", html)
    )


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
