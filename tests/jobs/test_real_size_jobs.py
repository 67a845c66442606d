"""Batch jobs of phone-sized photos through ``incilens serve`` in the embedded mode (no Redis).

A job of 12-megapixel photos (JPEG, HEIC, a JPEG stored sideways with EXIF orientation) and a
text is posted as one multipart form to a real gunicorn with two workers, polled over HTTP until
it is done, and every item must be read. Then the job byte limit is met exactly and one past it
with real photos grown to the per-photo limit, and the body limit one past it.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from incilens import ocr
from incilens.config import DEFAULTS
from tests import photos
from tests.conftest import REPO, need
from tests.http.test_real_size_uploads import (
    PROFILE,
    assert_error,
    assert_profile_applied,
    assert_reads_the_label,
    found,
    send,
)
from tests.jobs.test_gunicorn import multipart
from tests.live import LiveServer
from tests.photos import Photo

pytestmark = [pytest.mark.slow, pytest.mark.tesseract]

URL = "/v1/jobs"
MAX_IMAGE_BYTES: int = DEFAULTS["MAX_IMAGE_BYTES"]
MAX_JOB_BYTES: int = DEFAULTS["MAX_JOB_BYTES"]
# The job route's body limit (incilens.http.jobs): the photos plus 2 MiB for the form.
MAX_JOB_BODY = MAX_JOB_BYTES + 2 * 2**20
TEXT = "Ingredients: Aqua, Glycerin, Niacinamide, Parfum"
SMALL = REPO / "tests" / "resources" / "labels" / "clean.png"  # a real small label scan
SMALL_GOLD = tuple(json.loads((SMALL.parent / "expected.json").read_text())["clean.png"]["gold"])


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    need(ocr.available(), "tesseract is not installed")
    # The embedded mode whatever the caller's environment; rate limits as shipped (a job's
    # photos count only against the per-minute photo budget, which these jobs stay within).
    with LiveServer(workers=2, threads=2, env={"INCILENS_REDIS_URL": ""}) as live:
        yield live


def get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def job_form(
    images: Sequence[tuple[str, bytes]], texts: Sequence[str] = (), profile: str | None = None
) -> tuple[bytes, str]:
    fields = [("texts", text) for text in texts]
    if profile is not None:
        fields.append(("profile", profile))
    return multipart(fields, files=[("images", name, data) for name, data in images])


def run_job(server: LiveServer, body: bytes, content_type: str, *, timeout: float = 180) -> Any:
    """Post a job, check the 202, poll it (at the pace a client should) until it finishes."""
    status, headers, accepted = send(server.url, URL, body, content_type)
    assert status == 202, accepted
    assert headers["Location"] == accepted["url"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, job = get(server.url + accepted["url"])
        assert status == 200, job
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    pytest.fail(f"job {accepted['url']} not finished in {timeout:g} s; see {server.log_path}")


def test_a_job_of_phone_photos_and_a_text(server: LiveServer) -> None:
    batch: list[Photo] = [photos.jpeg(1), photos.heic(), photos.jpeg(6)]
    total = sum(p.nbytes for p in batch)
    assert total > 8_000_000  # three real photos, not thumbnails
    body, content_type = job_form(
        [(p.name, p.read()) for p in batch], texts=[TEXT], profile=json.dumps(PROFILE)
    )
    job = run_job(server, body, content_type)
    assert job["status"] == "done", job
    assert job["counts"]["done"] == len(batch) + 1
    items = job["items"]
    assert [item["kind"] for item in items] == ["image", "image", "image", "text"]
    for photo, item in zip(batch, items, strict=False):
        assert item["status"] == "done", item
        report = item["report"]
        assert_reads_the_label(report)
        assert_profile_applied(report)
        image = report["ocr"]["image"]
        assert (image["format"], image["exif_orientation"]) == (photo.format, photo.orientation)
        assert (image["width"], image["height"]) == photo.size
    assert found(items[3]["report"]) == ["AQUA", "GLYCERIN", "NIACINAMIDE", "PARFUM"]


def padded(size: int) -> bytes:
    return photos.pad(photos.jpeg().read(), size)


def test_a_job_of_exactly_max_job_bytes_is_read(server: LiveServer) -> None:
    """Three photos at the per-photo limit and a small scan: exactly MAX_JOB_BYTES in all."""
    small = SMALL.read_bytes()
    sizes = [MAX_IMAGE_BYTES, MAX_IMAGE_BYTES, MAX_JOB_BYTES - 2 * MAX_IMAGE_BYTES - len(small)]
    images = [(f"big{n}.jpg", padded(size)) for n, size in enumerate(sizes)]
    images.append(("small.png", small))
    assert sum(len(data) for _, data in images) == MAX_JOB_BYTES
    job = run_job(server, *job_form(images))
    assert job["status"] == "done" and job["counts"]["done"] == 4, job["counts"]
    for item in job["items"][:3]:
        assert_reads_the_label(item["report"])
    assert found(job["items"][3]["report"]) == list(SMALL_GOLD)


REFUSED = [
    # (id, images' sizes in bytes, status, code, words in the message)
    ("body one byte over the job's body limit", "body", 413, "payload_too_large",
     (f"{MAX_JOB_BODY // 2**20} MiB", f"{MAX_JOB_BYTES // 2**20} MiB")),
    ("photos one byte over MAX_JOB_BYTES", "sum", 413, "image_too_large",
     (f"{MAX_JOB_BYTES // 2**20} MiB",)),
    ("one photo one byte over MAX_IMAGE_BYTES", "one", 413, "image_too_large",
     ("images[1]", f"{MAX_IMAGE_BYTES // 2**20} MiB")),
    ("body of exactly the job's body limit: its photos are too large", "body-at-limit", 413,
     "image_too_large", (f"{MAX_JOB_BYTES // 2**20} MiB",)),
]  # fmt: skip


def refused_form(shape: str) -> tuple[bytes, str]:
    small = SMALL.read_bytes()
    if shape == "one":
        return job_form(
            [("a.jpg", padded(MAX_IMAGE_BYTES)), ("b.jpg", padded(MAX_IMAGE_BYTES + 1))]
        )
    if shape == "sum":
        last = MAX_JOB_BYTES - 2 * MAX_IMAGE_BYTES - len(small) + 1
        sizes = [MAX_IMAGE_BYTES, MAX_IMAGE_BYTES, last]
        return job_form([*((f"big{n}.jpg", padded(s)) for n, s in enumerate(sizes)),
                         ("small.png", small)])  # fmt: skip
    # Four photos filling the body to its limit, or one byte past it.
    size = MAX_JOB_BODY + (shape == "body")
    overhead = len(job_form([(f"p{n}.jpg", b"") for n in range(4)])[0])
    share, extra = divmod(size - overhead, 4)
    sizes = [share + (1 if n < extra else 0) for n in range(4)]
    body, content_type = job_form([(f"p{n}.jpg", padded(s)) for n, s in enumerate(sizes)])
    assert len(body) == size
    return body, content_type


@pytest.mark.parametrize(
    ("shape", "status", "code", "words"),
    [pytest.param(*r[1:], id=r[0]) for r in REFUSED],
)
def test_a_job_past_a_byte_limit_is_refused(
    server: LiveServer, shape: str, status: int, code: str, words: tuple[str, ...]
) -> None:
    assert_error(send(server.url, URL, *refused_form(shape)), status, code, *words)
