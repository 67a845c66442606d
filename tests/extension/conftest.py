from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need
from tests.extension.harness import Extension, build_extension, launch_args, route_offline
from tests.live import LiveServer, chromium_path


@pytest.fixture(scope="session")
def ext_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need(shutil.which("node") is not None, "node is not installed")
    return build_extension(tmp_path_factory.mktemp("extension-build"))


@pytest.fixture(scope="package")
def live() -> Iterator[LiveServer]:
    with LiveServer() as server:
        yield server


@pytest.fixture(scope="package")
def extension_session(
    playwright: Any, ext_dir: Path, live: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Extension, list[str]]]:
    chromium = chromium_path()
    need(chromium is not None, "Chromium is not installed")
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=chromium,
        headless=True,
        args=launch_args(ext_dir),
        viewport={"width": 1100, "height": 900},
    )
    aborted = route_offline(context)
    worker = (
        context.service_workers[0]
        if context.service_workers
        else context.wait_for_event("serviceworker")
    )
    ext_id = worker.url.split("/")[2]
    try:
        yield Extension(context, worker, ext_id, live.url), aborted
    finally:
        context.close()


@pytest.fixture()
def ext(extension_session: tuple[Extension, list[str]]) -> Iterator[Extension]:
    extension, aborted = extension_session
    extension.reset()
    aborted.clear()
    yield extension
    # Nothing a test did may have tried to reach the network beyond loopback.
    assert aborted == []
