"""Running a job's items: what a run needs, the run itself, and the embedded runner.

:func:`run_item` is the one place an item is analysed, whether a Celery task
(:mod:`incilens.jobs.celery`) or the embedded runner (:class:`ThreadRunner`) calls it. It is
safe to run twice: a finished item is left alone, so a redelivered message costs time, not a
wrong result.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import socket
import threading
from contextlib import suppress
from dataclasses import dataclass, field

from incilens.core.profile import Profile
from incilens.errors import JobsBusy, JobsUnavailable, ServiceError
from incilens.jobs.model import MAX_ATTEMPTS, Item, JobStore, abandoned
from incilens.jobs.sqlite import Claim, SqliteJobStore
from incilens.kb.knowledge import KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.ocr.tesseract import OcrEngine
from incilens.pipeline import ImageLimits, analyze_image, analyze_text

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
    """The embedded runner: a few threads in each server process, taking items from the store.

    Items wait in the SQLite store (:class:`~incilens.jobs.sqlite.SqliteJobStore`), not in this
    process's memory: each runner thread claims the oldest unfinished item with a lease, runs it
    and claims the next. A heartbeat thread renews the leases this process holds, so if the
    process dies (a killed or restarted gunicorn worker) its items are claimed again by another
    process within ``lease`` seconds, and nothing a client was promised is lost. A process that
    stops cleanly gives its items back at once.

    Threads start on :meth:`start` (gunicorn's ``post_worker_init``, see
    :mod:`incilens.http.serving`) or on first use; they never survive a fork, so each process
    starts its own.
    """

    def __init__(
        self,
        resources: Resources,
        store: SqliteJobStore,
        *,
        threads: int = 2,
        max_pending: int = 100,
        lease: float = 20.0,
        poll: float = 1.0,
    ) -> None:
        """Run items with ``threads`` threads; refuse jobs beyond ``max_pending`` open items.

        ``lease`` is how long a claimed item stays held without a heartbeat (renewed every
        quarter of it); ``poll`` how often an idle thread looks for work queued by another
        process (work queued in this one wakes it at once).
        """
        if threads < 1 or lease <= 0 or poll <= 0:
            raise ValueError("JOB_THREADS must be at least 1, JOB_LEASE and the poll positive")
        self._res = resources
        self._store = store
        self._threads = threads
        self._max_pending = max_pending
        self._lease = lease
        self._poll = poll
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._pid = 0
        self.owner = ""
        self._workers: list[threading.Thread] = []

    def start(self) -> None:
        """Start this process's threads (once per process; a no-op if running)."""
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self.owner = f"{socket.gethostname()}:{self._pid}:{secrets.token_hex(4)}"
            self._wake, self._stop = threading.Event(), threading.Event()
            self._workers = [
                threading.Thread(target=self._loop, name=f"incilens-job-{n}", daemon=True)
                for n in range(self._threads)
            ]
            self._workers.append(
                threading.Thread(target=self._heartbeat, name="incilens-job-lease", daemon=True)
            )
            for thread in self._workers:
                thread.start()
            atexit.register(self._release, self._pid, self.owner)
        log.info("job runner %s started with %d threads", self.owner, self._threads)

    def submit(self, job_id: str, count: int) -> None:
        """Wake the runners for a job just stored.

        Raises :class:`JobsBusy` when the server's backlog (this job included) is over
        ``max_pending`` items; the caller then deletes the job.
        """
        backlog = self._store.backlog()
        if backlog > self._max_pending:
            raise JobsBusy(
                f"{backlog - count} items are already waiting here; retry in a few seconds.",
                retry_after=5,
            )
        self.start()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                claim = self._store.claim(self.owner, self._lease)
            except Exception:  # a locked or vanished file: try again later, never die
                log.exception("job runner could not claim an item")
                claim = None
            if claim is None:
                self._wake.wait(self._poll)
                self._wake.clear()
                continue
            self._run(claim)

    def _run(self, claim: Claim) -> None:
        try:
            if claim.attempts > MAX_ATTEMPTS:
                self._abandon(claim)
            else:
                run_item(claim.job_id, claim.index, self._res)
        except Exception:
            log.exception("job %s item %d could not be run", claim.job_id, claim.index)

    def _abandon(self, claim: Claim) -> None:
        """Fail an item that stopped its runner every time it was tried."""
        job = self._store.get(claim.job_id)
        if job is None:
            return
        tries = claim.attempts - 1
        log.error("job %s item %d stopped its runner %d times", claim.job_id, claim.index, tries)
        kind = job.items[claim.index].kind
        item = Item(kind, "failed", error=abandoned(tries).to_dict()["error"])
        self._store.update(claim.job_id, claim.index, item)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self._lease / 4):
            try:
                self._store.renew(self.owner, self._lease)
            except Exception:
                log.exception("job runner could not renew its leases")

    def _release(self, pid: int, owner: str) -> None:
        if os.getpid() == pid:  # at exit of the process that started the threads
            with suppress(Exception):
                self._store.release(owner)

    def shutdown(self) -> None:
        """Stop the threads after their current items and give back what is held (tests)."""
        self._stop.set()
        self._wake.set()
        for thread in self._workers:
            thread.join(timeout=60)
        self._release(os.getpid(), self.owner)
        with self._lock:
            self._pid = 0
