"""Phone photos through the shipped ``deploy/nginx.conf`` in front of ``incilens serve``.

nginx reads each upload whole (to a temporary file past its 1 MiB body buffer) before it reaches
gunicorn, so 12-megapixel photos take a path the small test photos never did. Each must come
back 200 with the label read; at the API's body limit the API's own JSON 413 must pass through;
at nginx's ``client_max_body_size`` the request is forwarded, one byte past it nginx answers
with the same JSON error shape itself.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from incilens import ocr
from incilens.config import DEFAULTS
from tests import photos
from tests.conftest import need
from tests.deploy.test_nginx import CONF, nginx
from tests.http.test_real_size_uploads import (
    assert_error,
    assert_reads_the_label,
    form_overhead,
    photo_form,
    send,
)
from tests.live import LiveServer
from tests.photos import Photo

pytestmark = [pytest.mark.slow, pytest.mark.tesseract]

URL = "/v1/analyze/image"
MAX_IMAGE_BYTES: int = DEFAULTS["MAX_IMAGE_BYTES"]
MAX_CONTENT_LENGTH: int = DEFAULTS["MAX_CONTENT_LENGTH"]


def proxy_limit() -> int:
    """``client_max_body_size`` of the shipped configuration, in bytes."""
    match = re.search(r"^\s*client_max_body_size\s+(\d+)([kKmM]?);", CONF, re.MULTILINE)
    assert match, "deploy/nginx.conf sets no client_max_body_size"
    unit = {"": 1, "k": 2**10, "m": 2**20}[match.group(2).lower()]
    return int(match.group(1)) * unit


PROXY_LIMIT = proxy_limit()


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    need(ocr.available(), "tesseract is not installed")
    # The shipped limits behind nginx: the forwarded address of this test client is loopback,
    # which is never rate-limited by default, so back-to-back photos pass.
    env = {"INCILENS_PROXY_COUNT": "1", "INCILENS_REDIS_URL": ""}
    with LiveServer(workers=1, threads=4, env=env) as live:
        yield live


@pytest.fixture(scope="module")
def proxy(server: LiveServer) -> Iterator[str]:
    """nginx in a prefix its workers can enter: started as root, nginx runs them as "nobody",
    who cannot reach pytest's private temporary folders (0700) to spool a body over
    client_body_buffer_size there (nginx's own 500, an HTML page, for every photo)."""
    prefix = Path(tempfile.mkdtemp(prefix="incilens-nginx-"))
    prefix.chmod(0o755)
    try:
        with nginx(prefix, server.port) as base:
            yield base
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


def body_of(size: int) -> tuple[bytes, str]:
    """A one-photo form of exactly ``size`` bytes: the real 12 MP JPEG padded to fill it."""
    photo = photos.jpeg()
    body, content_type = photo_form(photos.pad(photo.read(), size - form_overhead(photo.name)),
                                    photo.name)  # fmt: skip
    assert len(body) == size
    return body, content_type


PHOTOS: list[tuple[str, Callable[[], Photo]]] = [
    ("12 MP JPEG", lambda: photos.jpeg(1)),
    ("12 MP HEIC", photos.heic),
    ("12 MP JPEG stored sideways, EXIF 6", lambda: photos.jpeg(6)),
]


@pytest.mark.parametrize("make", [p[1] for p in PHOTOS], ids=[p[0] for p in PHOTOS])
def test_a_phone_photo_through_nginx(proxy: str, make: Callable[[], Photo]) -> None:
    photo = make()
    status, headers, report = send(proxy, URL, *photo_form(photo.read(), photo.name))
    assert status == 200, report
    assert headers["Content-Type"].startswith("application/json")
    assert_reads_the_label(report)
    image = report["ocr"]["image"]
    assert (image["format"], image["width"], image["height"]) == (photo.format, *photo.size)


def test_a_photo_of_exactly_max_image_bytes_through_nginx(proxy: str) -> None:
    photo = photos.jpeg()
    padded = photos.pad(photo.read(), MAX_IMAGE_BYTES)
    status, _, report = send(proxy, URL, *photo_form(padded, photo.name))
    assert status == 200, report
    assert_reads_the_label(report)


LIMITS = [
    # (id, body size, status, code, words in the message); nginx's own refusal first
    ("one byte over nginx's client_max_body_size: nginx's JSON 413", PROXY_LIMIT + 1, 413,
     "payload_too_large", (f"{PROXY_LIMIT // 2**20} MiB",)),
    ("exactly nginx's limit: forwarded, the API's own 413", PROXY_LIMIT, 413,
     "payload_too_large", ("request body", f"{MAX_CONTENT_LENGTH // 2**20} MiB")),
    ("one byte over the API's MAX_CONTENT_LENGTH: the API's 413", MAX_CONTENT_LENGTH + 1, 413,
     "payload_too_large", ("request body", f"{MAX_CONTENT_LENGTH // 2**20} MiB")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("size", "status", "code", "words"), [c[1:] for c in LIMITS], ids=[c[0] for c in LIMITS]
)
def test_bodies_past_a_limit_get_the_json_413_of_the_layer_that_refused(
    proxy: str, size: int, status: int, code: str, words: tuple[str, ...]
) -> None:
    assert PROXY_LIMIT > MAX_CONTENT_LENGTH  # nginx must let a whole photo form through
    assert_error(send(proxy, URL, *body_of(size)), status, code, *words)
