"""Running a job's items: what a run needs, the run itself, and the embedded runner.

:func:`run_item` is the one place an item is analysed, whether a Celery task
(:mod:`incilens.worker`) or the embedded thread pool (:class:`ThreadRunner`) calls it. It is
safe to run twice: a finished item is left alone, so a redelivered message costs time, not a
wrong result.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from incilens.errors import JobsBusy, JobsUnavailable, ServiceError
from incilens.jobs import Item, JobStore
from incilens.knowledge import KnowledgeBase
from incilens.matching import Matcher
from incilens.ocr import OcrEngine
from incilens.pipeline import ImageLimits, analyze_image, analyze_text
from incilens.profile import Profile

__all__ = ["Resources", "ThreadRunner", "run_item"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resources:
    """What running an item needs: built once per process (the KB and matcher are large)."""

    store: JobStore
    kb: KnowledgeBase
    matcher: Matcher
    engine: OcrEngine
    limits: ImageLimits = field(default_factory=ImageLimits)
    max_items: int = 300


def run_item(job_id: str, index: int, res: Resources) -> Item | None:
    """Analyse item ``index`` of a job and record its report or error.

    Safe to run twice (a redelivered message): a finished item is left alone. Errors of the
    analysis become the item's error; only an unreachable store escapes (as
    :class:`~incilens.errors.JobsUnavailable`), so that the item can be retried.

    Returns:
        The item as recorded, or None when the job has expired or the item was already done.
    """
    job = res.store.get(job_id)
    if job is None or job.items[index].final:
        return None
    kind = job.items[index].kind
    data = res.store.load_input(job_id, index)
    if data is None:
        return None
    res.store.update(job_id, index, Item(kind, "running"))
    profile = Profile(**job.profile) if job.profile else Profile()
    try:
        if kind == "text":
            report = analyze_text(
                data.decode("utf-8"),
                kb=res.kb,
                matcher=res.matcher,
                profile=profile,
                max_items=res.max_items,
            )
        else:
            report = analyze_image(
                data,
                kb=res.kb,
                matcher=res.matcher,
                engine=res.engine,
                profile=profile,
                limits=res.limits,
                max_items=res.max_items,
            )
        item = Item(kind, "done", report=report.to_dict())
    except JobsUnavailable:
        raise
    except ServiceError as e:
        item = Item(kind, "failed", error=e.to_dict()["error"])
    except Exception:
        log.exception("job %s item %d failed unexpectedly", job_id, index)
        message = "Something went wrong analysing this item; submit it again."
        item = Item(kind, "failed", error={"code": "internal_error", "message": message})
    return item if res.store.update(job_id, index, item) else None


class ThreadRunner:
    """The embedded runner: a small thread pool in this process, with a bounded backlog.

    The pool is created on first use in each process, so an app built before gunicorn forks
    gets one pool per worker process (threads do not survive a fork).
    """

    def __init__(self, resources: Resources, *, threads: int = 2, max_pending: int = 100) -> None:
        """Run items with ``threads`` threads; refuse work beyond ``max_pending`` items."""
        self._res = resources
        self._threads = threads
        self._max_pending = max_pending
        self._lock = threading.Lock()
        self._pending = 0
        self._pool: ThreadPoolExecutor | None = None
        self._pid = 0

    def submit(self, job_id: str, count: int) -> None:
        """Queue the job's ``count`` items, or raise :class:`JobsBusy` when the backlog is full."""
        with self._lock:
            if self._pending + count > self._max_pending:
                raise JobsBusy(
                    f"{self._pending} items are already waiting here; retry in a few seconds.",
                    retry_after=5,
                )
            if self._pool is None or self._pid != os.getpid():
                self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="incilens-job")
                self._pid = os.getpid()
            self._pending += count
            pool = self._pool
        for index in range(count):
            pool.submit(self._run, job_id, index)

    def _run(self, job_id: str, index: int) -> None:
        try:
            run_item(job_id, index, self._res)
        except Exception:
            log.exception("job %s item %d could not be run", job_id, index)
        finally:
            with self._lock:
                self._pending -= 1

    def shutdown(self) -> None:
        """Wait for running items and stop the pool (tests; a server simply exits)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
