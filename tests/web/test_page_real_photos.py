"""The page with photos of the size phones take: 12 megapixels, several megabytes, chosen in the
file input of a real Chromium and uploaded to ``incilens serve``, as a shopper does.

The page checks the file's type and size before uploading (static/js/main.js: any ``image/*``
up to the server's MAX_IMAGE_BYTES); the server reads JPEG and HEIC alike. Chromium cannot show
a HEIC, but the report comes from the server, so its rows and outlines must appear all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from incilens.kb.knowledge import KnowledgeBase
from tests import photos
from tests.photos import GOLD, Photo
from tests.web.conftest import LiveServer, snap, wait_until

pytestmark = pytest.mark.slow

PHOTOS: list[tuple[str, Callable[[], Photo]]] = [
    ("12 MP JPEG", lambda: photos.jpeg(1)),
    ("12 MP JPEG stored sideways, EXIF 6", lambda: photos.jpeg(6)),
    ("12 MP HEIC", photos.heic),
]


def row_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("#rows > .row .name").all_inner_texts()]


@pytest.mark.usefixtures("tesseract")
@pytest.mark.parametrize("make", [p[1] for p in PHOTOS], ids=[p[0] for p in PHOTOS])
def test_a_phone_photo_from_the_file_input(
    page: Any, server: LiveServer, kb: KnowledgeBase, make: Callable[[], Photo]
) -> None:
    photo = make()
    expected = []
    for inci in GOLD:
        ingredient = kb.lookup(inci)
        assert ingredient is not None, inci
        expected.append(ingredient.display_name)

    page.goto(server.url + "/")
    # Checked by the page before it uploads: an image type, and under the server's limit.
    accepts = page.locator("#photo-file").get_attribute("accept")
    limit = int(page.locator("#app").get_attribute("data-max-image-bytes") or 0)
    assert accepts == "image/*" and photo.nbytes < limit
    page.set_input_files("#photo-file", str(photo.path))
    page.locator("#report").wait_for(state="visible", timeout=60_000)
    page.locator("#working").wait_for(state="hidden", timeout=60_000)

    assert page.locator("#error").is_hidden()
    assert page.locator("#report-title").inner_text() == "Report on your photo"
    names = row_names(page)
    missing = [name for name in expected if name not in names]
    assert len(missing) <= 1, f"missing {missing}; rows: {names}"
    assert names == [name for name in expected if name in names]
    # The outlines are drawn in the photo's upright coordinates (after EXIF orientation).
    width, height = photo.size
    svg = page.locator("#photo-frame svg")
    assert svg.get_attribute("viewBox") == f"0 0 {width} {height}"
    assert page.locator("#photo-frame svg g.outline").count() >= len(GOLD) - 2
    # The photo itself is shown from the chosen file, upright; a HEIC the browser cannot
    # decode is said so, and the report stands.
    wait_until(page, "document.querySelector('#photo-frame img')?.complete === true")
    shown = page.evaluate(
        "(() => { const img = document.querySelector('#photo-frame img');"
        " return [img.naturalWidth, img.naturalHeight]; })()"
    )
    if photo.format == "JPEG" or shown != [0, 0]:
        assert shown == [width, height]
        assert page.locator("#photo-frame").is_visible()
    else:
        page.locator("#photo-caption").filter(has_text="cannot show your photo").wait_for()
    log = page.evaluate("window.__log")
    assert any(s.startswith("Uploading") for s in log["status"])
    assert log["working"][-1] is False
    snap(page, f"real-photo-{photo.name.replace('.', '-')}")
