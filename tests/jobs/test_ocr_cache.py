"""The OCR result cache: keys, the in-memory LRU, the Redis store and a failing Redis."""

from __future__ import annotations

import pytest
from PIL import Image

from incilens import create_app
from incilens.http.state import get_cached_engine
from incilens.jobs.celery import redis_client
from incilens.ocr.cache import CachingEngine, MemoryOcrCache, RedisOcrCache, read_key
from tests.fakes import FakeOcrEngine

from .conftest import RedisServer, free_port, jobs_app

TEXT = "Ingredients: Aqua, Glycerin,\nNiacinamide"


def image(shade: int = 255, size: tuple[int, int] = (40, 20)) -> Image.Image:
    return Image.new("L", size, shade)


KEY_CHANGES = [
    ("other pixels", lambda: (image(0), FakeOcrEngine(TEXT), 3)),
    ("other size", lambda: (image(255, (20, 40)), FakeOcrEngine(TEXT), 3)),
    ("other mode", lambda: (image().convert("RGB"), FakeOcrEngine(TEXT), 3)),
    ("other psm", lambda: (image(), FakeOcrEngine(TEXT), 6)),
]


@pytest.mark.parametrize(("why", "make"), KEY_CHANGES, ids=[w for w, _ in KEY_CHANGES])
def test_key_changes_with_pixels_and_options(why: str, make: object) -> None:
    base = read_key(image(), FakeOcrEngine(TEXT), 3)
    assert read_key(*make()) != base, why  # type: ignore[operator]


def test_key_changes_with_languages() -> None:
    engine = FakeOcrEngine(TEXT)
    base = read_key(image(), engine, 3)
    engine.languages = "eng+fra"  # type: ignore[attr-defined]
    assert read_key(image(), engine, 3) != base


def test_memory_cache_is_an_lru() -> None:
    cache = MemoryOcrCache(maxsize=2)
    results = {k: FakeOcrEngine(k).recognize(image()) for k in ("a", "b", "c")}
    cache.put("a", results["a"])
    cache.put("b", results["b"])
    assert cache.get("a") is results["a"]  # a is now the most recent
    cache.put("c", results["c"])
    assert cache.get("b") is None
    assert cache.get("a") is results["a"] and cache.get("c") is results["c"]


def test_caching_engine_reads_each_image_once() -> None:
    engine = FakeOcrEngine(TEXT)
    cached = CachingEngine(engine, MemoryOcrCache())
    first = cached.recognize(image(), psm=3)
    assert cached.recognize(image(), psm=3) == first
    cached.recognize(image(), psm=6)
    assert len(engine.calls) == 2 and (cached.hits, cached.misses) == (1, 2)


def test_redis_cache_round_trip(redis_server: RedisServer) -> None:
    cache = RedisOcrCache(redis_client(redis_server.url), ttl=60)
    result = FakeOcrEngine(TEXT, confidence=87.5).recognize(image())
    key = read_key(image(), FakeOcrEngine(TEXT), 3)
    assert cache.get(key) is None
    cache.put(key, result)
    assert cache.get(key) == result  # every word, box, offset and confidence


def test_redis_cache_down_is_a_miss_not_an_error() -> None:
    cache = RedisOcrCache(redis_client(f"redis://127.0.0.1:{free_port()}/0"), ttl=60)
    engine = FakeOcrEngine(TEXT)
    cached = CachingEngine(engine, cache)
    assert cached.recognize(image()).text == engine.recognize(image()).text
    assert cached.misses == 1


def test_get_cached_engine_shares_the_apps_cache() -> None:
    engine = FakeOcrEngine(TEXT)
    app = jobs_app({"OCR_ENGINE": engine})
    with app.app_context():
        first = get_cached_engine()
        assert isinstance(first, CachingEngine) and first.engine is engine
        first.recognize(image())
        get_cached_engine().recognize(image())  # a later request: a new wrapper, the same cache
    assert len(engine.calls) == 1


def test_get_cached_engine_without_a_cache_is_the_engine() -> None:
    engine = FakeOcrEngine(TEXT)
    app = create_app({"TESTING": True, "OCR_ENGINE": engine})
    app.extensions["incilens"].ocr_cache = None
    with app.app_context():
        assert get_cached_engine() is engine
