"""The embedded job store and queue: one SQLite file shared by the gunicorn workers of a server.

With no Redis, a job's ``GET`` may reach any worker of the server, and the worker that took a
job may die before finishing it; a store in one process's memory would answer 404 in the first
case and lose the job in the second. The app makes a private directory before gunicorn forks
and every process opens the same file (WAL mode, a busy timeout), one connection per thread.

The file is also the queue. A runner *claims* an unfinished item with a lease (a deadline it
keeps pushing back while the item runs, :meth:`SqliteJobStore.renew`); an item whose lease has
run out, because its process was killed, is claimed again by any other runner. Each claim is
counted, so an item that has stopped its runner :data:`~incilens.jobs.MAX_ATTEMPTS` times is
failed rather than retried forever. Expired jobs are deleted as the store is used; the
directory is removed when the process that made it exits.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incilens.jobs.model import Item, Job

__all__ = ["Claim", "SqliteJobStore"]

# An item is unfinished while it still holds its input (a finished one drops it). ``lease`` is
# the time until which a runner holds it (NULL: nobody), ``owner`` that runner.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, meta TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    job TEXT NOT NULL, idx INTEGER NOT NULL, state TEXT, input BLOB,
    lease REAL, owner TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job, idx)
);
CREATE INDEX IF NOT EXISTS items_open ON items (lease) WHERE input IS NOT NULL;
"""


@dataclass(frozen=True)
class Claim:
    """An item a runner now holds: which one, and how many times it has been claimed."""

    job_id: str
    index: int
    attempts: int

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON (logs)."""
        return {"job_id": self.job_id, "index": self.index, "attempts": self.attempts}


class SqliteJobStore:
    """Jobs in a SQLite file: shared by the processes of one machine, gone when they are."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        """Use (and create) the database at ``path``; ``clock`` is injectable for tests."""
        self.path = path
        self._clock = clock
        self._local = threading.local()
        with self._db() as db:
            db.executescript(_SCHEMA)

    def _db(self) -> sqlite3.Connection:
        """This thread's connection (a forked process opens its own)."""
        if getattr(self._local, "pid", None) != os.getpid():
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db, self._local.pid = db, os.getpid()
        conn: sqlite3.Connection = self._local.db
        return conn

    def _purge(self, db: sqlite3.Connection) -> None:
        gone = [
            row[0] for row in db.execute("SELECT id FROM jobs WHERE expires <= ?", (self._clock(),))
        ]
        for job_id in gone:
            db.execute("DELETE FROM items WHERE job = ?", (job_id,))
            db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    def create(self, job: Job, inputs: list[bytes]) -> None:  # noqa: D102
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            self._purge(db)
            db.execute(
                "INSERT INTO jobs VALUES (?, ?, ?)", (job.id, json.dumps(job.meta()), job.expires)
            )
            db.executemany(
                "INSERT INTO items (job, idx, input) VALUES (?, ?, ?)",
                [(job.id, i, data) for i, data in enumerate(inputs)],
            )

    def get(self, job_id: str) -> Job | None:  # noqa: D102
        db = self._db()
        row = db.execute(
            "SELECT meta FROM jobs WHERE id = ? AND expires > ?", (job_id, self._clock())
        ).fetchone()
        if row is None:
            return None
        states = {
            idx: json.loads(state)
            for idx, state in db.execute(
                "SELECT idx, state FROM items WHERE job = ? AND state IS NOT NULL", (job_id,)
            )
        }
        return Job.from_stored(json.loads(row[0]), states)

    def load_input(self, job_id: str, index: int) -> bytes | None:  # noqa: D102
        row = (
            self._db()
            .execute(
                "SELECT items.input FROM items JOIN jobs ON jobs.id = items.job "
                "WHERE items.job = ? AND items.idx = ? AND jobs.expires > ?",
                (job_id, index, self._clock()),
            )
            .fetchone()
        )
        return None if row is None or row[0] is None else bytes(row[0])

    def update(self, job_id: str, index: int, item: Item) -> bool:  # noqa: D102
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            cursor = db.execute(
                "UPDATE items SET state = ?, input = CASE WHEN ? THEN NULL ELSE input END "
                "WHERE job = ? AND idx = ? "
                "AND EXISTS (SELECT 1 FROM jobs WHERE id = ? AND expires > ?)",
                (json.dumps(item.state()), item.final, job_id, index, job_id, self._clock()),
            )
            return cursor.rowcount > 0

    def delete(self, job_id: str) -> None:  # noqa: D102
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM items WHERE job = ?", (job_id,))
            db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))

    # -- the queue (embedded runners) ------------------------------------------------------------
    def backlog(self) -> int:
        """Unfinished items of live jobs, on the whole server."""
        row = (
            self._db()
            .execute(
                "SELECT count(*) FROM items JOIN jobs ON jobs.id = items.job "
                "WHERE items.input IS NOT NULL AND jobs.expires > ?",
                (self._clock(),),
            )
            .fetchone()
        )
        return int(row[0])

    def claim(self, owner: str, lease: float) -> Claim | None:
        """Take the oldest unfinished item nobody holds (or whose holder stopped renewing).

        The item is held by ``owner`` for ``lease`` seconds; None when there is nothing to do.
        """
        db = self._db()
        now = self._clock()
        with db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute(
                "SELECT items.rowid, items.job, items.idx, items.attempts FROM items "
                "JOIN jobs ON jobs.id = items.job "
                "WHERE items.input IS NOT NULL AND (items.lease IS NULL OR items.lease <= ?) "
                "AND jobs.expires > ? ORDER BY items.rowid LIMIT 1",
                (now, now),
            ).fetchone()
            if row is None:
                return None
            rowid, job_id, index, attempts = row
            db.execute(
                "UPDATE items SET lease = ?, owner = ?, attempts = ? WHERE rowid = ?",
                (now + lease, owner, attempts + 1, rowid),
            )
        return Claim(job_id, index, attempts + 1)

    def renew(self, owner: str, lease: float) -> int:
        """Push back the lease of every unfinished item ``owner`` holds; how many it holds."""
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            cursor = db.execute(
                "UPDATE items SET lease = ? WHERE owner = ? AND input IS NOT NULL",
                (self._clock() + lease, owner),
            )
            return cursor.rowcount

    def release(self, owner: str) -> None:
        """Give back every unfinished item ``owner`` holds (a runner stopping), for others."""
        db = self._db()
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "UPDATE items SET lease = NULL, owner = NULL, attempts = max(attempts - 1, 0) "
                "WHERE owner = ? AND input IS NOT NULL",
                (owner,),
            )
