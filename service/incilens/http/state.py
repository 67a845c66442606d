"""Flask wiring of the long-lived resources: knowledge base, matcher, OCR engine and cache.

Each is built once per app (before gunicorn forks, so workers share them) and handed out by a
``get_...()`` helper from ``app.extensions["incilens"]``. The knowledge base and its matcher are
read-only once built, so apps built in one process from the same unchanged file share them
(a test suite builds many apps; a server builds one).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.ocr.cache import CachingEngine, MemoryOcrCache, OcrCache, RedisOcrCache
from incilens.ocr.tesseract import OcrEngine, engine_from_config

__all__ = [
    "get_cached_engine",
    "get_engine",
    "get_kb",
    "get_matcher",
    "init_kb",
    "init_ocr",
    "init_ocr_cache",
]


@lru_cache(maxsize=2)
def _load(path: Path, stamp: tuple[int, int]) -> tuple[KnowledgeBase, Matcher]:
    """The knowledge base at ``path`` and its matcher, for one version (mtime, size) of the file."""
    kb = KnowledgeBase.load(path)
    return kb, Matcher(kb)


def init_kb(app: Flask) -> KnowledgeBase:
    """Load the knowledge base named by ``KB_PATH`` (or the packaged one) and its matcher.

    Raises:
        KnowledgeBaseError: The file is missing or corrupt; the message names it.
    """
    path = Path(app.config["KB_PATH"]) if app.config.get("KB_PATH") else DEFAULT_KB_PATH
    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = (0, -1)  # missing: let load() say so, naming the file
    kb, matcher = _load(path.resolve(), stamp) if stamp[1] >= 0 else _load(path, stamp)
    state = app.extensions.setdefault("incilens", {})
    state["kb"] = kb
    state["matcher"] = matcher
    return kb


def get_kb() -> KnowledgeBase:
    """Return the current app's knowledge base."""
    kb: KnowledgeBase = current_app.extensions["incilens"]["kb"]
    return kb


def get_matcher() -> Matcher:
    """Return the current app's matcher."""
    matcher: Matcher = current_app.extensions["incilens"]["matcher"]
    return matcher


def init_ocr(app: Flask) -> OcrEngine:
    """Set up the OCR engine: ``OCR_ENGINE`` when given (tests, plug-ins), else Tesseract."""
    engine = engine_from_config(app.config)
    app.extensions.setdefault("incilens", {})["ocr"] = engine
    return engine


def get_engine() -> OcrEngine:
    """Return the current app's OCR engine."""
    engine: OcrEngine = current_app.extensions["incilens"]["ocr"]
    return engine


def init_ocr_cache(app: Flask, client: Any = None) -> OcrCache:
    """Set up the app's OCR cache: in Redis when ``client`` is given, else in memory."""
    cache: OcrCache
    if client is not None:
        cache = RedisOcrCache(client, ttl=int(app.config.get("JOB_TTL", 3600)))
    else:
        cache = MemoryOcrCache(int(app.config.get("OCR_CACHE_SIZE", 256)))
    app.extensions.setdefault("incilens", {})["ocr_cache"] = cache
    return cache


def get_cached_engine() -> OcrEngine:
    """The current app's OCR engine behind its cache (the engine itself if there is no cache).

    The photo route uses it in place of ``get_engine()``.
    """
    state = current_app.extensions["incilens"]
    engine: OcrEngine = state["ocr"]
    cache: OcrCache | None = state.get("ocr_cache")
    return engine if cache is None else CachingEngine(engine, cache)
