"""Overload controls that need no Flask: the OCR concurrency cap and the OCR health record.

:class:`OcrGate` caps the photo analyses one worker runs at once: a non-blocking semaphore, so
a request beyond the cap gets an immediate 503 with ``Retry-After`` instead of waiting in a
queue that would only grow under overload. :class:`OcrHealth` records the engine's recent
outcomes in memory shared by the gunicorn workers (mapped before they fork), so ``/health``
says whether photos are being read, whichever worker answers. :mod:`incilens.http.limits`
sets both up for an app.
"""

from __future__ import annotations

import mmap
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from incilens.errors import OcrBusy

__all__ = ["OcrGate", "OcrHealth"]


class OcrGate:
    """At most ``limit`` photo analyses at once in this process; the next one is refused now."""

    def __init__(self, limit: int, *, retry_after: int = 2) -> None:
        """Allow ``limit`` analyses at once; refused clients retry after ``retry_after`` s."""
        if limit < 1:
            raise ValueError("OCR_MAX_CONCURRENT must be at least 1")
        self.limit = limit
        self.retry_after = max(1, retry_after)
        self._slots = threading.BoundedSemaphore(limit)
        self._lock = threading.Lock()
        self._busy = 0

    @property
    def busy(self) -> int:
        """How many analyses hold a slot now."""
        return self._busy

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the ``with`` block; raise :class:`OcrBusy` when none is free."""
        if not self._slots.acquire(blocking=False):
            raise OcrBusy(
                f"The photo reader is busy ({self.limit} photos at once per worker); "
                f"try again in {self.retry_after} s, or paste the text.",
                retry_after=self.retry_after,
            )
        with self._lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
            self._slots.release()


class OcrHealth:
    """The OCR engine's recent outcomes, in anonymous shared memory (one record per app).

    Fields: consecutive engine failures, the time of the last failure, the last failure's code
    (an index into :attr:`CODES`) and the time of the last success.
    """

    CODES = ("", "ocr_unavailable", "ocr_timeout")
    _FORMAT = "<qddq"

    def __init__(self) -> None:
        """Map the shared record (before the workers fork, so they all see one)."""
        self._map = mmap.mmap(-1, struct.calcsize(self._FORMAT))
        self._lock = threading.Lock()

    def _read(self) -> tuple[int, float, float, int]:
        failures, failed_at, ok_at, code = struct.unpack_from(self._FORMAT, self._map, 0)
        return int(failures), float(failed_at), float(ok_at), int(code)

    def _write(self, failures: int, failed_at: float, ok_at: float, code: int) -> None:
        struct.pack_into(self._FORMAT, self._map, 0, failures, failed_at, ok_at, code)

    def success(self) -> None:
        """Record a read that the engine completed."""
        with self._lock:
            _, failed_at, _, code = self._read()
            self._write(0, failed_at, time.time(), code)

    def failure(self, code: str) -> None:
        """Record an engine failure (``ocr_unavailable`` or ``ocr_timeout``)."""
        with self._lock:
            failures, _, ok_at, _ = self._read()
            index = self.CODES.index(code) if code in self.CODES else 1
            self._write(failures + 1, time.time(), ok_at, index)

    def snapshot(self) -> dict[str, Any]:
        """The record as JSON: ``failing`` when the last read ended in an engine failure."""
        failures, failed_at, ok_at, code = self._read()

        def stamp(t: float) -> str | None:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) if t else None

        return {
            "failing": failures > 0,
            "consecutive_failures": failures,
            "last_error": self.CODES[code] or None if failed_at else None,
            "last_error_at": stamp(failed_at),
            "last_success_at": stamp(ok_at),
        }
