"""Fault paths of the Celery worker on the real components: time limits, Redis lost mid-item.

A real redis-server and real ``celery -A incilens.worker worker`` processes, as in
``test_celery.py``; a slow OCR engine (below, loaded by the workers through ``OCR_ENGINE``)
holds an item in the middle of its read. Every wait is bounded and says what it waited for.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import Reject
from kombu.exceptions import OperationalError
from PIL import Image

import incilens.worker
from incilens.core.models import OcrResult
from incilens.errors import ConfigError, JobsUnavailable
from incilens.jobs.celery import QUEUE, TASK_NAME, make_celery, redis_client, time_limits
from incilens.jobs.model import MAX_ATTEMPTS
from tests.conftest import need
from tests.fakes import FakeOcrEngine
from tests.pipeline.test_analyze_image import render

from .conftest import RedisServer, Worker, free_port, jobs_app, wait_for, wait_job
from .test_celery import TEXT, bounded, recognised, submit

SLOW_ENGINE = f"{__name__}:SlowEngine"


class SlowEngine:
    """The first read anywhere is slow, later reads are fake and instant.

    Workers load it with ``INCILENS_OCR_ENGINE=tests.jobs.test_worker_faults:SlowEngine``. The
    first read writes the pid of its process to ``INCILENS_TEST_SLOW_MARKER`` (so the test knows
    an item is being read) and takes ``INCILENS_TEST_SLOW_SECONDS``. With
    ``INCILENS_TEST_SLOW_STUBBORN=1`` it swallows whatever is raised into it meanwhile (the soft
    time limit), as a native call stuck where no Python signal handler runs would.
    """

    name = "slow"

    def __init__(self) -> None:
        self.marker = Path(os.environ["INCILENS_TEST_SLOW_MARKER"])
        self.seconds = float(os.environ.get("INCILENS_TEST_SLOW_SECONDS", "300"))
        self.stubborn = os.environ.get("INCILENS_TEST_SLOW_STUBBORN") == "1"

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        fake = FakeOcrEngine("Ingredients: Aqua, Glycerin,\nNiacinamide, Parfum")
        try:
            with self.marker.open("x") as f:  # exactly one read ever gets here first
                f.write(str(os.getpid()))
        except FileExistsError:
            return fake.recognize(image, psm=psm)
        deadline = time.monotonic() + self.seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                time.sleep(left)
            except BaseException:
                if not self.stubborn:
                    raise
        return fake.recognize(image, psm=psm)


def slow_worker(workers: Callable[..., Worker], url: str, marker: Path, **env: str) -> Worker:
    return workers(
        url, INCILENS_OCR_ENGINE=SLOW_ENGINE, INCILENS_TEST_SLOW_MARKER=str(marker), **env
    )


def broker_is_empty(url: str) -> Callable[[], bool]:
    """Nothing waiting in the queue and nothing delivered but unacknowledged."""
    client = redis_client(url)
    return lambda: client.llen(QUEUE) == 0 and client.hlen("unacked") == 0


# -- time limits ---------------------------------------------------------------------------------
LIMITS = {
    "INCILENS_JOB_SOFT_TIME_LIMIT": "3",
    "INCILENS_JOB_TIME_LIMIT": "6",
    # Far above the item: a redelivery here could only come from the time limit's handling.
    "INCILENS_JOB_VISIBILITY_TIMEOUT": "300",
}
TIMEOUT_MESSAGE = "Analysing this item took longer than {} s; try a sharper or smaller photo."


@pytest.mark.parametrize(
    ("stubborn", "limit", "logged"),
    [
        # The soft limit interrupts the read: the task records the error itself.
        pytest.param("0", 3, "Soft time limit (3.0s) exceeded", id="soft"),
        # The read ignores it: Celery kills the pool process at the hard limit and acknowledges.
        pytest.param("1", 6, "killed at the hard time limit (6 s)", id="hard"),
    ],
)
def test_an_item_over_its_time_limit_fails_with_item_timeout(
    redis_server: RedisServer,
    workers: Callable[..., Worker],
    tmp_path: Path,
    stubborn: str,
    limit: int,
    logged: str,
) -> None:
    marker = tmp_path / "slow"
    env = {**LIMITS, "INCILENS_TEST_SLOW_STUBBORN": stubborn}
    worker = slow_worker(workers, redis_server.url, marker, **env)
    client = jobs_app({"REDIS_URL": redis_server.url}).test_client()
    # A label no other test reads: a cached read would never reach the slow engine.
    photo = render(f"{TEXT} Over the {limit} s limit.")
    response = submit(client, images=[photo], texts=[TEXT])
    assert response.status_code == 202, response.get_json()
    url = response.headers["Location"]
    body = wait_job(client, url, timeout=60, log=worker.log)

    read, text = body["items"]
    assert read["status"] == "failed", body
    assert read["error"] == {"code": "item_timeout", "message": TIMEOUT_MESSAGE.format(limit)}
    assert text["status"] == "done", body  # the worker (a new pool process) carries on
    assert body["status"] == "done" and body["counts"]["failed"] == 1
    # Each message was delivered once and acknowledged: no redelivery, nothing left behind.
    wait_for(broker_is_empty(redis_server.url), timeout=10, what="the broker to be empty")
    assert client.get(url).get_json()["items"][0]["status"] == "failed"
    log = worker.log.read_text(errors="replace")
    assert log.count("] received") == 2, log
    assert logged in log
    assert ("Hard time limit" in log) == (stubborn == "1"), log
    # An expected failure: no "failed unexpectedly" traceback from run_item.
    assert "failed unexpectedly" not in log and "SoftTimeLimitExceeded" not in log, log


LIMIT_SETTINGS = [
    ({}, (95, 125)),  # from OCR_TIMEOUT (20 s): 4 reads + 15 s, and 30 s more
    ({"OCR_TIMEOUT": 5}, (35, 65)),
    ({"JOB_SOFT_TIME_LIMIT": 3}, (3, 33)),
    ({"JOB_SOFT_TIME_LIMIT": 3, "JOB_TIME_LIMIT": 6}, (3, 6)),
    ({"JOB_SOFT_TIME_LIMIT": None, "JOB_TIME_LIMIT": 200}, (95, 200)),
    ({"JOB_SOFT_TIME_LIMIT": "", "JOB_TIME_LIMIT": ""}, (95, 125)),  # INCILENS_JOB_...= unset
]


@pytest.mark.parametrize(("settings", "limits"), LIMIT_SETTINGS)
def test_time_limits_come_from_the_settings(
    settings: dict[str, Any], limits: tuple[float, float]
) -> None:
    config = {"REDIS_URL": "redis://127.0.0.1:1/0", **settings}
    assert time_limits(config) == limits
    conf = make_celery(config).conf
    assert (conf.task_soft_time_limit, conf.task_time_limit) == limits


@pytest.mark.parametrize(
    "settings",
    [{"JOB_SOFT_TIME_LIMIT": 10, "JOB_TIME_LIMIT": 10}, {"JOB_TIME_LIMIT": 60},
     {"JOB_SOFT_TIME_LIMIT": 0}],
)  # fmt: skip
def test_a_soft_limit_not_below_the_hard_one_is_refused(settings: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="JOB_SOFT_TIME_LIMIT"):
        time_limits(settings)


# -- an item that kills its pool process every time ------------------------------------------------
class CrashEngine:
    """Every read kills the process doing it, as a photo that crashes or exhausts the reader
    would. Workers load it with ``INCILENS_OCR_ENGINE=tests.jobs.test_worker_faults:CrashEngine``.
    """

    name = "crash"

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("the process outlived SIGKILL")


def test_an_item_that_kills_its_worker_every_time_is_failed_not_looped(
    redis_server: RedisServer, workers: Callable[..., Worker]
) -> None:
    worker = workers(redis_server.url, INCILENS_OCR_ENGINE=f"{__name__}:CrashEngine")
    client = jobs_app({"REDIS_URL": redis_server.url}).test_client()
    response = submit(client, images=[render(f"{TEXT} Crashes its reader.")], texts=[TEXT])
    assert response.status_code == 202, response.get_json()
    body = wait_job(client, response.headers["Location"], timeout=120, log=worker.log)

    crash, text = body["items"]
    assert crash["status"] == "failed", body
    assert crash["error"]["code"] == "item_abandoned"
    assert f"each of the {MAX_ATTEMPTS} times" in crash["error"]["message"]
    assert text["status"] == "done", body
    wait_for(broker_is_empty(redis_server.url), timeout=10, what="the broker to be empty")
    assert worker.proc is not None and worker.proc.poll() is None  # the worker itself lives on
    log = worker.log.read_text(errors="replace")
    assert log.count("WorkerLostError") >= MAX_ATTEMPTS, log  # it really died each time
    assert f"stopped its worker {MAX_ATTEMPTS} times" in log


# -- Redis lost while an item runs ---------------------------------------------------------------
@pytest.mark.parametrize(
    "down",
    [
        pytest.param(1.0, id="blip"),  # back before the read would have ended
        pytest.param(8.0, id="outage"),  # down past the read and the visibility timeout
    ],
)
def test_an_item_running_when_redis_goes_down_still_finishes(
    tmp_path: Path, workers: Callable[..., Worker], down: float
) -> None:
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path, persist=True)  # the queue and the jobs survive a restart
    server.start()
    try:
        marker = tmp_path / "slow"
        # Visibility timeout 3 s (the fixture's): a message left unacknowledged comes back soon.
        worker = slow_worker(workers, server.url, marker, INCILENS_TEST_SLOW_SECONDS="4")
        client = jobs_app({"REDIS_URL": server.url}).test_client()
        response = submit(client, images=[render(f"{TEXT} Redis down {down:g} s.")])
        assert response.status_code == 202, response.get_json()
        url = response.headers["Location"]
        wait_for(marker.exists, timeout=45, what="the worker to start reading", log=worker.log)
        server.stop()  # SIGKILL: the worker loses its broker and its job store mid-item
        time.sleep(down)
        server.start()  # same port, same append-only file
        body = wait_job(client, url, timeout=60, log=worker.log)
        assert body["status"] == "done", body
        assert {"GLYCERIN", "NIACINAMIDE"} <= recognised(body["items"][0]["report"])
        wait_for(broker_is_empty(server.url), timeout=10, what="the broker to be empty")
        assert worker.proc is not None and worker.proc.poll() is None  # it reconnected itself
    finally:
        server.stop()


def test_a_retry_that_cannot_be_sent_gives_the_message_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store write failed and the broker (the same Redis) cannot take the retry either.

    Celery turns the failed retry into ``Reject(requeue=False)``, which drops the message if
    Redis answers the reject; the task must ask for a requeue instead. With real components
    this is a race (the worker cancels running items the moment it loses the broker), so the
    task runs here in-process, against a broker port nothing listens on.
    """
    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = make_celery({"REDIS_URL": dead})
    task = app.tasks[TASK_NAME]

    def unreachable(*args: Any) -> None:
        raise JobsUnavailable("The job service is unreachable.", retry_after=2)

    # The job store is the same dead Redis (its delivery count fails first), and so would be
    # the store writes of the analysis.
    monkeypatch.setattr(incilens.worker, "_redis", lambda: redis_client(dead))
    monkeypatch.setattr(incilens.worker, "resources", lambda: None)
    monkeypatch.setattr(incilens.worker, "run_item", unreachable)

    def run() -> None:
        args = ["some-job", 0]
        task.push_request(id="item-task", args=args, kwargs={}, retries=0, called_directly=False)
        try:
            task.run(*args)
        finally:
            task.pop_request()

    with pytest.raises(Reject) as rejected:
        bounded(run, seconds=20)
    assert rejected.value.requeue is True
    assert isinstance(rejected.value.reason, OperationalError)  # the broker, not a bad retry
    assert isinstance(rejected.value.__cause__, JobsUnavailable)
