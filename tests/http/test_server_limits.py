"""The production server's own limits, met the way clients meet them: over real sockets.

gunicorn refuses some requests before the app sees them (a request line over 4094 bytes,
oversized or malformed headers); those answers are the project's JSON error too. A client on
the same machine (a script, a local batch) is never rate-limited by default; a server that
turns the limits on still refuses a flood from loopback.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveServer, get_line, raw

TEXT = "Ingredients: Aqua, Glycerin, Niacinamide, Phenoxyethanol"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    """``incilens serve`` as ``make run`` starts it: default limits, loopback client."""
    with LiveServer(workers=1, threads=4, env={"INCILENS_REDIS_URL": ""}) as live:
        yield live


def post_text(url: str) -> tuple[int, Any]:
    body = json.dumps({"text": TEXT}).encode()
    request = urllib.request.Request(
        url + "/v1/analyze/text", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


RAW_REQUESTS = [
    # (name, request bytes, status, error code, words the message must hold)
    ("request line one byte over gunicorn's 4094", get_line(4095), 400, "bad_request",
     ["4094", "POST"]),
    ("request line far over the limit", get_line(20_000), 400, "bad_request", ["4094"]),
    ("not HTTP at all", b"GARBAGE\r\n\r\n", 400, "bad_request", ["HTTP"]),
    ("an unknown HTTP version", b"GET /health HTTP/7.1\r\nHost: x\r\n\r\n", 400, "bad_request",
     ["HTTP"]),
    ("more than 100 headers", b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 120
     + b"\r\n", 431, "request_header_fields_too_large", ["headers"]),
    ("one header over 8190 bytes", b"GET /health HTTP/1.1\r\nHost: x\r\nX-A: " + b"b" * 9000
     + b"\r\n\r\n", 431, "request_header_fields_too_large", ["headers"]),
    # the boundary itself reaches the app, which answers for the name in its own words
    ("request line of exactly 4094 bytes", get_line(4094), 400, "bad_input", ["200"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("request_bytes", "status", "code", "words"), [case[1:] for case in RAW_REQUESTS],
    ids=[case[0] for case in RAW_REQUESTS],
)  # fmt: skip
def test_requests_gunicorn_refuses_get_the_json_error(
    server: LiveServer, request_bytes: bytes, status: int, code: str, words: list[str]
) -> None:
    got, headers, body = raw(server.port, request_bytes)
    assert got == status, body
    assert headers["Content-Type"].startswith("application/json")
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert all(word in body["error"]["message"] for word in words), body["error"]["message"]


def test_the_server_still_answers_after_its_refusals(server: LiveServer) -> None:
    raw(server.port, get_line(9000))
    assert post_text(server.url)[0] == 200


def test_a_local_batch_is_never_rate_limited(server: LiveServer) -> None:
    # 300 analyses in a row from this machine: the default limits allow 10 per second and 300
    # per minute to each address on the network, none to loopback.
    statuses = [post_text(server.url)[0] for _ in range(300)]
    assert statuses == [200] * 300


def test_limits_turned_on_apply_to_loopback_too() -> None:
    env = {"INCILENS_RATE_LIMIT_ENABLED": "true", "INCILENS_RATE_LIMIT": "5 per minute",
           "INCILENS_REDIS_URL": ""}  # fmt: skip
    with LiveServer(workers=1, threads=2, env=env) as live:
        statuses = [post_text(live.url)[0] for _ in range(7)]
        status, body = post_text(live.url)
    assert statuses == [200] * 5 + [429] * 2
    assert status == 429 and body["error"]["code"] == "rate_limited"
