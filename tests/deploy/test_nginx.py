"""``deploy/nginx.conf`` in front of the real service: Debian's nginx and ``incilens serve``.

The compose file runs the same configuration in the official nginx image; here the only changes
are the upstream address (``api:8000`` becomes the test server's loopback port), the listening
address and, for the overload test, the in-flight cap. nginx runs in the foreground in a
temporary prefix, started and stopped by the tests.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, need
from tests.jobs.conftest import free_port, wait_for
from tests.jobs.stall_engine import stall_env
from tests.jobs.test_gunicorn import multipart
from tests.live import LiveServer, get_line, raw, stop_process_group

CONF = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site(upstream: int, listen: int, *, inflight: int = 64) -> str:
    """The shipped configuration, pointed at loopback ports."""
    text = CONF.replace("server api:8000;", f"server 127.0.0.1:{upstream};")
    text = text.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
    text = text.replace(
        "limit_conn incilens_inflight 64;", f"limit_conn incilens_inflight {inflight};"
    )
    assert text.count("127.0.0.1") == 2 and f"incilens_inflight {inflight};" in text
    return text


def main_conf(prefix: Path, site_file: Path) -> str:
    """What the nginx image's own nginx.conf provides around conf.d, in a private prefix."""
    return f"""
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site_file};
}}
"""


