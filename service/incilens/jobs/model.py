"""Batch jobs: the job model, and where jobs, their inputs and their results are kept.

A job is a batch of items (label photos and texts) submitted together. Each item is analysed on
its own, by whichever worker takes it, and ends with either its report or an error in the one
error shape (``{"error": {"code", "message"}}``). The job's status follows from its items:
``queued`` (none started), ``running``, ``done`` (all finished, at least one with a report) or
``failed`` (all finished, none with a report).

Three stores keep jobs, their inputs and their results for ``JOB_TTL`` seconds:
:class:`MemoryJobStore` (one process), :class:`~incilens.jobs.sqlite.SqliteJobStore` (the
embedded default: one file shared by the gunicorn workers of a server) and
:class:`RedisJobStore` (shared by API replicas and Celery workers, see :mod:`incilens.jobs.celery`).
Item results are written field by field, so workers finishing items of one job at once never
overwrite each other, and a result is never written to a job that has expired. Items are run
by :mod:`incilens.jobs.runner`.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

from incilens.errors import ItemAbandoned, JobsUnavailable

__all__ = [
    "MAX_ATTEMPTS",
    "Item",
    "Job",
    "JobStore",
    "MemoryJobStore",
    "RedisJobStore",
    "abandoned",
    "new_job",
]

log = logging.getLogger(__name__)

Status = Literal["queued", "running", "done", "failed"]
Kind = Literal["text", "image"]

#: Times one item may be started before it is failed instead (each time, the process running it
#: died: a photo that crashes or exhausts whatever reads it must not be retried forever).
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Item:
    """One item of a job: what it is and, once finished, its report or its error."""

    kind: Kind
    status: Status = "queued"
    report: dict[str, Any] | None = None
    error: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.status == "done" and self.report is None:
            raise ValueError("a done item carries its report")
        if self.status == "failed" and self.error is None:
            raise ValueError("a failed item carries its error")

    @property
    def final(self) -> bool:
        """Whether the item has finished (with a report or an error)."""
        return self.status in ("done", "failed")

    def state(self) -> dict[str, Any]:
        """The item's mutable part, as stored."""
        return {"status": self.status, "report": self.report, "error": self.error}


