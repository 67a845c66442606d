"""The app's long-lived state, in one typed place: :class:`AppState` in ``app.extensions``.

Everything the factory builds once per app (before gunicorn forks, so workers share it) lives
in one :class:`AppState`: the knowledge base and its matcher, the OCR engine and its cache, the
API keys, the rate limiter, the OCR gate and health record, the jobs and the hooks each worker
runs after the fork. :func:`app_state` returns it; the ``get_...()`` helpers hand out one part
each and say which ``init_...`` was not run when a part is missing. The knowledge base and its
matcher are read-only once built, so apps built in one process from the same unchanged file
share them (a test suite builds many apps; a server builds one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from flask import Flask, current_app

from incilens.kb.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.kb.matching import Matcher
from incilens.ocr.cache import CachingEngine, MemoryOcrCache, OcrCache, RedisOcrCache
from incilens.ocr.tesseract import OcrEngine, engine_from_config

if TYPE_CHECKING:
    from flask_limiter import Limiter

    from incilens.http.keystore import ApiKeys
    from incilens.http.overload import OcrGate, OcrHealth
    from incilens.jobs.model import JobStore
    from incilens.jobs.runner import ThreadRunner

__all__ = [
    "AppState",
    "JobRunner",
    "JobsState",
    "app_state",
    "get_cached_engine",
    "get_engine",
    "get_kb",
    "get_matcher",
    "init_kb",
    "init_ocr",
    "init_ocr_cache",
]


T = TypeVar("T")


class JobRunner(Protocol):
    """What runs a job's items: the embedded thread runner, or Celery."""

    def submit(self, job_id: str, count: int) -> None:
        """Queue the ``count`` items of job ``job_id``."""


@dataclass
class JobsState:
    """Where jobs are kept and who runs them."""

    store: JobStore
    runner: JobRunner
    mode: Literal["embedded", "celery"]
    #: The embedded runner (started in each worker after the fork, or on first use); None
    #: when Celery workers run the items.
    embedded: ThreadRunner | None = None


@dataclass
class AppState:
    """Everything one app builds once, each part set by its ``init_...`` function."""

    kb: KnowledgeBase | None = None
    matcher: Matcher | None = None
    ocr: OcrEngine | None = None
    ocr_cache: OcrCache | None = None
    keys: ApiKeys | None = None
    limiter: Limiter | None = None
    ocr_gate: OcrGate | None = None
    ocr_health: OcrHealth | None = None
    jobs: JobsState | None = None
    #: Run in each gunicorn worker once it has booted (incilens.http.serving).
    after_fork: list[Callable[[], None]] = field(default_factory=list)


def app_state(app: Flask | None = None) -> AppState:
    """The :class:`AppState` of ``app`` (default: the current app), made on first use."""
    target = current_app if app is None else app
    state = target.extensions.get("incilens")
    if state is None:
        state = target.extensions["incilens"] = AppState()
    assert isinstance(state, AppState)
    return state


def need(part: T | None, what: str) -> T:
    """``part`` of the state, or a clear error naming the set-up step that did not run."""
    if part is None:
        raise RuntimeError(f"{what} is not set up: build the app with create_app()")
    return part


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
    state = app_state(app)
    state.kb, state.matcher = kb, matcher
    return kb


def get_kb() -> KnowledgeBase:
    """Return the current app's knowledge base."""
    return need(app_state().kb, "the knowledge base (init_kb)")


def get_matcher() -> Matcher:
    """Return the current app's matcher."""
    return need(app_state().matcher, "the matcher (init_kb)")


def init_ocr(app: Flask) -> OcrEngine:
    """Set up the OCR engine: ``OCR_ENGINE`` when given (tests, plug-ins), else Tesseract."""
    engine = engine_from_config(app.config)
    app_state(app).ocr = engine
    return engine


def get_engine() -> OcrEngine:
    """Return the current app's OCR engine."""
    return need(app_state().ocr, "the OCR engine (init_ocr)")


def init_ocr_cache(app: Flask, client: Any = None) -> OcrCache:
    """Set up the app's OCR cache: in Redis when ``client`` is given, else in memory."""
    cache: OcrCache
    if client is not None:
        cache = RedisOcrCache(client, ttl=int(app.config.get("JOB_TTL", 3600)))
    else:
        cache = MemoryOcrCache(int(app.config.get("OCR_CACHE_SIZE", 256)))
    app_state(app).ocr_cache = cache
    return cache


def get_cached_engine() -> OcrEngine:
    """The current app's OCR engine behind its cache (the engine itself if there is no cache).

    The photo route uses it in place of ``get_engine()``.
    """
    state = app_state()
    engine = need(state.ocr, "the OCR engine (init_ocr)")
    return engine if state.ocr_cache is None else CachingEngine(engine, state.ocr_cache)
