"""The OCR result cache: a photo sent twice is read once.

Each read is keyed by the SHA-256 of the pixels the engine is given (mode, size and bytes) with
the engine's name, version, languages, engine mode and page-segmentation mode. Keying the
pixels rather than the uploaded file means every read of a photo is cached (the first read and
the second strategies alike), and a change to the preprocessing can never serve a stale read:
different pixels, different key. Hashing a prepared label costs a few milliseconds; a read
costs about a second.

The cache lives in the process's memory (an LRU of ``OCR_CACHE_SIZE`` reads) unless
``REDIS_URL`` is set, in which case every API replica and worker shares it in Redis, each read
kept for ``JOB_TTL`` seconds. A cache that fails is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from typing import Any, Protocol

from PIL import Image

from incilens.core.models import OcrResult, OcrWord
from incilens.ocr import tesseract
from incilens.ocr.tesseract import OcrEngine

__all__ = [
    "CachingEngine",
    "MemoryOcrCache",
    "OcrCache",
    "RedisOcrCache",
    "read_key",
]

log = logging.getLogger(__name__)

#: Bump when the stored form of a read changes.
CACHE_FORMAT = "1"


class OcrCache(Protocol):
    """Where reads are kept, by key."""

    def get(self, key: str) -> OcrResult | None:
        """The read stored under ``key``, or None."""
        ...

    def put(self, key: str, result: OcrResult) -> None:
        """Store a read under ``key``."""
        ...


def read_key(image: Image.Image, engine: Any, psm: int) -> str:
    """The cache key of reading ``image`` with ``engine`` at ``psm``.

    Examples:
        >>> from types import SimpleNamespace
        >>> engine = SimpleNamespace(name="demo", languages="eng")
        >>> white, black = Image.new("L", (4, 4), 255), Image.new("L", (4, 4), 0)
        >>> read_key(white, engine, 3) == read_key(white.copy(), engine, 3)
        True
        >>> read_key(white, engine, 3) == read_key(black, engine, 3)
        False
        >>> read_key(white, engine, 3) == read_key(white, engine, 6)
        False
    """
    version = tesseract.version() if engine.name == "tesseract" else getattr(engine, "version", "")
    options = {
        "format": CACHE_FORMAT,
        "engine": engine.name,
        "version": version or "",
        "languages": str(getattr(engine, "languages", "")),
        "oem": str(getattr(engine, "oem", "")),
        "psm": psm,
        "mode": image.mode,
        "size": list(image.size),
    }
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def _dump(result: OcrResult) -> bytes:
    words = [
        [w.text, w.start, w.end, w.left, w.top, w.width, w.height, w.confidence, w.line]
        for w in result.words
    ]
    body = {
        "text": result.text,
        "engine": result.engine,
        "version": result.version,
        "languages": result.languages,
        "config": result.config,
        "words": words,
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _load(raw: bytes) -> OcrResult:
    body = json.loads(raw)
    words = tuple(OcrWord(*row) for row in body.pop("words"))
    return OcrResult(words=words, **body)


class MemoryOcrCache:
    """An LRU of reads in this process's memory."""

    def __init__(self, maxsize: int = 256) -> None:
        """Keep at most ``maxsize`` reads (a label's read is some tens of kilobytes)."""
        self.maxsize = maxsize
        self._lock = threading.Lock()
        self._data: OrderedDict[str, OcrResult] = OrderedDict()

    def get(self, key: str) -> OcrResult | None:  # noqa: D102
        with self._lock:
            result = self._data.get(key)
            if result is not None:
                self._data.move_to_end(key)
            return result

    def put(self, key: str, result: OcrResult) -> None:  # noqa: D102
        with self._lock:
            self._data[key] = result
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)


class RedisOcrCache:
    """Reads in Redis, shared by every process; each expires after ``ttl`` seconds."""

    def __init__(self, client: Any, *, ttl: int, prefix: str = "incilens:ocr:") -> None:
        """Use ``client`` (a ``redis.Redis`` with short socket timeouts)."""
        self._client = client
        self._ttl = max(1, int(ttl))
        self._prefix = prefix

    def get(self, key: str) -> OcrResult | None:  # noqa: D102
        import redis

        try:
            raw = self._client.get(self._prefix + key)
            return None if raw is None else _load(raw)
        except (redis.RedisError, ValueError, TypeError, KeyError) as e:
            log.warning("OCR cache read failed (a miss): %s", e)
            return None

    def put(self, key: str, result: OcrResult) -> None:  # noqa: D102
        import redis

        try:
            self._client.set(self._prefix + key, _dump(result), ex=self._ttl)
        except redis.RedisError as e:
            log.warning("OCR cache write failed (ignored): %s", e)


class CachingEngine:
    """An :class:`~incilens.ocr.OcrEngine` that asks the cache before reading."""

    def __init__(self, engine: OcrEngine, cache: OcrCache) -> None:
        """Wrap ``engine``; reads are stored in and served from ``cache``."""
        self.engine = engine
        self.cache = cache
        self.name = engine.name
        self.hits = 0
        self.misses = 0

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        """Return the cached read of these pixels, or read them and cache the result."""
        key = read_key(image, self.engine, psm)
        cached = self.cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        result = self.engine.recognize(image, psm=psm)
        self.cache.put(key, result)
        return result
