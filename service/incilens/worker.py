"""The Celery side of jobs: the app, the one task, and the runner the API uses to queue items.

Run workers with ``celery -A incilens.worker worker --pool=prefork --concurrency=N`` and
``INCILENS_REDIS_URL`` (plus ``OMP_THREAD_LIMIT=1``). Redis is both the broker and the result
backend; reports themselves go to the job store (:class:`~incilens.jobs.RedisJobStore`) so that
a job's items, finished by different workers, are read back together and expire together.

Delivery is at least once: a message is acknowledged only after its item's result is written
(``task_acks_late``), one message is reserved at a time per process
(``worker_prefetch_multiplier=1``), and a pool process that dies mid-item gives its message
back (``task_reject_on_worker_lost``). If the whole worker dies, Redis redelivers the
unacknowledged message after ``JOB_VISIBILITY_TIMEOUT`` seconds to any worker. Running an item
twice is harmless (:func:`incilens.jobs.run_item` skips finished items).

The knowledge base and matcher are loaded once in the worker's main process before the pool
forks (``worker_init``), so pool processes share them; a process started later loads them on
its first item. Nothing is read from the environment at import: the module's ``app`` (what
``-A incilens.worker`` finds) is built on first access.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from celery import Celery, Task  # type: ignore[import-untyped]
from celery.signals import worker_init  # type: ignore[import-untyped]
from flask import Config

from incilens.config import DEFAULTS, ENV_PREFIX
from incilens.errors import JobsUnavailable
from incilens.job_runner import Resources, run_item
from incilens.jobs import JOB_DEFAULTS, RedisJobStore
from incilens.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.ocr import OcrEngine, TesseractEngine
from incilens.ocr_cache import CachingEngine, RedisOcrCache
from incilens.pipeline import ImageLimits, build_matcher

__all__ = ["TASK_NAME", "CeleryRunner", "celery_settings", "make_celery", "redis_client"]

log = logging.getLogger(__name__)

TASK_NAME = "incilens.analyze_item"
QUEUE = "incilens"


def redis_client(url: str) -> Any:
    """A Redis client that fails fast (short timeouts, one quick retry) instead of hanging."""
    import redis
    from redis.backoff import ConstantBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1.0,
        socket_timeout=3.0,
        retry=Retry(ConstantBackoff(0.05), 1),
        health_check_interval=15,
    )


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Celery's settings for the app's config (``REDIS_URL``, ``JOB_TTL``, timeouts)."""
    url = str(config["REDIS_URL"])
    visibility = int(config.get("JOB_VISIBILITY_TIMEOUT", 300))
    transport = {
        "visibility_timeout": visibility,
        # Look for messages of dead workers every few seconds (a cheap sorted-set range).
        "unacked_restore_interval": max(1, min(10, visibility // 10)),
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 2,
    }
    return {
        "broker_url": url,
        "result_backend": url,
        "broker_transport_options": transport,
        "result_backend_transport_options": {"socket_connect_timeout": 2},
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 2,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "task_ignore_result": True,  # reports live in the job store
        "result_expires": int(config.get("JOB_TTL", 3600)),
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE,
        # Well beyond one photo's reads (each bounded by OCR_TIMEOUT): the soft limit raises in
        # the task, so the item records an error; the hard one kills a process that is stuck.
        "task_soft_time_limit": 4 * float(config.get("OCR_TIMEOUT", 20)) + 15,
        "task_time_limit": 4 * float(config.get("OCR_TIMEOUT", 20)) + 45,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "worker_hijack_root_logger": False,
    }


def env_config() -> Config:
    """The settings a worker runs with: defaults, then ``INCILENS_*`` variables."""
    config = Config(str(Path.cwd()))
    config.from_mapping(JOB_DEFAULTS)  # under DEFAULTS: config.py wins once it has them
    config.from_mapping(DEFAULTS)
    config.from_prefixed_env(ENV_PREFIX)
    return config


def _engine(config: Mapping[str, Any]) -> OcrEngine:
    """``OCR_ENGINE`` as ``"module:Class"`` (a plug-in or a test engine), else Tesseract."""
    spec = config.get("OCR_ENGINE")
    if isinstance(spec, str) and spec:
        module, _, name = spec.partition(":")
        engine: OcrEngine = getattr(importlib.import_module(module), name)()
        return engine
    return TesseractEngine(
        languages=str(config["OCR_LANGUAGES"]), timeout=float(config["OCR_TIMEOUT"])
    )


@cache
def resources() -> Resources:
    """This process's knowledge base, matcher, engine and job store (built once)."""
    config = env_config()
    client = redis_client(str(config["REDIS_URL"]))
    kb = KnowledgeBase.load(Path(config["KB_PATH"]) if config["KB_PATH"] else DEFAULT_KB_PATH)
    cache_ = RedisOcrCache(client, ttl=int(config["JOB_TTL"]))
    log.info("incilens worker: knowledge base %s (%d entries) loaded", kb.version, len(kb))
    return Resources(
        store=RedisJobStore(client),
        kb=kb,
        matcher=build_matcher(kb),
        engine=CachingEngine(_engine(config), cache_),
        limits=ImageLimits(
            max_bytes=int(config["MAX_IMAGE_BYTES"]), max_pixels=int(config["MAX_IMAGE_PIXELS"])
        ),
        max_items=int(config["MAX_ITEMS"]),
    )


def _analyze_item(task: Task, job_id: str, index: int) -> None:
    """Run one item; an unreachable store is retried with back-off (the message is kept)."""
    try:
        run_item(job_id, index, resources())
    except JobsUnavailable as e:
        raise task.retry(exc=e, countdown=min(30, 2 ** (task.request.retries + 1))) from e


def make_celery(config: Mapping[str, Any]) -> Celery:
    """A Celery app for ``config`` with the item task registered."""
    app = Celery("incilens", set_as_current=False)
    app.conf.update(celery_settings(config))
    app.task(name=TASK_NAME, bind=True, max_retries=10)(_analyze_item)
    return app


@cache
def _cli_app() -> Celery:
    return make_celery(env_config())


def _preload(sender: Any = None, **_: Any) -> None:
    """Load the KB before the pool forks, so that pool processes share it."""
    resources()


def __getattr__(name: str) -> Any:
    """``app`` and ``celery``: the worker's Celery app, built from the environment on first use."""
    if name in ("app", "celery"):
        worker_init.connect(_preload, weak=False)
        return _cli_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CeleryRunner:
    """Queues a job's items on Celery (used by the API when ``REDIS_URL`` is set)."""

    def __init__(self, app: Celery) -> None:
        """Send items through ``app`` (from :func:`make_celery`)."""
        self.app = app

    def submit(self, job_id: str, count: int) -> None:
        """Send one message per item; an unreachable broker is :class:`JobsUnavailable`."""
        from kombu.exceptions import OperationalError
        from redis import RedisError

        try:
            for index in range(count):
                self.app.send_task(TASK_NAME, args=(job_id, index), queue=QUEUE, ignore_result=True)
        except (OperationalError, RedisError, OSError) as e:
            log.warning("broker unreachable: %s", e)
            raise JobsUnavailable(
                "The job queue is unreachable for a moment; retry shortly.", retry_after=2
            ) from e
