"""The Celery side of jobs: the app, the one task, and the runner the API uses to queue items.

Run workers with ``celery -A incilens.worker worker --pool=prefork --concurrency=N`` and
``INCILENS_REDIS_URL`` (plus ``OMP_THREAD_LIMIT=1``). Redis is the broker; reports go to the job
store (:class:`~incilens.jobs.RedisJobStore`) so that a job's items, finished by different
workers, are read back together and expire together. There is no Celery result backend: nothing
reads task results, and a backend write that fails while Redis is down would turn a cancelled
item into an acknowledged, lost one (see below).

Delivery is at least once: a message is acknowledged only after its item's result is written
(``task_acks_late``), one message is reserved at a time per process
(``worker_prefetch_multiplier=1``), and a pool process that dies mid-item gives its message
back (``task_reject_on_worker_lost``). If the whole worker dies, Redis redelivers the
unacknowledged message after ``JOB_VISIBILITY_TIMEOUT`` seconds to any worker. Running an item
twice is harmless (:func:`incilens.jobs.runner.run_item` skips finished items).

Every item ends, with its report or an error, even when things go wrong:

- Past ``JOB_SOFT_TIME_LIMIT`` the item fails with ``item_timeout``. Past ``JOB_TIME_LIMIT`` (a
  pool process stuck where the soft limit cannot reach) Celery kills the process and
  acknowledges the message; :meth:`ItemTask.on_failure`, called in the worker's main process,
  then records the same ``item_timeout``, else the item would stay ``running`` until it expires.
- When the broker connection is lost, Celery terminates the items running (they cannot be
  acknowledged on the lost connection) and leaves their messages unacknowledged: Redis, if it
  kept them (use AOF), redelivers them after the visibility timeout. An item whose store write
  fails is retried with back-off; if even the retry cannot be sent, its message is given back.

The knowledge base and matcher are loaded once in the worker's main process before the pool
forks (``worker_init``), so pool processes share them; a process started later loads them on
its first item. Nothing is read from the environment at import: the module's ``app`` (what
``-A incilens.worker`` finds) is built on first access.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

from celery import Celery, Task  # type: ignore[import-untyped]
from celery.exceptions import Reject, TimeLimitExceeded  # type: ignore[import-untyped]
from celery.signals import worker_init  # type: ignore[import-untyped]

from incilens.config import DEFAULTS, from_env
from incilens.errors import ConfigError, ItemTimeout, JobsUnavailable, ServiceError
from incilens.jobs.model import MAX_ATTEMPTS, Item, RedisJobStore, abandoned
from incilens.jobs.runner import Resources, run_item
from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.ocr.cache import CachingEngine, RedisOcrCache
from incilens.ocr.tesseract import engine_from_config
from incilens.pipeline import ImageLimits, build_matcher

__all__ = [
    "TASK_NAME",
    "CeleryRunner",
    "ItemTask",
    "celery_settings",
    "make_celery",
    "redis_client",
    "time_limits",
]

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


def time_limits(config: Mapping[str, Any]) -> tuple[float, float]:
    """An item's soft and hard time limits in seconds (``JOB_SOFT_TIME_LIMIT``, ``JOB_TIME_LIMIT``).

    By default well beyond one photo's reads (each bounded by ``OCR_TIMEOUT``): the soft limit
    raises in the task, so the item records ``item_timeout``; the hard one, 30 s later, kills a
    pool process that is stuck where the soft limit cannot reach (a native call).
    """

    def seconds(name: str, default: float) -> float:
        value = config.get(name)
        return default if value is None or value == "" else float(value)

    soft = seconds("JOB_SOFT_TIME_LIMIT", 4 * float(config.get("OCR_TIMEOUT", 20)) + 15)
    hard = seconds("JOB_TIME_LIMIT", soft + 30)
    if not 0 < soft < hard:
        raise ConfigError(
            f"JOB_SOFT_TIME_LIMIT ({soft:g} s) must be positive and below JOB_TIME_LIMIT"
            f" ({hard:g} s)."
        )
    return soft, hard


def celery_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """Celery's settings for the app's config (``REDIS_URL``, ``JOB_TTL``, timeouts)."""
    url = str(config["REDIS_URL"])
    soft, hard = time_limits(config)
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
        # No result backend (reports live in the job store). With one on this Redis, cancelling
        # an item on a lost connection tries to write a RETRY state, fails, and Celery then
        # acknowledges the terminated item as revoked: its message is lost, it stays "running".
        "result_backend": None,
        "broker_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 2,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "task_ignore_result": True,  # reports live in the job store
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE,
        "task_soft_time_limit": soft,
        "task_time_limit": hard,
        "task_publish_retry_policy": {
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        },
        "worker_hijack_root_logger": False,
    }


def env_config() -> dict[str, Any]:
    """The settings a worker runs with: defaults, then ``INCILENS_*`` variables."""
    return from_env(DEFAULTS)


@cache
def _redis() -> Any:
    """This process's Redis client for the job store and the OCR cache."""
    return redis_client(str(env_config()["REDIS_URL"]))


