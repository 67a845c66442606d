"""The embedded job store: one SQLite file shared by the gunicorn workers of one machine.

With no Redis, a job is run by the worker process that accepted it, but its ``GET`` may reach
any worker of the same server; a store in one process's memory would answer 404 there. The
app makes a private directory before gunicorn forks and every process opens the same file
(WAL mode, a busy timeout), one connection per thread. Expired jobs are deleted as the store is
used; the directory is removed when the process that made it exits.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from incilens.jobs import Item, Job

__all__ = ["SqliteJobStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, meta TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    job TEXT NOT NULL, idx INTEGER NOT NULL, state TEXT, input BLOB, PRIMARY KEY (job, idx)
);
"""


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
                "INSERT INTO items VALUES (?, ?, NULL, ?)",
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
