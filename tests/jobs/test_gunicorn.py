"""The embedded default under a real gunicorn with two workers: any worker answers for a job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.live import LiveServer
from tests.pipeline.test_analyze_image import render

from .conftest import free_port, wait_for
from .stall_engine import stall_env

GUNICORN = Path(sys.executable).with_name("gunicorn")
TEXT = "Ingredients: Aqua, Glycerin, Niacinamide, Parfum"


def call(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)
    except OSError:
        return 0, None


def multipart(
    fields: list[tuple[str, str]], files: Sequence[tuple[str, str, bytes]] = ()
) -> tuple[bytes, str]:
    boundary = "incilens-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    access = tmp_path / "access.log"
    log = tmp_path / "gunicorn.log"
    argv = [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
            "--preload", "--access-logfile", str(access), "--access-logformat", "%(p)s %(U)s %(s)s",
            "incilens:create_app()"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1",
           "INCILENS_RATE_LIMIT_ENABLED": "false"}  # fmt: skip
    env.pop("INCILENS_REDIS_URL", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: call(base + "/health")[0] == 200, timeout=60, what="gunicorn", log=log)
        yield base, access
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def test_every_worker_answers_for_a_job(server: tuple[str, Path]) -> None:
    base, access = server
    body, content_type = multipart([("texts", TEXT), ("texts", "Aqua, Parfum")])
    status, accepted = call(base + "/v1/jobs", body, {"Content-Type": content_type})
    assert status == 202, accepted
    url = base + accepted["url"]
    statuses: list[int] = []

    def answered_by_both() -> bool:
        status, job = call(url)
        statuses.append(status)
        pids = {line.split()[0] for line in access.read_text().splitlines() if "/v1/jobs/" in line}
        return len(pids) >= 2 and job is not None and job.get("status") == "done"

    wait_for(answered_by_both, timeout=30, what="both gunicorn workers to answer for the job")
    assert set(statuses) == {200}, statuses


def test_items_of_a_killed_worker_are_finished_by_another(tmp_path: Path) -> None:
    """SIGKILL the gunicorn worker in the middle of reading a job's photo (``incilens serve``,
    embedded mode): once its lease runs out, another worker (or its replacement) reads it."""
    marker = tmp_path / "stalled"
    env = {
        **stall_env(marker),
        "PYTHONPATH": str(REPO),
        "INCILENS_REDIS_URL": "",  # the embedded mode, whatever the caller's environment
        "INCILENS_JOB_LEASE": "2",
        "INCILENS_RATE_LIMIT_ENABLED": "false",
    }
    with LiveServer(workers=2, threads=2, env=env) as server:
        body, content_type = multipart([("texts", TEXT)], files=[("images", "label.png", render())])
        status, accepted = call(server.url + "/v1/jobs", body, {"Content-Type": content_type})
        assert status == 202, accepted
        wait_for(lambda: marker.exists() and marker.read_text(), timeout=30,
                 what="the stalled read to name its process")  # fmt: skip
        pid = int(marker.read_text())
        os.kill(pid, signal.SIGKILL)

        def finished() -> Any:
            status, job = call(server.url + accepted["url"])
            assert status == 200, job
            return job if job["status"] in ("done", "failed") else None

        job = wait_for(finished, timeout=45, what="another worker to finish the item",
                       log=server.log_path)  # fmt: skip
    assert [item["status"] for item in job["items"]] == ["done", "done"], job
    photo = job["items"][0]["report"]
    assert "Niacinamide" in photo["ocr"]["text"]  # read again, by the fake's second answer
