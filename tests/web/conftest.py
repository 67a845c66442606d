"""Fixtures for the page tests: the real service (gunicorn) and Debian's headless Chromium.

Every page runs offline: the browser context aborts any request that leaves the test server
(and the test fails if one was attempted), so a CDN or remote font would be caught here. Page
errors, CSP violations and console errors fail the test that caused them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from incilens import ocr
from tests.conftest import need
from tests.live import CHROMIUM_ARGS, REPO, LiveServer, chromium_path

ARTIFACTS = REPO / "tests" / "artifacts"
LABELS = REPO / "tests" / "resources" / "labels"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (360, 1280)

# Records what the page did, for assertions that must not depend on timing: status texts,
# whether the working state showed, progress values, and CSP violations.
RECORDER = """
window.__log = {status: [], working: [], progress: [], csp: []};
document.addEventListener("securitypolicyviolation", (e) => {
  window.__log.csp.push(e.violatedDirective + " " + e.blockedURI);
});
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("status-text");
  const working = document.getElementById("working");
  const progress = document.getElementById("progress");
  if (!status) return;
  new MutationObserver(() => window.__log.status.push(status.textContent))
    .observe(status, {childList: true, characterData: true, subtree: true});
  new MutationObserver(() => {
    window.__log.working.push(!working.hidden);
    window.__log.progress.push(progress.getAttribute("value"));
  }).observe(working, {attributes: true, subtree: true, attributeFilter: ["hidden", "value"]});
});
"""


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    path = chromium_path()
    need(path is not None, "chromium is not installed")
    chromium = playwright.chromium.launch(
        executable_path=path, headless=True, args=list(CHROMIUM_ARGS)
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


@pytest.fixture()
def tesseract() -> None:
    need(ocr.available(), "tesseract is not installed")


class PageWatch:
    """What a page did that a test must not allow: errors and requests leaving the server."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.outside: list[str] = []
        self.allowed_console: list[str] = []

    def route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.origin + "/"):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def unexpected_console(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if not any(allowed in text for allowed in self.allowed_console)
        ]


def open_context(browser: Any, origin: str, watch: PageWatch, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(RECORDER)
    context.route("**/*", watch.route)
    return context


@pytest.fixture()
def watch(server: LiveServer) -> PageWatch:
    return PageWatch(server.url)


@pytest.fixture()
def page(browser: Any, server: LiveServer, watch: PageWatch) -> Iterator[Any]:
    context = open_context(browser, server.url, watch)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    pg.on("console", watch.console)
    yield pg
    csp = pg.evaluate("window.__log ? window.__log.csp : []") if not pg.is_closed() else []
    context.close()
    assert not watch.page_errors, watch.page_errors
    assert not csp, f"CSP violations: {csp}"
    assert not watch.outside, f"requests left the test server: {watch.outside}"
    assert not watch.unexpected_console(), watch.unexpected_console()


def wait_until(page: Any, script: str, timeout_s: float = 30.0) -> None:
    """Poll a JavaScript expression until it is true (``wait_for_function`` needs eval, which
    the page's CSP forbids)."""
    for _ in range(int(timeout_s * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def snap(page: Any, name: str) -> list[Path]:
    """Full-page screenshots at 360 px and 1280 px wide, kept under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate("window.scrollTo(0, 0)")  # sticky parts are drawn where the view is
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths
