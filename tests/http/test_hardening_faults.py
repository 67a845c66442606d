"""Faults: a broken Tesseract (missing, crashing, hanging), a missing or corrupt knowledge base,
a gunicorn worker killed in the middle of a request, and the shared rate-limit store (a real
redis-server on loopback, then that server gone)."""

from __future__ import annotations

import concurrent.futures
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from incilens import create_app, ocr
from tests.conftest import need
from tests.live import LiveServer, free_port

TEXT = "/v1/analyze/text"
IMAGE = "/v1/analyze/image"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 60), "white").save(out, format="PNG")
    return out.getvalue()


def post_image(client: Any) -> Any:
    return client.post(
        IMAGE,
        data={"image": (io.BytesIO(png()), "label.png")},
        content_type="multipart/form-data",
    )


def stand_in(directory: Path, body: str) -> Path:
    """A ``tesseract`` on a PATH of its own: answers the version probe, then ``body``."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "tesseract"
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n{body}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return directory


@pytest.fixture()
def tesseract_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Point PATH at a directory of our choosing; the probe's cache is cleared around the test."""

    def use(directory: Path) -> None:
        monkeypatch.setenv("PATH", str(directory))
        ocr.version.cache_clear()

    yield use
    monkeypatch.undo()
    ocr.version.cache_clear()


def real_app(**config: Any) -> Flask:
    return create_app({"TESTING": True, "OCR_TIMEOUT": 1, **config})


# -- Tesseract missing, crashing, hanging: health says so, text keeps working ---------------------
@pytest.mark.parametrize(
    ("body", "status", "code", "health"),
    [
        (None, 503, "ocr_unavailable", "missing"),
        ("kill -SEGV $$", 503, "ocr_unavailable", "failing"),
        ("exec /bin/sleep 30", 504, "ocr_timeout", "failing"),
        ("echo 'Error opening data file' >&2; exit 1", 503, "ocr_unavailable", "failing"),
    ],
    ids=["missing", "crashing", "hanging", "broken install"],
)
def test_tesseract_faults(
    tmp_path: Path, tesseract_path: Any, body: str | None, status: int, code: str, health: str
) -> None:
    directory = tmp_path / "bin"
    directory.mkdir()
    if body is not None:
        stand_in(directory, body)
    tesseract_path(directory)
    client = real_app().test_client()
    before = client.get("/health").get_json()
    assert before["status"] == "ok"
    if body is None:
        assert before["tesseract"] is None and before["ocr"]["status"] == "missing"
    else:
        assert before["tesseract"] == "5.3.0" and before["ocr"]["status"] == "ok"
    response = post_image(client)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["code"] == code and "request_id" in error
    after = client.get("/health").get_json()
    assert after["status"] == "ok"
    assert after["ocr"]["status"] == health
    if body is not None:
        assert after["ocr"]["last_error"] == code and after["ocr"]["consecutive_failures"] >= 1
    text = client.post(TEXT, json={"text": "Ingredients: Aqua, Glycerin"})
    assert text.status_code == 200 and text.get_json()["list_found"] is True


# -- the knowledge base: missing or corrupt, the service refuses to start and names the file ------
def serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "incilens.cli", "serve", "--port", str(free_port())]
    return subprocess.run(
        cmd, env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(None, "missing"), (b"definitely not gzip", "corrupt"), (b"", "too short")],
    ids=["missing", "not gzip", "empty"],
)
def test_a_bad_knowledge_base_stops_the_server_naming_the_file(
    tmp_path: Path, content: bytes | None, fragment: str
) -> None:
    path = tmp_path / "kb-under-test.jsonl.gz"
    if content is not None:
        path.write_bytes(content)
    done = serve({"INCILENS_KB_PATH": str(path)})
    assert done.returncode == 2, done.stderr
    assert str(path) in done.stderr and fragment in done.stderr
    assert "Traceback" not in done.stderr
    assert "Listening at" not in done.stdout + done.stderr  # gunicorn never started


def test_bad_api_key_file_stops_the_server_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "keys-under-test.txt"
    done = serve({"INCILENS_API_KEYS_FILE": str(path)})
    assert done.returncode != 0
    assert str(path) in done.stderr
    assert "Listening at" not in done.stdout + done.stderr


# -- a worker killed in the middle of a request -------------------------------------------------
def get(url: str, timeout: float = 30) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def post_text(url: str, text: str, timeout: float = 30) -> int:
    request = urllib.request.Request(
        url + TEXT,
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as resp:
        return int(resp.status)


def upload(url: str, timeout: float = 60) -> int:
    boundary = "hardening-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="l.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + png()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + IMAGE,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as e:
        return e.code


def wait_for(path: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def test_a_worker_killed_mid_request_leaves_the_others_serving(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    # The stand-in Tesseract records the worker that ran it and its own pid, then hangs: the
    # photo request is in flight in that worker until the test kills it.
    directory = stand_in(
        tmp_path / "bin", f"echo $PPID > {marks}/worker; echo $$ > {marks}/reader; exec sleep 60"
    )
    env = {
        "PATH": f"{directory}:/usr/bin:/bin",
        "INCILENS_OCR_TIMEOUT": "60",
        "INCILENS_RATE_LIMIT": "1000 per second",  # a burst of 20 from one address is the point
    }
    with (
        LiveServer(workers=2, threads=2, env=env) as server,
        concurrent.futures.ThreadPoolExecutor(4) as pool,
    ):
        in_flight = pool.submit(upload, server.url)
        worker = int(wait_for(marks / "worker"))
        reader = int(wait_for(marks / "reader"))
        try:
            os.kill(worker, signal.SIGKILL)
            with pytest.raises((ConnectionError, urllib.error.URLError, OSError)):
                in_flight.result(timeout=60)  # that one request is lost, visibly
            # the other worker (and the replacement the master forks) keep serving, in parallel
            texts = [
                pool.submit(post_text, server.url, f"Ingredients: Aqua, Glycerin, Niacinamide {n}")
                for n in range(20)
            ]
            assert [f.result(timeout=60) for f in texts] == [200] * 20
            status, body = get(server.url + "/health")
            assert status == 200 and body["status"] == "ok"
            assert server.proc is not None and server.proc.poll() is None  # the master lives
        finally:
            for pid in (reader,):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


# -- rate limits shared through Redis -----------------------------------------------------------
@pytest.fixture()
def redis_url() -> Iterator[str]:
    exe = shutil.which("redis-server")
    need(exe is not None, "redis-server is not installed (apt-get install redis-server)")
    assert exe is not None
    port = free_port()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not answer PING"
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        proc.kill()
        proc.wait(10)


def test_rate_limits_are_shared_through_redis_and_survive_its_loss(redis_url: str) -> None:
    config = {"RATE_LIMIT_ENABLED": True, "RATE_LIMIT": "4 per minute", "REDIS_URL": redis_url}
    worker_a = create_app({"TESTING": True, **config}).test_client()
    worker_b = create_app({"TESTING": True, **config}).test_client()
    statuses = [c.get("/v1/ingredients/aqua").status_code for c in (worker_a, worker_b) * 2]
    assert statuses == [200, 200, 200, 200]
    refused = worker_b.get("/v1/ingredients/aqua")  # the fifth, counted across both "workers"
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1

    import redis

    with contextlib.suppress(redis.ConnectionError):  # it may go away while answering
        redis.Redis.from_url(redis_url).shutdown(nosave=True)
    # the store is gone: requests are still answered (the limiter falls back to memory)
    later = create_app({"TESTING": True, **config}).test_client()
    assert later.get("/v1/ingredients/aqua").status_code == 200
