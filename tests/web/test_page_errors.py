"""Bad input on the page: each gives a clear message and the page keeps working."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import (
    LABELS,
    LiveServer,
    PageWatch,
    open_context,
    snap,
    wait_until,
)

pytestmark = pytest.mark.slow


def error_text(page: Any) -> str:
    alert = page.get_by_role("alert")
    alert.wait_for()
    return str(alert.inner_text())


def still_works(page: Any) -> None:
    """The inputs are enabled again and a pasted list is analysed."""
    assert page.locator("#working").is_hidden()
    assert page.locator("#photo-file").is_enabled() and page.locator("#text-submit").is_enabled()
    page.fill("#text-input", "Ingredients: Aqua, Glycerin")
    page.click("#text-submit")
    page.locator("#rows .row").first.wait_for()
    assert page.locator("#rows .row").count() == 2
    assert page.locator("#error").is_hidden()


def test_a_file_that_is_not_a_photo(page: Any, server: LiveServer, watch: PageWatch) -> None:
    watch.allowed_console.append("415")
    page.goto(server.url + "/")
    # Caught in the browser: the file says it is text.
    page.set_input_files(
        "#photo-file", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"}]
    )
    assert "“notes.txt” is not a photo" in error_text(page)
    assert page.evaluate("document.activeElement.id") == "error"
    # Caught by the server: it claims to be a JPEG but is not one.
    page.set_input_files(
        "#photo-file",
        files=[{"name": "label.jpg", "mimeType": "image/jpeg", "buffer": b"not a jpeg at all"}],
    )
    page.locator("#error-text").filter(has_text="not a photo we can read").wait_for()
    assert "JPEG, PNG, WebP, TIFF or HEIC" in error_text(page)
    snap(page, "error-not-an-image")
    still_works(page)


@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    with LiveServer(env={"INCILENS_MAX_IMAGE_BYTES": "50000"}) as live:
        yield live


def test_an_oversized_photo(browser: Any, small_server: LiveServer) -> None:
    watch = PageWatch(small_server.url)
    watch.allowed_console.append("413")
    context = open_context(browser, small_server.url, watch)
    page = context.new_page()
    try:
        page.goto(small_server.url + "/")
        # The page knows the limit and says so before uploading anything.
        page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
        message = error_text(page)
        assert re.search(r"That photo is 18\d KB; the limit is 49 KB", message), message
        assert page.evaluate("window.__log.status") == []  # nothing was sent

        # The server's own check, for a page that did not know the limit (an old tab).
        def loose_limit(route: Any) -> None:
            response = route.fetch()
            body = response.text().replace(
                'data-max-image-bytes="50000"', 'data-max-image-bytes=""'
            )
            route.fulfill(response=response, body=body)

        page.route(small_server.url + "/", loose_limit)
        page.reload()
        page.set_input_files("#photo-file", str(LABELS / "phone.jpg"))
        page.locator("#error-text").filter(has_text="too large to upload").wait_for()
        still_works(page)
        assert not watch.page_errors and not watch.outside
    finally:
        context.close()


@pytest.mark.usefixtures("tesseract")
def test_a_photo_without_an_ingredient_list(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/")
    page.set_input_files("#photo-file", str(LABELS / "no_list.png"))
    page.locator("#report").wait_for(state="visible")
    reliability = page.locator(".reliability").inner_text()
    assert "We found no ingredient list in this photo" in reliability
    assert "Ingredients" in reliability  # the advice names what to photograph
    assert page.locator("#rows .row").count() == 0 and page.locator("#rows").is_hidden()
    page.get_by_text("What we read in the photo").click()
    assert "Directions" in page.locator(".ocr-text pre").inner_text()
    assert "No ingredient list was found" in page.locator("#status").inner_text()
    snap(page, "error-no-list")
    still_works(page)


def test_the_server_unreachable(browser: Any) -> None:
    live = LiveServer()
    live.start()
    watch = PageWatch(live.url)
    watch.allowed_console.append("ERR_CONNECTION_REFUSED")
    context = open_context(browser, live.url, watch)
    page = context.new_page()
    try:
        page.goto(live.url + "/")
        live.stop()
        page.fill("#text-input", "Ingredients: Aqua, Glycerin")
        page.click("#text-submit")
        assert "could not reach the INCI Lens service" in error_text(page)
        assert page.locator("#text-submit").is_enabled()
        assert page.locator("#text-input").input_value() == "Ingredients: Aqua, Glycerin"
        seen = page.evaluate("window.__log.working.length")
        page.set_input_files("#photo-file", str(LABELS / "clean.png"))
        wait_until(
            page, f"window.__log.working.length >= {seen + 2} && !window.__log.working.at(-1)"
        )
        assert "could not reach the INCI Lens service" in error_text(page)
        snap(page, "error-unreachable")

        # The service comes back on the same address: the same page carries on.
        live.start()
        still_works(page)
        assert not watch.page_errors and not watch.outside
    finally:
        context.close()
        live.stop()


def test_a_damaged_share_link(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/#z=this-is-not-deflate")
    assert "share link is damaged" in error_text(page)
    still_works(page)