@contextmanager
def nginx(tmp: Path, upstream: int, **kw: Any) -> Iterator[str]:
    need(Path(NGINX).exists(), "nginx is not installed (apt-get install nginx)")
    port = free_port()
    site_file = tmp / "default.conf"
    site_file.write_text(site(upstream, port, **kw), encoding="utf-8")
    conf = tmp / "nginx.conf"
    conf.write_text(main_conf(tmp, site_file), encoding="utf-8")
    check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True,
                           text=True, timeout=30)  # fmt: skip
    assert check.returncode == 0, check.stderr
    log = tmp / "nginx.out"
    with log.open("wb") as out:
        proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return True
            except OSError:
                return False

        wait_for(listening, timeout=20, what="nginx to listen", log=log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process_group(proc, timeout=10)


def call(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         timeout: float = 30) -> tuple[int, dict[str, str], Any]:  # fmt: skip
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.load(e)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    env = {"INCILENS_PROXY_COUNT": "1", "INCILENS_RATE_LIMIT": "3 per minute",
           "INCILENS_RATE_LIMIT_ENABLED": "true", "INCILENS_REDIS_URL": ""}  # fmt: skip
    with LiveServer(workers=1, threads=4, env=env) as live:
        yield live


def test_requests_pass_and_the_client_address_is_the_one_counted(
    server: LiveServer, tmp_path: Path
) -> None:
    with nginx(tmp_path, server.port) as base:
        status, _, body = call(base + "/health")
        assert status == 200 and body["status"] == "ok"
        statuses = []
        for n in range(4):  # a client forging X-Forwarded-For is still counted by its address
            headers = {"X-Forwarded-For": f"198.51.100.{n}"}
            statuses.append(call(base + "/v1/ingredients/aqua", headers=headers)[0])
        assert statuses == [200, 200, 200, 429]
        status, headers, body = call(base + "/v1/ingredients/aqua")
        assert status == 429 and body["error"]["code"] == "rate_limited"
        assert int(headers["Retry-After"]) >= 1  # the API's own error passes through


def test_an_upload_over_the_proxy_limit_is_a_json_413(server: LiveServer, tmp_path: Path) -> None:
    with nginx(tmp_path, server.port) as base:
        body = b"x" * (53 * 2**20)
        status, headers, error = call(
            base + "/v1/jobs", body, {"Content-Type": "multipart/form-data; boundary=b"}
        )
    assert status == 413
    assert error["error"]["code"] == "payload_too_large" and "52 MiB" in error["error"]["message"]
    assert headers["Content-Type"] == "application/json"


def test_beyond_the_in_flight_cap_a_fast_json_503(tmp_path: Path) -> None:
    from tests.pipeline.test_analyze_image import render

    marker = tmp_path / "stalled"
    env = {**stall_env(marker), "PYTHONPATH": str(REPO), "INCILENS_RATE_LIMIT_ENABLED": "false"}
    body, content_type = multipart([], files=[("image", "label.png", render())])
    ctype = {"Content-Type": content_type}

    def hold(base: str) -> None:  # one request in flight: a photo whose read stalls
        with contextlib.suppress(OSError):  # ends when the server is stopped
            call(base + "/v1/analyze/image", body, ctype, timeout=60)

    with (
        LiveServer(workers=1, threads=2, env=env) as live,
        nginx(tmp_path, live.port, inflight=1) as base,
    ):
        threading.Thread(target=hold, args=(base,), daemon=True).start()
        wait_for(marker.exists, timeout=30, what="the held photo to reach the OCR stage")
        status, headers, error = call(base + "/v1/ingredients/aqua", timeout=5)
    assert status == 503 and error["error"]["code"] == "server_busy"
    assert headers["Retry-After"] == "2"


def test_the_api_down_is_a_json_503(tmp_path: Path) -> None:
    with nginx(tmp_path, free_port()) as base:  # nothing listens upstream
        status, headers, error = call(base + "/v1/ingredients/aqua")
    assert status == 503 and error["error"]["code"] == "service_unavailable"
    assert headers["Retry-After"] == "5"


@pytest.fixture(scope="module")
def unlimited() -> Iterator[LiveServer]:
    """A server without rate limits, for tests that count nothing."""
    env = {"INCILENS_PROXY_COUNT": "1", "INCILENS_RATE_LIMIT_ENABLED": "false"}
    with LiveServer(workers=1, threads=4, env=env) as live:
        yield live


# Request lines: gunicorn's limit is 4094 bytes, nginx's header buffer 8 KiB. Every refusal on
# the way is JSON, whichever layer makes it.
REQUEST_LINES = [
    # (name, request line length in bytes, status, code)
    ("over nginx's buffer", 9000, 414, "uri_too_long"),
    ("over gunicorn's 4094, under nginx's", 5000, 400, "bad_request"),
    ("just over gunicorn's 4094", 4095, 400, "bad_request"),
    ("exactly gunicorn's 4094: the app's own answer", 4094, 400, "bad_input"),
]


@pytest.mark.parametrize(
    ("line_length", "status", "code"), [case[1:] for case in REQUEST_LINES],
    ids=[case[0] for case in REQUEST_LINES],
)  # fmt: skip
def test_long_request_lines_get_json_from_every_layer(
    unlimited: LiveServer, tmp_path: Path, line_length: int, status: int, code: str
) -> None:
    with nginx(tmp_path, unlimited.port) as base:
        port = int(base.rsplit(":", 1)[1])
        got, headers, body = raw(port, get_line(line_length))
    assert (got, body["error"]["code"]) == (status, code), body
    assert headers["Content-Type"].startswith("application/json")
    assert body["error"]["message"]


def test_malformed_requests_and_huge_headers_get_json_from_nginx(
    unlimited: LiveServer, tmp_path: Path
) -> None:
    with nginx(tmp_path, unlimited.port) as base:
        port = int(base.rsplit(":", 1)[1])
        bad = raw(port, b"GARBAGE\r\n\r\n")
        big = raw(port, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n")
    assert (bad[0], bad[2]["error"]["code"]) == (400, "bad_request")
    assert (big[0], big[2]["error"]["code"]) == (431, "request_header_fields_too_large")


def test_compressed_reports_pass_through_the_proxy(unlimited: LiveServer, tmp_path: Path) -> None:
    import gzip

    text = "Ingredients: " + ", ".join(["Aqua", "Glycerin", "Niacinamide", "Retinol"] * 8)
    body = json.dumps({"text": text}).encode()
    with nginx(tmp_path, unlimited.port) as base:
        replies = {}
        for accept in ("gzip", None):
            headers = {"Content-Type": "application/json"}
            if accept:
                headers["Accept-Encoding"] = accept
            request = urllib.request.Request(base + "/v1/analyze/text", data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=30) as response:
                replies[accept] = (response.headers.get("Content-Encoding"), response.read())
    (encoding, packed), (plain_encoding, plain) = replies["gzip"], replies[None]
    assert (encoding, plain_encoding) == ("gzip", None)
    assert json.loads(gzip.decompress(packed)) == json.loads(plain)
