"""One small page interface over the two browsers the extension ships for.

Chromium is Debian's, driven by Playwright (``--load-extension``); Firefox is Debian's Firefox
ESR, driven by puppeteer-core over WebDriver BiDi through ``firefox_bridge.mjs`` (a node process
that answers one JSON line per command), which installs the Firefox build as a temporary
add-on. The end-to-end tests use only what both offer: navigate, evaluate a function, move the
mouse, click, press a key, take a screenshot. Everything else (reading a mark's card, filling a
field) is a function evaluated in the page, so it runs the same way in both.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tests.live import REPO

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Worker
    from playwright.sync_api import Page as PwPage

FIREFOX_CANDIDATES = ("/usr/bin/firefox-esr", "/usr/bin/firefox")
BRIDGE = Path(__file__).with_name("firefox_bridge.mjs")
GECKO_ID = "inci-lens@incilens.org"  # extension/scripts/build.mjs
# The moz-extension:// host, fixed by the preference extensions.webextensions.uuids.
FIREFOX_UUID = "6f1d2c3b-0e19-4c5a-9b7e-1c2d3e4f5a19"
VIEWPORT = (1100, 900)


def firefox_path() -> str | None:
    """Debian's Firefox ESR binary, or None."""
    for candidate in FIREFOX_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("firefox-esr")


class Page(Protocol):
    """What the tests may do with a tab in either browser."""

    def goto(self, url: str) -> None: ...
    def reload(self) -> None: ...
    def close(self) -> None: ...
    def evaluate(self, source: str, arg: Any = None) -> Any: ...
    def wait_for_function(self, source: str, arg: Any = None, timeout: float = 20_000) -> None: ...
    def mouse_move(self, x: float, y: float) -> None: ...
    def click(self, selector: str) -> None: ...
    def press(self, key: str) -> None: ...
    def set_viewport(self, width: int, height: int) -> None: ...
    def screenshot(self, path: Path) -> None: ...


class ChromiumPage:
    """A Playwright page."""

    def __init__(self, page: PwPage) -> None:
        self.page = page

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def reload(self) -> None:
        self.page.reload()

    def close(self) -> None:
        self.page.close()

    def evaluate(self, source: str, arg: Any = None) -> Any:
        return self.page.evaluate(source, arg)

    def wait_for_function(self, source: str, arg: Any = None, timeout: float = 20_000) -> None:
        self.page.wait_for_function(source, arg=arg, timeout=timeout, polling=50)

    def mouse_move(self, x: float, y: float) -> None:
        self.page.mouse.move(x, y)

    def click(self, selector: str) -> None:
        self.page.click(selector)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def set_viewport(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path), full_page=True)


class BridgeError(RuntimeError):
    """The Firefox bridge reported an error, or did not answer in time."""


