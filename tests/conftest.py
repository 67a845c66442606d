from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incilens import create_app
from incilens.kb.knowledge import KnowledgeBase

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("INCILENS_SHARED_DATA", REPO.parent / "shared" / "data"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, why: str) -> None:
    """Skip on a developer's machine that lacks something; fail under CI, where make installs it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{why} (CI must have it)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    need((SHARED_DATA / "cosing").is_dir(), f"no shared datasets at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def app() -> Flask:
    return create_app({"TESTING": True})


@pytest.fixture()
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as c:
        yield c


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright driver for the whole session (its sync API allows one per thread).

    The page tests (tests/web) and the extension tests (tests/extension) both launch
    Debian's Chromium from it; Playwright's own browser download is never used.
    """
    import importlib.util

    need(importlib.util.find_spec("playwright") is not None, "playwright is not installed")
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()