@cache
def resources() -> Resources:
    """This process's knowledge base, matcher, engine and job store (built once)."""
    config = env_config()
    kb = KnowledgeBase.load(Path(config["KB_PATH"]) if config["KB_PATH"] else DEFAULT_KB_PATH)
    cache_ = RedisOcrCache(_redis(), ttl=int(config["JOB_TTL"]))
    log.info("incilens worker: knowledge base %s (%d entries) loaded", kb.version, len(kb))
    return Resources(
        store=RedisJobStore(_redis()),
        kb=kb,
        matcher=build_matcher(kb),
        engine=CachingEngine(engine_from_config(config), cache_),
        limits=ImageLimits(
            max_bytes=int(config["MAX_IMAGE_BYTES"]), max_pixels=int(config["MAX_IMAGE_PIXELS"])
        ),
        max_items=int(config["MAX_ITEMS"]),
    )


def _item_timeout(seconds: float) -> ItemTimeout:
    """The error of an item that ran past a time limit of ``seconds``."""
    return ItemTimeout(
        f"Analysing this item took longer than {seconds:g} s; try a sharper or smaller photo."
    )


def _fail_item(job_id: str, index: int, error: ServiceError) -> None:
    """Record ``error`` as the item's result, unless the item has finished (or the job expired).

    May raise :class:`JobsUnavailable`.
    """
    store = RedisJobStore(_redis())
    job = store.get(job_id)
    if job is None or job.items[index].final:
        return
    store.update(
        job_id, index, Item(job.items[index].kind, "failed", error=error.to_dict()["error"])
    )


@contextmanager
def _soft_limit_raises(error: ItemTimeout) -> Iterator[None]:
    """Within the block, the soft time limit raises ``error`` instead of SoftTimeLimitExceeded.

    billiard raises SoftTimeLimitExceeded (a plain Exception) from its SIGUSR1 handler, wherever
    the pool process is; :func:`run_item` would record it as an unexpected ``internal_error``
    and log a traceback. A :class:`ServiceError` takes its path for expected failures instead:
    the item fails with the error's code and message. Only a prefork pool process (billiard's
    handler installed, tasks on the main thread) is changed; elsewhere there is no soft limit.
    """
    from billiard.pool import soft_timeout_sighandler  # type: ignore[import-untyped]

    sig = getattr(signal, "SIGUSR1", None)
    if (
        sig is None
        or threading.current_thread() is not threading.main_thread()
        or signal.getsignal(sig) is not soft_timeout_sighandler
    ):
        yield
        return

    def raise_error(signum: int, frame: FrameType | None) -> None:
        raise error

    signal.signal(sig, raise_error)
    try:
        yield
    finally:
        signal.signal(sig, soft_timeout_sighandler)


class ItemTask(Task):  # type: ignore[misc]
    """The item task's class: an item killed by the hard time limit still ends ``failed``."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Record ``item_timeout`` for an item whose pool process hit the hard time limit.

        Celery calls this in the worker's main process once it has killed the pool process
        (:meth:`celery.worker.request.Request.on_timeout`), and acknowledges the message: nothing
        else would ever finish the item. Other failures are left to Celery's own logging.
        """
        if not isinstance(exc, TimeLimitExceeded):
            return
        job_id, index = args
        limit = float(self.time_limit or self.app.conf.task_time_limit)
        try:
            _fail_item(job_id, index, _item_timeout(limit))
        except JobsUnavailable:
            log.error("job %s item %d: hard time limit, job store unreachable", job_id, index)
        else:
            log.warning("job %s item %d killed at the hard time limit (%g s)", job_id, index, limit)


def _analyze_item(task: Task, job_id: str, index: int) -> None:
    """Run one item, unless it has stopped its worker too often.

    An unreachable store is retried with back-off (the message is kept).
    """
    soft = float(task.soft_time_limit or task.app.conf.task_soft_time_limit)
    try:
        # Each delivery is counted: a message handed back every time its pool process died (a
        # photo that crashes or exhausts the reader) ends as a failed item, not a loop.
        tries = RedisJobStore(_redis()).attempt(job_id, index)
        if tries > MAX_ATTEMPTS:
            log.error("job %s item %d stopped its worker %d times", job_id, index, tries - 1)
            _fail_item(job_id, index, abandoned(tries - 1))
            return
        try:
            with _soft_limit_raises(_item_timeout(soft)):
                run_item(job_id, index, resources())
        except ItemTimeout as e:  # the soft limit fired outside the analysis (a store call)
            _fail_item(job_id, index, e)
    except JobsUnavailable as e:
        try:
            raise task.retry(exc=e, countdown=min(30, 2 ** (task.request.retries + 1))) from e
        except Reject as rejected:
            # The retry could not be sent either (the broker is this Redis too): Celery would
            # drop the message (requeue=False) and the item would stay "running". Give it back:
            # requeued if Redis answers the reject, else redelivered after the visibility timeout.
            raise Reject(rejected.reason, requeue=True) from e


def make_celery(config: Mapping[str, Any]) -> Celery:
    """A Celery app for ``config`` with the item task registered."""
    app = Celery("incilens", set_as_current=False)
    app.conf.update(celery_settings(config))
    app.task(name=TASK_NAME, bind=True, base=ItemTask, max_retries=10)(_analyze_item)
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
