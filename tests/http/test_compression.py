"""Responses are compressed when the client accepts it, and only then (flask-compress).

A 30-item report is about 140 KB of JSON; a phone on a slow network and the extension pay for
every byte, so a client that sends ``Accept-Encoding`` gets Brotli or gzip. A client that sends
none gets the same JSON, plain. Tested in process and through ``incilens serve`` (gunicorn).
"""

from __future__ import annotations

import gzip
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import brotli
import pytest
from flask import Flask

from incilens import create_app
from tests.live import LiveServer

NAMES = ["Aqua", "Glycerin", "Niacinamide", "Dimethicone", "Cetearyl Alcohol", "Phenoxyethanol",
         "Tocopherol", "Parfum", "Limonene", "Retinol"]  # fmt: skip
TEXT = "Ingredients: " + ", ".join(NAMES * 3)
DECODE = {None: lambda b: b, "gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app({"TESTING": True})


CASES = [
    # (Accept-Encoding sent, Content-Encoding expected)
    (None, None),  # no header: plain JSON
    ("identity", None),
    ("compress", None),  # nothing we offer
    ("gzip;q=0, br;q=0", None),
    ("gzip", "gzip"),
    ("deflate, gzip", "gzip"),
    ("br", "br"),
    ("gzip, deflate, br", "br"),  # a browser's header: the smaller of the two
]


@pytest.mark.parametrize(("accept", "encoding"), CASES)
def test_a_report_is_compressed_only_for_a_client_that_accepts_it(
    app: Flask, accept: str | None, encoding: str | None
) -> None:
    client = app.test_client()
    plain = client.post("/v1/analyze/text", json={"text": TEXT}).get_data()
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    response = client.post("/v1/analyze/text", json={"text": TEXT}, headers=headers)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.get_data()
    assert DECODE[encoding](body) == plain
    assert json.loads(plain)["summary"]["counts"]["items"] == 30
    if encoding is not None:
        assert len(body) < len(plain) / 4


@pytest.mark.parametrize(
    ("path", "why"),
    [("/health", "under COMPRESS_MIN_SIZE"), ("/v1/ingredients/zzzz-none", "an error")],
)
def test_small_answers_and_errors_stay_plain(app: Flask, path: str, why: str) -> None:
    response = app.test_client().get(path, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response.headers, why
    assert response.is_json


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(workers=1, threads=2, env={"INCILENS_REDIS_URL": ""}) as live:
        yield live


def post(url: str, headers: dict[str, str]) -> tuple[dict[str, str], bytes]:
    body = json.dumps({"text": TEXT}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(response.headers), response.read()


def test_through_gunicorn_the_length_is_the_compressed_one(server: LiveServer) -> None:
    url = server.url + "/v1/analyze/text"
    plain_headers, plain = post(url, {})
    headers, body = post(url, {"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain_headers
    assert headers["Content-Encoding"] == "gzip"
    assert int(headers["Content-Length"]) == len(body) < len(plain) / 4
    report: dict[str, Any] = json.loads(gzip.decompress(body))
    assert report == json.loads(plain)
