"""Photos of the sizes phones make, sent to ``incilens serve`` (gunicorn) over real sockets.

Fresh installs once refused most ordinary phone photos with a 413 while every test passed,
because every test photo was small and went through Flask's test client. Here the photos are
12 megapixels and several megabytes (tests/photos.py): upright and EXIF-turned JPEGs, a large
PNG, an iPhone-style HEIC; each must come back 200 with the label's ingredients read. Then every
byte and pixel limit is met exactly and one past it, with real photos grown to the limit, and
each refusal must be the one JSON error whose message names the limit that applied.

The server starts once for the module; the photos are drawn once (and cached on disk).
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageOps

from incilens import ocr
from incilens.config import DEFAULTS
from tests import photos
from tests.conftest import need
from tests.jobs.test_gunicorn import multipart
from tests.live import LiveServer
from tests.photos import GOLD, Photo

pytestmark = [pytest.mark.slow, pytest.mark.tesseract]

URL = "/v1/analyze/image"
MAX_IMAGE_BYTES: int = DEFAULTS["MAX_IMAGE_BYTES"]
MAX_IMAGE_PIXELS: int = DEFAULTS["MAX_IMAGE_PIXELS"]
MAX_CONTENT_LENGTH: int = DEFAULTS["MAX_CONTENT_LENGTH"]
MAX_FORM_FIELD_BYTES: int = DEFAULTS["MAX_FORM_FIELD_BYTES"]
MAX_FORM_MEMORY_SIZE: int = DEFAULTS["MAX_FORM_MEMORY_SIZE"]
MAX_FORM_PARTS: int = DEFAULTS["MAX_FORM_PARTS"]
# A profile the service accepts, and what it must then report on this label.
PROFILE = {"avoid": ["silicones"], "vegan": True}

Reply = tuple[int, dict[str, str], Any]


# -- helpers shared with the job and nginx tests ---------------------------------------------
def send(base: str, path: str, body: bytes, content_type: str, *, timeout: float = 120) -> Reply:
    """POST ``body`` and return the status, headers and JSON body.

    ``http.client`` on a keep-alive connection, as browsers and curl send: gunicorn then reads
    and discards the rest of a body it refused, so the client always gets the 413. (urllib adds
    ``Connection: close``; gunicorn then closes with the body unread and a client still
    sending sees a connection reset instead of the answer.)
    """
    url = urllib.parse.urlsplit(base)
    assert url.hostname is not None
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = conn.getresponse()
        data = response.read()
        headers = dict(response.headers)
        try:
            return response.status, headers, json.loads(data)
        except ValueError:
            raise AssertionError(f"{response.status}: not JSON: {data[:300]!r}") from None
    finally:
        conn.close()


def photo_form(
    data: bytes, name: str = "photo.jpg", fields: Sequence[tuple[str, str]] = ()
) -> tuple[bytes, str]:
    """A multipart body: the non-file ``fields`` first, then the photo in ``image``."""
    return multipart(list(fields), files=[("image", name, data)])


def form_overhead(name: str = "photo.jpg") -> int:
    """Bytes of a one-photo form around the photo itself."""
    return len(photo_form(b"", name)[0])


def found(report: dict[str, Any]) -> list[str]:
    """INCI names of the recognised items, in the order read."""
    return [item["match"]["inci_name"] for item in report["ingredients"] if item["match"]]


def assert_reads_the_label(report: dict[str, Any], gold: Sequence[str] = GOLD) -> None:
    """A list was found and every ingredient on the label but at most one was recognised, in
    the printed order, with nothing else recognised (12 of 12 on this machine)."""
    names = found(report)
    assert report["list_found"] is True, report["ocr"]["text"]
    missing = [name for name in gold if name not in names]
    assert len(missing) <= 1, f"missing {missing}; read: {report['ocr']['text']!r}"
    assert names == [name for name in gold if name in names], names
    assert report["summary"]["reliability"]["level"] in ("good", "fair")


def assert_error(reply: Reply, status: int, code: str, *words: str) -> str:
    """The one error shape, with ``status`` and ``code``; the message holds every word."""
    got, headers, body = reply
    assert (got, body.get("error", {}).get("code")) == (status, code), body
    assert headers["Content-Type"].startswith("application/json")
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    message: str = body["error"]["message"]
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    need(ocr.available(), "tesseract is not installed")
    # The shipped limits: this loopback client is never rate-limited by default, so the
    # module's back-to-back uploads (over the 1 photo per second of a remote client) pass.
    env = {"INCILENS_REDIS_URL": ""}
    with LiveServer(workers=1, threads=4, env=env) as live:
        yield live


def post(server: LiveServer, body: bytes, content_type: str) -> Reply:
    return send(server.url, URL, body, content_type)


# -- the generator makes what it says ----------------------------------------------------------
PHOTOS: list[tuple[str, Callable[[], Photo], int, int]] = [
    # (id, photo, fewest bytes, most bytes)
    ("jpeg upright", lambda: photos.jpeg(1), 2_000_000, 8_000_000),
    ("jpeg exif 6", lambda: photos.jpeg(6), 2_000_000, 8_000_000),
    ("jpeg exif 8", lambda: photos.jpeg(8), 2_000_000, 8_000_000),
    ("jpeg exif 3", lambda: photos.jpeg(3), 2_000_000, 8_000_000),
    ("png", photos.png, 4_000_000, MAX_IMAGE_BYTES),
    ("heic", photos.heic, 1_000_000, 8_000_000),
]


@pytest.mark.parametrize(
    ("make", "fewest", "most"), [p[1:] for p in PHOTOS], ids=[p[0] for p in PHOTOS]
)
def test_the_generator_makes_phone_sized_photos(
    make: Callable[[], Photo], fewest: int, most: int
) -> None:
    photo = make()
    assert fewest <= photo.nbytes <= most, f"{photo.name}: {photo.nbytes:,} bytes"
    with Image.open(photo.path) as image:
        assert image.format == photo.format
        assert image.size == photo.stored_size
        if photo.format == "JPEG":
            assert image.getexif()[photos.ORIENTATION_TAG] == photo.orientation
        upright = ImageOps.exif_transpose(image)
        assert upright.size == photo.size == photos.FRAME  # 12 MP, 4:3
        # The stored pixels turn back into the same scene (the tag is not just a number).
        small = upright.convert("L").resize((403, 302), Image.Resampling.BOX)
    reference = photos.scene().convert("L").resize((403, 302), Image.Resampling.BOX)
    diff = np.abs(np.asarray(small, dtype=np.int16) - np.asarray(reference, dtype=np.int16))
    assert diff.mean() < 4, "the photo is not the upright scene"


@pytest.mark.parametrize("pixels", [MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS + 1])
def test_the_generator_makes_exact_pixel_counts(pixels: int) -> None:
    photo = photos.pixels(pixels)
    with Image.open(photo.path) as image:
        assert image.width * image.height == pixels and image.size == photo.size
    assert photo.nbytes < 1_000_000  # cheap to send and to decode


@pytest.mark.parametrize("make", [photos.jpeg, photos.png], ids=["jpeg", "png"])
@pytest.mark.parametrize("extra", [0, 1, 12, 13, 5_000_000])
def test_padding_changes_bytes_not_pixels(make: Callable[[], Photo], extra: int) -> None:
    data = make().read()
    if data.startswith(photos.PNG_SIGNATURE) and 0 < extra < 12:
        with pytest.raises(ValueError, match="12 more bytes"):
            photos.pad(data, len(data) + extra)
        return
    padded = photos.pad(data, len(data) + extra)
    assert len(padded) == len(data) + extra
    assert photos.pixel_digest(padded) == photos.pixel_digest(data)


# -- real photos through the real server ---------------------------------------------------------
UPLOADS: list[tuple[str, Callable[[], Photo]]] = [
    ("12 MP JPEG stored sideways, EXIF 6 (portrait phone)", lambda: photos.jpeg(6)),
    ("12 MP JPEG stored sideways, EXIF 8", lambda: photos.jpeg(8)),
    ("12 MP JPEG stored upside down, EXIF 3", lambda: photos.jpeg(3)),
    ("12 MP HEIC", photos.heic),
    ("12 MP PNG", photos.png),
    ("12 MP JPEG upright", lambda: photos.jpeg(1)),
]


@pytest.mark.parametrize("make", [u[1] for u in UPLOADS], ids=[u[0] for u in UPLOADS])
def test_a_phone_photo_is_read(server: LiveServer, make: Callable[[], Photo]) -> None:
    photo = make()
    status, headers, report = post(server, *photo_form(photo.read(), photo.name))
    assert status == 200, report
    assert headers["Content-Type"].startswith("application/json")
    assert_reads_the_label(report)
    image = report["ocr"]["image"]
    assert image["format"] == photo.format
    assert (image["width"], image["height"]) == photo.size
    assert image["exif_orientation"] == photo.orientation
    # EXIF turned the photo upright before reading: nothing was left for the reader to turn.
    assert report["ocr"]["rotation_degrees"] == 0
    width, height = photo.size
    for item in report["ingredients"]:
        for quad in item["ocr"]["boxes"]:
            assert all(-5 <= x <= width + 5 and -5 <= y <= height + 5 for x, y in quad)


def test_a_phone_photo_with_a_profile(server: LiveServer) -> None:
    photo = photos.jpeg(6)
    form = photo_form(photo.read(), photo.name, [("profile", json.dumps(PROFILE))])
    status, _, report = post(server, *form)
    assert status == 200, report
    assert_reads_the_label(report)
    assert report["profile"]["avoid"] == ["silicones"] and report["profile"]["vegan"] is True
    assert_profile_applied(report)


def assert_profile_applied(report: dict[str, Any]) -> None:
    avoid = [f for f in report["summary"]["for_you"] if f["id"] == "avoid"]
    assert [item["name"] for f in avoid for item in f["items"]] == ["Dimethicone"], avoid


# -- every limit, exactly at it and one past it ---------------------------------------------------
@dataclass(frozen=True)
class Case:
    """A request at or past a limit and the answer it must get."""

    id: str
    body: Callable[[], tuple[bytes, str]]
    status: int
    code: str | None = None  # an error's code; None for a 200
    words: tuple[str, ...] = ()  # what the error message must say
    profile: bool = False  # a 200 whose report must show the profile applied


def padded_photo(size: int, make: Callable[[], Photo] = photos.jpeg) -> tuple[bytes, str]:
    """The real photo grown to exactly ``size`` bytes, in a form."""
    photo = make()
    return photo_form(photos.pad(photo.read(), size), photo.name)


def body_of(size: int) -> tuple[bytes, str]:
    """A form of exactly ``size`` bytes: the real JPEG padded to fill it."""
    body, content_type = padded_photo(size - form_overhead(photos.jpeg().name))
    assert len(body) == size
    return body, content_type


def profile_of(size: int) -> str:
    """The test profile as JSON of exactly ``size`` UTF-8 bytes (trailing spaces are JSON)."""
    text = json.dumps(PROFILE)
    return text + " " * (size - len(text))


def with_fields(fields: Sequence[tuple[str, str]]) -> tuple[bytes, str]:
    photo = photos.jpeg()
    return photo_form(photo.read(), photo.name, fields)


def size_words(size: int) -> tuple[str, ...]:
    return (f"{size:,}",)


CASES: list[Case] = [
    # Refusals first: one past each limit, then the nastier shapes around them.
    Case(
        "body one byte over MAX_CONTENT_LENGTH",
        lambda: body_of(MAX_CONTENT_LENGTH + 1),
        413,
        "payload_too_large",
        ("request body", "17 MiB"),
    ),
    Case(
        "body of exactly MAX_CONTENT_LENGTH: the photo in it is too large",
        lambda: body_of(MAX_CONTENT_LENGTH),
        413,
        "image_too_large",
        size_words(MAX_IMAGE_BYTES),
    ),
    Case(
        "JPEG one byte over MAX_IMAGE_BYTES",
        lambda: padded_photo(MAX_IMAGE_BYTES + 1),
        413,
        "image_too_large",
        size_words(MAX_IMAGE_BYTES) + size_words(MAX_IMAGE_BYTES + 1),
    ),
    Case(
        "PNG one byte over MAX_IMAGE_BYTES",
        lambda: padded_photo(MAX_IMAGE_BYTES + 1, photos.png),
        413,
        "image_too_large",
        size_words(MAX_IMAGE_BYTES) + size_words(MAX_IMAGE_BYTES + 1),
    ),
    Case(
        "one pixel over MAX_IMAGE_PIXELS",
        lambda: photo_form(photos.pixels(MAX_IMAGE_PIXELS + 1).read(), "wide.png"),
        413,
        "image_too_large",
        size_words(MAX_IMAGE_PIXELS) + size_words(MAX_IMAGE_PIXELS + 1),
    ),
    Case(
        "profile one byte over MAX_FORM_FIELD_BYTES",
        lambda: with_fields([("profile", profile_of(MAX_FORM_FIELD_BYTES + 1))]),
        413,
        "payload_too_large",
        ("'profile'", f"{MAX_FORM_FIELD_BYTES:,}"),
    ),
    Case(
        # Werkzeug refuses it while parsing, before any field can be named: the limit is.
        "profile over MAX_FORM_MEMORY_SIZE names the field limit",
        lambda: with_fields([("profile", profile_of(MAX_FORM_MEMORY_SIZE + 1))]),
        413,
        "payload_too_large",
        ("form fields", f"{MAX_FORM_FIELD_BYTES:,}"),
    ),
    Case(
        "one part over MAX_FORM_PARTS",
        lambda: with_fields([("profile", json.dumps(PROFILE))] * MAX_FORM_PARTS),
        413,
        "payload_too_large",
        (f"{MAX_FORM_PARTS} parts",),
    ),
    # Exactly at each limit: accepted and read.
    Case(
        "JPEG of exactly MAX_IMAGE_BYTES",
        lambda: padded_photo(MAX_IMAGE_BYTES),
        200,
    ),
    Case(
        "PNG of exactly MAX_IMAGE_BYTES",
        lambda: padded_photo(MAX_IMAGE_BYTES, photos.png),
        200,
    ),
    Case(
        "exactly MAX_IMAGE_PIXELS",
        lambda: photo_form(photos.pixels(MAX_IMAGE_PIXELS).read(), "large.png"),
        200,
    ),
    Case(
        "profile of exactly MAX_FORM_FIELD_BYTES",
        lambda: with_fields([("profile", profile_of(MAX_FORM_FIELD_BYTES))]),
        200,
        profile=True,
    ),
    Case(
        "exactly MAX_FORM_PARTS parts",
        lambda: with_fields([("profile", json.dumps(PROFILE))] * (MAX_FORM_PARTS - 1)),
        200,
        profile=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_limits_exactly_and_one_past(server: LiveServer, case: Case) -> None:
    body, content_type = case.body()
    reply = post(server, body, content_type)
    if case.code is not None:
        assert_error(reply, case.status, case.code, *case.words)
        return
    status, _, report = reply
    assert status == case.status, report
    assert_reads_the_label(report)
    if case.profile:
        assert_profile_applied(report)


def test_the_server_is_still_serving_after_the_refusals(server: LiveServer) -> None:
    """Large refused bodies were drained: the same connection and worker go on answering."""
    url = urllib.parse.urlsplit(server.url)
    assert url.hostname is not None
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    try:
        photo = photos.jpeg()
        good = photo_form(photo.read(), photo.name)
        for body, content_type in (body_of(MAX_CONTENT_LENGTH + 1), good):
            conn.request("POST", URL, body=body, headers={"Content-Type": content_type})
            response = conn.getresponse()
            report = json.loads(response.read())
        assert response.status == 200, report
        assert_reads_the_label(report)
    finally:
        conn.close()