@dataclass(frozen=True)
class Job:
    """A batch of items with its id, profile and lifetime (Unix seconds).

    ``owner`` is the name of the API key that submitted it, if any: only that key may read it.
    """

    id: str
    created: float
    expires: float
    items: tuple[Item, ...]
    profile: dict[str, Any] = field(default_factory=dict)
    owner: str | None = None

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a job has at least one item")
        if self.expires < self.created:
            raise ValueError("a job cannot expire before it is created")

    @property
    def status(self) -> Status:
        """``queued``, ``running``, ``done`` or ``failed``, from the items' statuses."""
        if all(item.final for item in self.items):
            return "done" if any(item.status == "done" for item in self.items) else "failed"
        if any(item.status != "queued" for item in self.items):
            return "running"
        return "queued"

    def meta(self) -> dict[str, Any]:
        """The job's fixed part, as stored."""
        kinds = [item.kind for item in self.items]
        return {
            "id": self.id,
            "created": self.created,
            "expires": self.expires,
            "kinds": kinds,
            "profile": self.profile,
            "owner": self.owner,
        }

    @classmethod
    def from_stored(cls, meta: dict[str, Any], states: dict[int, dict[str, Any]]) -> Job:
        """Rebuild a job from its stored meta and the item states written so far."""
        items = tuple(
            Item(kind, **states[i]) if i in states else Item(kind)
            for i, kind in enumerate(meta["kinds"])
        )
        return cls(
            meta["id"], meta["created"], meta["expires"], items, meta["profile"], meta.get("owner")
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of ``GET /v1/jobs/<id>``."""
        counts = {s: sum(item.status == s for item in self.items) for s in Status.__args__}  # type: ignore[attr-defined]
        items = []
        for i, item in enumerate(self.items):
            body: dict[str, Any] = {"index": i, "kind": item.kind, "status": item.status}
            if item.report is not None:
                body["report"] = item.report
            if item.error is not None:
                body["error"] = item.error
            items.append(body)
        return {
            "id": self.id,
            "status": self.status,
            "created_at": _iso(self.created),
            "expires_at": _iso(self.expires),
            "counts": counts,
            "items": items,
        }


def abandoned(attempts: int) -> ItemAbandoned:
    """The error of an item that stopped the process running it on each of its ``attempts``."""
    return ItemAbandoned(
        f"This item stopped the analysis each of the {attempts} times it was tried; it was not "
        "analysed. Check the photo or send it again on its own."
    )


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def new_job(
    kinds: list[Kind],
    *,
    ttl: float,
    profile: dict[str, Any] | None = None,
    owner: str | None = None,
) -> Job:
    """A new queued job with an unguessable id (with ``owner``'s key, the key to its results)."""
    now = time.time()
    items = tuple(Item(kind) for kind in kinds)
    return Job(secrets.token_urlsafe(16), now, now + ttl, items, profile or {}, owner)


class JobStore(Protocol):
    """Where jobs, their inputs and their results live until they expire."""

    def create(self, job: Job, inputs: list[bytes]) -> None:
        """Store a new job and its inputs (one per item: photo bytes or UTF-8 text)."""
        ...

    def get(self, job_id: str) -> Job | None:
        """The job with its items as they stand, or None if unknown or expired."""
        ...

    def load_input(self, job_id: str, index: int) -> bytes | None:
        """An item's input, or None once the item has finished or the job has expired."""
        ...

    def update(self, job_id: str, index: int, item: Item) -> bool:
        """Record an item's new state (a finished item also drops its input); False if expired."""
        ...

    def delete(self, job_id: str) -> None:
        """Forget a job (used when it could not be queued)."""
        ...


class MemoryJobStore:
    """Jobs in this process's memory (a single-process server, and tests)."""

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        """Keep jobs until their expiry time; ``clock`` is injectable for tests."""
        self._clock = clock
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[Job, list[bytes | None]]] = {}

    def _purge(self) -> None:
        now = self._clock()
        for job_id in [k for k, (job, _) in self._jobs.items() if job.expires <= now]:
            del self._jobs[job_id]

    def create(self, job: Job, inputs: list[bytes]) -> None:  # noqa: D102
        with self._lock:
            self._purge()
            self._jobs[job.id] = (job, list(inputs))

    def get(self, job_id: str) -> Job | None:  # noqa: D102
        with self._lock:
            self._purge()
            entry = self._jobs.get(job_id)
            return entry[0] if entry else None

    def load_input(self, job_id: str, index: int) -> bytes | None:  # noqa: D102
        with self._lock:
            self._purge()
            entry = self._jobs.get(job_id)
            return entry[1][index] if entry else None

    def update(self, job_id: str, index: int, item: Item) -> bool:  # noqa: D102
        with self._lock:
            self._purge()
            entry = self._jobs.get(job_id)
            if entry is None:
                return False
            job, inputs = entry
            items = list(job.items)
            items[index] = item
            if item.final:
                inputs[index] = None
            self._jobs[job_id] = (replace(job, items=tuple(items)), inputs)
            return True

    def delete(self, job_id: str) -> None:  # noqa: D102
        with self._lock:
            self._jobs.pop(job_id, None)


# Writes an item's state only while the job exists, so an expired job is never resurrected
# without a TTL; a finished item also drops its input.
_UPDATE = """
if redis.call('exists', KEYS[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
if ARGV[3] == '1' then redis.call('hdel', KEYS[2], ARGV[4]) end
return 1
"""


# Counts a start of an item, kept exactly as long as its job (-1: the job is gone).
_ATTEMPT = """
local ttl = redis.call('pttl', KEYS[1])
if ttl < 0 then return -1 end
local n = redis.call('hincrby', KEYS[2], ARGV[1], 1)
redis.call('pexpire', KEYS[2], ttl)
return n
"""


class RedisJobStore:
    """Jobs in Redis, shared by every API replica and worker; keys expire after the job's TTL.

    ``incilens:job:<id>`` is a hash (``meta`` and one ``item:<n>`` field per started item);
    ``incilens:job:<id>:in`` holds the inputs not yet consumed. A Redis that cannot be reached
    raises :class:`~incilens.errors.JobsUnavailable` (a 503), never a bare connection error.
    """

    def __init__(self, client: Any, *, prefix: str = "incilens:job:") -> None:
        """Use ``client`` (a ``redis.Redis`` with short socket timeouts)."""
        self._client = client
        self._prefix = prefix
        self._update = client.register_script(_UPDATE)
        self._attempt = client.register_script(_ATTEMPT)

    def _keys(self, job_id: str) -> tuple[str, str]:
        return f"{self._prefix}{job_id}", f"{self._prefix}{job_id}:in"

    def _call(self, fn: Callable[[], Any]) -> Any:
        import redis

        try:
            return fn()
        except (redis.ConnectionError, redis.TimeoutError) as e:
            log.warning("job store unreachable: %s", e)
            raise JobsUnavailable(
                "The job service is unreachable for a moment; retry shortly.", retry_after=2
            ) from e

    def create(self, job: Job, inputs: list[bytes]) -> None:  # noqa: D102
        key, in_key = self._keys(job.id)
        ttl = max(1, round(job.expires - job.created))
        pipe = self._client.pipeline(transaction=True)
        pipe.hset(key, "meta", json.dumps(job.meta()))
        pipe.hset(in_key, mapping={str(i): data for i, data in enumerate(inputs)})
        pipe.expire(key, ttl)
        pipe.expire(in_key, ttl)
        self._call(pipe.execute)

    def get(self, job_id: str) -> Job | None:  # noqa: D102
        raw: dict[bytes, bytes] = self._call(lambda: self._client.hgetall(self._keys(job_id)[0]))
        if b"meta" not in raw:
            return None
        states = {
            int(k.split(b":")[1]): json.loads(v) for k, v in raw.items() if k.startswith(b"item:")
        }
        return Job.from_stored(json.loads(raw[b"meta"]), states)

    def load_input(self, job_id: str, index: int) -> bytes | None:  # noqa: D102
        data: bytes | None = self._call(
            lambda: self._client.hget(self._keys(job_id)[1], str(index))
        )
        return data

    def update(self, job_id: str, index: int, item: Item) -> bool:  # noqa: D102
        key, in_key = self._keys(job_id)
        args = [f"item:{index}", json.dumps(item.state()), "1" if item.final else "0", str(index)]
        return bool(self._call(lambda: self._update(keys=[key, in_key], args=args)))

    def attempt(self, job_id: str, index: int) -> int:
        """Count one more start of item ``index``: how many there have been (-1: job gone)."""
        key = self._keys(job_id)[0]
        keys = [key, f"{key}:tries"]
        return int(self._call(lambda: self._attempt(keys=keys, args=[str(index)])))

    def delete(self, job_id: str) -> None:  # noqa: D102
        self._call(
            lambda: self._client.delete(*self._keys(job_id), f"{self._prefix}{job_id}:tries")
        )
