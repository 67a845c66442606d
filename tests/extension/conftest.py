"""One session per browser: every end-to-end test runs in Chromium and in Firefox ESR.

Test ids end in ``[chromium]`` or ``[firefox]``, and every assertion names its browser, so a
failure says where it happened. A missing browser, node or puppeteer-core skips on a
developer's machine and fails under CI (``need``): ``make test`` installs them all.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need
from tests.extension.browsers import (
    VIEWPORT,
    ChromiumSession,
    FirefoxSession,
    Session,
    firefox_path,
)
from tests.extension.harness import Extension, launch_args, route_offline, routes
from tests.live import REPO, LiveServer, chromium_path

BROWSERS = ["chromium", "firefox"]


@pytest.fixture(scope="session")
def ext_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both builds (``chrome/`` and ``firefox/``), made by the project's build script."""
    need(shutil.which("node") is not None, "node is not installed")
    out = tmp_path_factory.mktemp("extension-build")
    subprocess.run(
        ["node", str(REPO / "extension" / "scripts" / "build.mjs"), "--out", str(out), "--no-zip"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="package")
def live() -> Iterator[LiveServer]:
    with LiveServer() as server:
        yield server


def chromium_session(
    playwright: Any, build: Path, tmp_path_factory: pytest.TempPathFactory
) -> ChromiumSession:
    chromium = chromium_path()
    need(chromium is not None, "Chromium is not installed")
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=chromium,
        headless=True,
        args=launch_args(build / "chrome"),
        viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]},
    )
    aborted = route_offline(context)
    worker = (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )
    return ChromiumSession(context, worker, aborted)


def firefox_session(build: Path, tmp_path_factory: pytest.TempPathFactory) -> FirefoxSession:
    firefox = firefox_path()
    need(firefox is not None, "Firefox ESR is not installed (apt-get install firefox-esr)")
    need(
        (REPO / "node_modules" / "puppeteer-core").is_dir(),
        "puppeteer-core is not installed (npm ci)",
    )
    assert firefox is not None
    return FirefoxSession.launch(
        executable=firefox,
        extension=build / "firefox",
        profile=tmp_path_factory.mktemp("firefox-profile"),
        log=REPO / ".pytest_cache" / "firefox-bridge.log",
        routes=routes(),
    )


@pytest.fixture(scope="package", params=BROWSERS)
def browser_session(
    request: pytest.FixtureRequest,
    ext_build: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Session]:
    if request.param == "chromium":
        session: Session = chromium_session(
            request.getfixturevalue("playwright"), ext_build, tmp_path_factory
        )
    else:
        session = firefox_session(ext_build, tmp_path_factory)
    try:
        yield session
    finally:
        session.close()


@pytest.fixture()
def ext(browser_session: Session, live: LiveServer) -> Iterator[Extension]:
    extension = Extension(browser_session, live.url)
    extension.reset()
    browser_session.aborted(clear=True)
    yield extension
    # Every page the test opened says what it said before the extension came ...
    extension.check_all_text()
    # ... and nothing a test did may have tried to reach the network beyond loopback.
    assert browser_session.aborted() == [], browser_session.name
