"""Jobs on the real components: redis-server and Celery workers started here, on loopback.

No figure of time is asserted; every wait is bounded and says what it waited for.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from incilens import ocr
from incilens.errors import JobsUnavailable
from incilens.http.jobs import jobs_status
from incilens.jobs.celery import CeleryRunner, make_celery, redis_client
from incilens.jobs.model import Item, RedisJobStore, new_job
from tests.conftest import REPO, need
from tests.pipeline.test_analyze_image import render

from .conftest import RedisServer, Worker, free_port, jobs_app, wait_for, wait_job
from .stall_engine import stall_env

TEXT = "Ingredients: Aqua, Glycerin, Niacinamide, Parfum"
LABELS = REPO / "tests" / "resources" / "labels"


def submit(
    client: FlaskClient, *, images: list[bytes] | None = None, texts: list[str] | None = None
) -> Any:
    data: dict[str, Any] = {"texts": texts or []}
    data["images"] = [(io.BytesIO(b), f"p{i}.png") for i, b in enumerate(images or [])]
    return client.post("/v1/jobs", data=data, content_type="multipart/form-data")


def recognised(report: dict[str, Any]) -> set[str]:
    return {i["match"]["inci_name"].upper() for i in report["ingredients"] if i["match"]}


def test_text_and_photos_end_to_end(
    redis_server: RedisServer, workers: Callable[..., Worker]
) -> None:
    need(ocr.available(), "tesseract is not installed")
    worker = workers(redis_server.url)
    client = jobs_app({"REDIS_URL": redis_server.url}).test_client()
    photos = [render(), (LABELS / "clean.png").read_bytes()]
    response = submit(client, images=photos, texts=[TEXT])
    assert response.status_code == 202, response.get_json()
    body = wait_job(client, response.headers["Location"], timeout=60, log=worker.log)
    assert body["status"] == "done", body
    rendered, clean, text = (item["report"] for item in body["items"])
    assert {"GLYCERIN", "NIACINAMIDE"} <= recognised(rendered)
    assert clean["list_found"] and len(recognised(clean)) >= 5
    assert {"AQUA", "GLYCERIN"} <= recognised(text)
    # The reads are cached in Redis and shared: a second job of the same photo hits them.
    client_redis = redis_client(redis_server.url)
    assert client_redis.keys("incilens:ocr:*")
    again = submit(client, images=photos[:1])
    second = wait_job(client, again.headers["Location"], timeout=60, log=worker.log)
    assert second["items"][0]["report"]["ocr"]["text"] == rendered["ocr"]["text"]
    # Inputs are dropped once read; the job and its results carry the TTL.
    job_key = f"incilens:job:{body['id']}"
    assert not client_redis.exists(job_key + ":in")
    assert 0 < client_redis.ttl(job_key) <= 3600


def test_worker_killed_mid_item_is_redelivered(
    redis_server: RedisServer, workers: Callable[..., Worker], tmp_path: Path
) -> None:
    marker = tmp_path / "stalled"
    env = stall_env(marker)
    first = workers(redis_server.url, **env)
    client = jobs_app({"REDIS_URL": redis_server.url}).test_client()
    # A label no other test reads: a cached read would never reach the stalling engine.
    response = submit(client, images=[render(TEXT + " Worker killed.")], texts=[TEXT])
    assert response.status_code == 202
    url = response.headers["Location"]
    wait_for(marker.exists, timeout=45, what="the first worker to start reading", log=first.log)
    first.kill()  # SIGKILL, main process and pool: its message is unacknowledged
    assert client.get(url).get_json()["status"] in ("queued", "running")
    second = workers(redis_server.url, **env)
    body = wait_job(client, url, timeout=60, log=second.log)
    assert body["status"] == "done", body
    assert [item["status"] for item in body["items"]] == ["done", "done"]
    assert {"GLYCERIN", "NIACINAMIDE"} <= recognised(body["items"][0]["report"])


def test_pool_process_killed_mid_item_is_retried(
    redis_server: RedisServer, workers: Callable[..., Worker], tmp_path: Path
) -> None:
    marker = tmp_path / "stalled"
    worker = workers(
        redis_server.url,
        **stall_env(marker),
        INCILENS_JOB_VISIBILITY_TIMEOUT="300",  # redelivery here must not need the timeout
    )
    client = jobs_app({"REDIS_URL": redis_server.url}).test_client()
    url = submit(client, images=[render(TEXT + " Pool process killed.")]).headers["Location"]
    wait_for(marker.exists, timeout=45, what="the worker to start reading", log=worker.log)
    stalled = int(marker.read_text())
    assert stalled in worker.pool_pids()
    os.kill(stalled, signal.SIGKILL)  # the pool process only; the worker replaces it
    body = wait_job(client, url, timeout=60, log=worker.log)
    assert body["status"] == "done", body


def test_redis_restart(tmp_path: Path, workers: Callable[..., Worker]) -> None:
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    try:
        worker = workers(server.url)
        client = jobs_app({"REDIS_URL": server.url}).test_client()
        before = submit(client, texts=[TEXT])
        assert (
            wait_job(client, before.headers["Location"], timeout=60, log=worker.log)["status"]
            == "done"
        )

        app = client.application

        def status() -> dict[str, str]:
            with app.app_context():
                return jobs_status()

        assert status() == {"mode": "celery", "store": "ok"}
        server.stop()
        assert bounded(status, seconds=20) == {"mode": "celery", "store": "unreachable"}
        for call in (
            lambda: submit(client, texts=[TEXT]),
            lambda: client.get(before.headers["Location"]),
        ):
            response = bounded(call, seconds=20)
            assert response.status_code == 503, response.get_json()
            assert response.get_json()["error"]["code"] == "jobs_unavailable"
            assert response.headers["Retry-After"] == "2"

        server.start()  # same port, empty (no persistence): earlier jobs are gone
        after = wait_for(lambda: accepted(client), timeout=20, what="the API to reconnect to Redis")
        body = wait_job(client, after.headers["Location"], timeout=60, log=worker.log)
        assert body["status"] == "done"
        assert client.get(before.headers["Location"]).status_code == 404
    finally:
        server.stop()


def accepted(client: FlaskClient) -> Any:
    response = submit(client, texts=[TEXT])
    return response if response.status_code == 202 else None


def bounded(call: Callable[[], Any], *, seconds: float) -> Any:
    """Run ``call`` in a thread; fail (rather than hang) if it has not answered in time."""
    out: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            out.append(call())
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        pytest.fail(f"the call hung for more than {seconds:g} s with Redis down")
    if errors:
        raise errors[0]
    return out[0]


def test_broker_down_is_jobs_unavailable() -> None:
    runner = CeleryRunner(make_celery({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}))
    with pytest.raises(JobsUnavailable):
        bounded(lambda: runner.submit("some-job", 1), seconds=20)


def test_redis_store_expires_and_never_resurrects(redis_server: RedisServer) -> None:
    client = redis_client(redis_server.url)
    store = RedisJobStore(client)
    job = new_job(["text"], ttl=1)
    store.create(job, [b"Aqua"])
    assert store.get(job.id) is not None and store.load_input(job.id, 0) == b"Aqua"
    wait_for(lambda: store.get(job.id) is None, timeout=10, what="the job to expire")
    assert store.update(job.id, 0, Item("text", "running")) is False
    assert not client.exists(f"incilens:job:{job.id}")