class Bridge:
    """The node process that drives Firefox (firefox_bridge.mjs), one command at a time."""

    def __init__(self, log: Path) -> None:
        log.parent.mkdir(parents=True, exist_ok=True)
        self.log = log
        with log.open("wb") as err:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                ["node", str(BRIDGE)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=REPO,
                start_new_session=True,
            )
        self.next_id = 0
        self.buffer = b""

    def call(self, command: str, timeout: float = 60.0, **args: Any) -> Any:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.next_id += 1
        line = json.dumps({"id": self.next_id, "command": command, "args": args}) + "\n"
        self.proc.stdin.write(line.encode())
        self.proc.stdin.flush()
        deadline = time.monotonic() + timeout
        answer = self._read(command, timeout, deadline)
        # A late answer to a command that timed out earlier is dropped here.
        while answer["id"] < self.next_id:
            answer = self._read(command, timeout, deadline)
        if not answer["ok"]:
            raise BridgeError(f"firefox: {command} failed: {answer['error']}")
        return answer["value"]

    def _read(self, command: str, timeout: float, deadline: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise BridgeError(f"firefox: no answer to {command} within {timeout} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise BridgeError(f"firefox: the bridge exited; see {self.log}")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\n", 1)
        return dict(json.loads(raw))

    def close(self) -> None:
        with contextlib.suppress(BridgeError, OSError):
            self.call("quit", timeout=20)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


class FirefoxPage:
    """A Firefox tab behind the bridge."""

    def __init__(self, bridge: Bridge, page_id: int) -> None:
        self.bridge = bridge
        self.id = page_id

    def goto(self, url: str) -> None:
        self.bridge.call("goto", page=self.id, url=url)

    def reload(self) -> None:
        self.bridge.call("reload", page=self.id)

    def close(self) -> None:
        self.bridge.call("close", page=self.id)

    def evaluate(self, source: str, arg: Any = None) -> Any:
        return self.bridge.call("evaluate", page=self.id, source=source, arg=arg)

    def wait_for_function(self, source: str, arg: Any = None, timeout: float = 20_000) -> None:
        self.bridge.call(
            "waitForFunction",
            timeout=timeout / 1000 + 10,
            page=self.id,
            source=source,
            arg=arg,
            ms=timeout,
        )

    def mouse_move(self, x: float, y: float) -> None:
        self.bridge.call("mouseMove", page=self.id, x=x, y=y)

    def click(self, selector: str) -> None:
        self.bridge.call("click", page=self.id, selector=selector)

    def press(self, key: str) -> None:
        self.bridge.call("press", page=self.id, key=key)

    def set_viewport(self, width: int, height: int) -> None:
        self.bridge.call("setViewport", page=self.id, width=width, height=height)

    def screenshot(self, path: Path) -> None:
        self.bridge.call("screenshot", page=self.id, path=str(path))


class Session(Protocol):
    """A running browser with the extension installed."""

    name: str
    ext_origin: str

    def new_page(self, *, init_script: str | None = None) -> Page: ...
    def ext_eval(self, source: str, arg: Any = None) -> Any: ...
    def bg_eval(self, source: str, arg: Any = None) -> Any: ...
    def close_pages(self) -> None: ...
    def aborted(self, *, clear: bool = False) -> list[str]: ...
    def close(self) -> None: ...


class ChromiumSession:
    """Chromium with the unpacked Chrome build; extension calls run in its service worker."""

    name = "chromium"

    def __init__(self, context: BrowserContext, worker: Worker, aborted: list[str]) -> None:
        self.context = context
        self.worker = worker
        self._aborted = aborted
        self.ext_origin = "chrome-extension://" + worker.url.split("/")[2]
        self.opened: list[ChromiumPage] = []

    def new_page(self, *, init_script: str | None = None) -> Page:
        page = self.context.new_page()
        if init_script:
            page.add_init_script(init_script)
        wrapped = ChromiumPage(page)
        self.opened.append(wrapped)
        return wrapped

    def ext_eval(self, source: str, arg: Any = None) -> Any:
        return self.worker.evaluate(source, arg)

    def bg_eval(self, source: str, arg: Any = None) -> Any:
        return self.worker.evaluate(f"(arg) => ({source})(globalThis, arg)", arg)

    def close_pages(self) -> None:
        for page in self.context.pages:
            page.close()
        self.opened.clear()

    def aborted(self, *, clear: bool = False) -> list[str]:
        out = list(self._aborted)
        if clear:
            self._aborted.clear()
        return out

    def close(self) -> None:
        self.context.close()


class FirefoxSession:
    """Firefox ESR with the Firefox build installed as a temporary add-on.

    Extension calls run in one extension page kept open for the purpose (the event page has no
    handle of its own in WebDriver BiDi); ``bg_eval`` reaches the event page's globals through
    ``runtime.getBackgroundPage``.
    """

    name = "firefox"
    ext_origin = f"moz-extension://{FIREFOX_UUID}"

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.opened: list[FirefoxPage] = []
        control_id = bridge.call("newPage", intercept=False, initScript=None)
        self.control = FirefoxPage(bridge, control_id)
        self.control.goto(f"{self.ext_origin}/src/options/options.html")

    @classmethod
    def launch(
        cls, *, executable: str, extension: Path, profile: Path, log: Path, routes: dict[str, Any]
    ) -> FirefoxSession:
        bridge = Bridge(log)
        try:
            bridge.call(
                "launch",
                timeout=90,
                executable=executable,
                extension=str(extension),
                profile=str(profile),
                geckoId=GECKO_ID,
                uuid=FIREFOX_UUID,
                width=VIEWPORT[0],
                height=VIEWPORT[1],
                **routes,
            )
            return cls(bridge)
        except BaseException:
            bridge.close()
            raise

    def new_page(self, *, init_script: str | None = None) -> Page:
        page_id = self.bridge.call("newPage", intercept=True, initScript=init_script)
        page = FirefoxPage(self.bridge, page_id)
        self.opened.append(page)
        return page

    def ext_eval(self, source: str, arg: Any = None) -> Any:
        return self.control.evaluate(source, arg)

    def bg_eval(self, source: str, arg: Any = None) -> Any:
        return self.control.evaluate(
            f"async (arg) => ({source})(await chrome.runtime.getBackgroundPage(), arg)", arg
        )

    def close_pages(self) -> None:
        for page in self.opened:
            page.close()
        self.opened.clear()

    def aborted(self, *, clear: bool = False) -> list[str]:
        return list(self.bridge.call("aborted", clear=clear))

    def close(self) -> None:
        self.bridge.close()
