"""Fuzzing image intake with mutated JPEG, PNG, WebP and HEIC bytes (hypothesis as the fuzzer).

Each example starts from a small, valid label photo in one of the four formats and applies a
handful of mutations a fuzzer would (bit flips, byte overwrites with interesting values, inserted
and deleted runs, truncation, a duplicated slice). Whatever comes out, ``imaging.load_image``
either returns a sane image or raises one of our two upload errors, and the HTTP route answers
200, 413 or 415 in the one error shape, never a 500. ``INCILENS_FUZZ_EXAMPLES`` sets the budget
per format (short in ``make test``, long in ``make fuzz``).
"""

from __future__ import annotations

import io
import os
from functools import cache

import pillow_heif
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from incilens import create_app
from incilens.errors import ImageTooLarge, UnsupportedImage
from incilens.ocr.imaging import load_image
from tests.fakes import FakeOcrEngine

EXAMPLES = int(os.environ.get("INCILENS_FUZZ_EXAMPLES", "40"))
MAX_PIXELS = 4_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
INTERESTING = (0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40)


@cache
def seed(fmt: str) -> bytes:
    """A small valid label photo in ``fmt`` (the JPEG carries an EXIF orientation)."""
    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (96, 48), "white")
    ImageDraw.Draw(image).text((4, 16), "Aqua, Glycerin", fill="black")
    out = io.BytesIO()
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x0112] = 6
        image.save(out, format=fmt, quality=80, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def mutate(data: bytes, ops: list[tuple[int, int, int, int]]) -> bytes:
    """Apply ``(kind, position, value, length)`` mutations in order."""
    buf = bytearray(data)
    for kind, pos, value, length in ops:
        if not buf:
            break
        at = pos % len(buf)
        if kind == 0:  # flip one bit
            buf[at] ^= 1 << (value % 8)
        elif kind == 1:  # overwrite with an interesting byte
            buf[at] = INTERESTING[value % len(INTERESTING)]
        elif kind == 2:  # insert a run of one byte
            buf[at:at] = bytes([value % 256]) * (length % 64 + 1)
        elif kind == 3:  # delete a run
            del buf[at : at + length % 64 + 1]
        elif kind == 4:  # truncate
            del buf[at:]
        else:  # duplicate a slice (repeated chunks, doubled markers)
            buf[at:at] = buf[at : at + length % 256 + 1]
    return bytes(buf)


mutations = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 1 << 20),
        st.integers(0, 255),
        st.integers(0, 1 << 10),
    ),
    min_size=1,
    max_size=8,
)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_seeds_are_valid(fmt: str) -> None:
    loaded = load_image(seed(fmt))
    assert loaded.format == fmt
    if fmt == "JPEG":
        assert (loaded.width, loaded.height) == (48, 96)  # EXIF orientation 6 applied


@pytest.mark.parametrize("fmt", FORMATS)
@SETTINGS
@given(ops=mutations)
def test_mutated_images_are_decoded_or_refused(
    fmt: str, ops: list[tuple[int, int, int, int]]
) -> None:
    data = mutate(seed(fmt), ops)
    try:
        loaded = load_image(data, max_bytes=1 << 20, max_pixels=MAX_PIXELS)
    except (UnsupportedImage, ImageTooLarge) as e:
        assert e.status_code in (413, 415) and e.message
        return
    assert loaded.image.mode in ("RGB", "L")
    assert 1 <= loaded.width * loaded.height <= MAX_PIXELS
    assert loaded.image.size == (loaded.width, loaded.height)


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    engine = FakeOcrEngine("Ingredients: Aqua, Glycerin")
    app = create_app({"TESTING": True, "OCR_ENGINE": engine, "MAX_IMAGE_PIXELS": MAX_PIXELS})
    return app.test_client()


@pytest.mark.parametrize("fmt", FORMATS)
@settings(SETTINGS, max_examples=max(5, EXAMPLES // 4))
@given(ops=mutations)
def test_mutated_uploads_never_cause_a_server_error(
    client: FlaskClient, fmt: str, ops: list[tuple[int, int, int, int]]
) -> None:
    data = mutate(seed(fmt), ops)
    response = client.post(
        "/v1/analyze/image",
        data={"image": (io.BytesIO(data), "label")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 413, 415), response.get_data(as_text=True)
    body = response.get_json()
    if response.status_code != 200:
        assert set(body) == {"error"}
        assert body["error"]["code"] in ("unsupported_image", "image_too_large")
