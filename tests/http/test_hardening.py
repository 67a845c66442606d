"""Hardening at the HTTP boundary: limits, the one error shape, rate limits, API keys, security
headers, request ids and the OCR concurrency cap (in-process; faults that need a real server or
process are in test_hardening_faults.py)."""

from __future__ import annotations

import inspect
import io
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from incilens import create_app, pipeline
from incilens.core.models import OcrResult
from incilens.errors import ConfigError
from incilens.http.forms import min_form_memory_size, parser_read_size
from incilens.http.keys import hash_key, load_keys, new_key
from incilens.http.limits import OcrGate, OcrHealth
from incilens.web import CSP as PAGE_CSP
from tests.fakes import FakeOcrEngine
from tests.jobs.test_gunicorn import multipart

TEXT = "/v1/analyze/text"
IMAGE = "/v1/analyze/image"
LABEL = "Ingredients: Aqua, Glycerin, Parfum"


def png(size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


def post_image(client: FlaskClient, data: bytes | None = None, **kw: Any) -> Any:
    body = {"image": (io.BytesIO(data or png()), "label.png")}
    return client.post(IMAGE, data=body, content_type="multipart/form-data", **kw)


def make(**config: Any) -> Flask:
    return create_app({"TESTING": True, "OCR_ENGINE": FakeOcrEngine(LABEL), **config})


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: JSON, only "error", a code and a message, plus our headers."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"].strip()
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-ID"]
    return dict(error)


@pytest.fixture(scope="module")
def small() -> Flask:
    return make(MAX_CONTENT_LENGTH=50_000, MAX_JSON_BYTES=2_000, MAX_TEXT_LENGTH=1_000)


# -- the one error shape, on every kind of failure ---------------------------------------------
ERRORS: list[tuple[str, str, dict[str, Any], int, str]] = [
    # (name, method + path, request kwargs, status, code)
    ("unknown path", "GET /nope", {}, 404, "not_found"),
    ("unknown api path", "GET /v1/nope", {}, 404, "not_found"),
    ("unknown ingredient", "GET /v1/ingredients/zzqqxxnotaname", {}, 404, "ingredient_not_found"),
    ("wrong method", "GET /v1/analyze/text", {}, 405, "method_not_allowed"),
    ("wrong method on health", "POST /health", {}, 405, "method_not_allowed"),
    ("json over MAX_JSON_BYTES", f"POST {TEXT}", {"json": {"text": "a" * 3_000}}, 413,
     "payload_too_large"),
    ("text over MAX_TEXT_LENGTH", f"POST {TEXT}", {"json": {"text": "a" * 1_001}}, 413,
     "payload_too_large"),
    ("upload over MAX_CONTENT_LENGTH", f"POST {IMAGE}",
     {"data": {"image": (io.BytesIO(b"\0" * 60_000), "x.png")},
      "content_type": "multipart/form-data"}, 413, "payload_too_large"),
    ("photo as json", f"POST {IMAGE}", {"json": {"image": "aGVsbG8="}}, 415,
     "unsupported_media_type"),
    ("not an image", f"POST {IMAGE}",
     {"data": {"image": (io.BytesIO(b"GIF89a garbage"), "x.gif")},
      "content_type": "multipart/form-data"}, 415, "unsupported_image"),
    ("text/plain body", f"POST {TEXT}", {"data": "Aqua", "content_type": "text/plain"}, 415,
     "unsupported_media_type"),
    ("deeply nested json", f"POST {TEXT}",
     {"data": "[" * 1_900, "content_type": "application/json"}, 400, "bad_input"),
    ("deeply nested profile", f"POST {TEXT}",
     {"data": '{"text": "a", "profile": ' + "[" * 1_900,
      "content_type": "application/json"}, 400, "bad_input"),
    ("image as a text field", f"POST {IMAGE}",
     {"data": {"image": "not a file"}, "content_type": "multipart/form-data"}, 400, "bad_input"),
    ("too many form parts", f"POST {IMAGE}",
     {"data": {f"f{i}": "x" for i in range(40)}, "content_type": "multipart/form-data"}, 413,
     "payload_too_large"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("route", "kwargs", "status", "code"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_every_failure_has_the_one_error_shape(
    small: Flask, route: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    method, path = route.split(" ", 1)
    response = small.test_client().open(path, method=method, **kwargs)
    error = assert_error(response, status, code)
    if status == 405:
        assert "Allow" in response.headers
    if status == 413:
        assert "limit" in error["message"]


def test_an_unexpected_exception_is_a_500_without_internals(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "SECRET-path /srv/incilens/internal.py line 42"

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(secret)

    client = make().test_client()
    monkeypatch.setattr(pipeline, "analyze_text", boom)
    with caplog.at_level(logging.ERROR, logger="incilens.http.handlers"):
        response = client.post(
            TEXT, json={"text": "Aqua"}, headers={"X-Request-ID": "req-12345678"}
        )
    error = assert_error(response, 500, "internal_error")
    raw = response.get_data(as_text=True)
    assert "SECRET" not in raw and "Traceback" not in raw and "RuntimeError" not in raw
    assert error["request_id"] == response.headers["X-Request-ID"] == "req-12345678"
    assert any("req-12345678" in r.getMessage() and r.exc_info for r in caplog.records)
    # the same worker keeps serving
    monkeypatch.undo()
    assert client.post(TEXT, json={"text": "Aqua"}).status_code == 200


def test_a_hostile_request_id_is_replaced() -> None:
    response = make().test_client().get("/health", headers={"X-Request-ID": "<script>x</script>"})
    rid = response.headers["X-Request-ID"]
    assert "<" not in rid and len(rid) == 32


# -- multipart forms: Werkzeug's parser memory vs the project's field bound ---------------------
def noisy_jpeg(megapixels: float, seed: int = 0) -> bytes:
    """A JPEG of noise: incompressible like a phone photo's detail, full of CR and LF bytes."""
    rng = np.random.default_rng(seed)
    side = int((megapixels * 1e6) ** 0.5)
    out = io.BytesIO()
    Image.fromarray(rng.integers(0, 256, (side, side, 3), dtype=np.uint8)).save(
        out, format="JPEG", quality=90
    )
    return out.getvalue()


@pytest.mark.parametrize("megapixels", [0.5, 2, 6])
def test_photos_of_many_parser_reads_are_accepted(megapixels: float) -> None:
    # The bug this guards: MAX_FORM_MEMORY_SIZE at Werkzeug's 64 KiB read size refused nearly
    # every upload longer than a few reads with 413, whatever its size.
    data = noisy_jpeg(megapixels)
    assert len(data) > 4 * 64 * 1024
    client = make(MAX_IMAGE_BYTES=16 * 2**20).test_client()
    # The body is built here: Werkzeug's test client leaves its own temporary file for a large
    # form open (a ResourceWarning), which this suite treats as an error.
    fields = [("profile", json.dumps({"skin_type": "dry"}))]
    body, content_type = multipart(fields, files=[("image", "photo.jpg", data)])
    response = client.post(IMAGE, data=body, content_type=content_type)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_form_memory_size_the_parser_cannot_work_with_is_refused_at_start() -> None:
    with pytest.raises(ConfigError, match="at least 131,072") as refused:
        make(MAX_FORM_MEMORY_SIZE=64 * 1024)
    assert "MAX_FORM_FIELD_BYTES" in str(refused.value)
    with pytest.raises(ConfigError, match="MAX_FORM_FIELD_BYTES"):
        make(MAX_FORM_FIELD_BYTES=10**9)
    assert make(MAX_FORM_MEMORY_SIZE=min_form_memory_size()).config["MAX_FORM_FIELD_BYTES"]


def test_min_form_memory_size_follows_the_installed_parser() -> None:
    from werkzeug.formparser import MultiPartParser

    read = inspect.signature(MultiPartParser.__init__).parameters["buffer_size"].default
    assert parser_read_size() == read and min_form_memory_size() == 2 * read


FIELD_CASES = [
    # (name, profile field, status): the field limit is 1,000 bytes here
    ("one byte over, in multi-byte characters", '{"skin_type": "' + "é" * 492 + '"}', 413),
    ("one byte over", '{"skin_type": "' + "x" * 984 + '"}', 413),
    ("exactly the limit: not refused for its size", '{"skin_type": "' + "x" * 983 + '"}', 400),
    ("a small valid profile", '{"skin_type": "dry"}', 200),
]


@pytest.mark.parametrize(
    ("profile", "status"), [c[1:] for c in FIELD_CASES], ids=[c[0] for c in FIELD_CASES]
)
def test_form_fields_are_bounded_by_max_form_field_bytes(profile: str, status: int) -> None:
    client = make(MAX_FORM_FIELD_BYTES=1000).test_client()
    body = {"image": (io.BytesIO(png()), "label.png"), "profile": profile}
    response = client.post(IMAGE, data=body, content_type="multipart/form-data")
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 413:
        error = assert_error(response, 413, "payload_too_large")
        assert "'profile'" in error["message"] and "limit is 1,000" in error["message"]


TOO_LARGE_MESSAGES = [
    # (name, config, form, words the message must hold)
    ("a body over MAX_CONTENT_LENGTH names it", {"MAX_CONTENT_LENGTH": 300_000},
     {"image": (io.BytesIO(b"\0" * 300_001), "x.jpg")}, ["300,000 bytes", "16 MiB"]),
    ("too many parts names the parts limit", {},
     {f"f{i}": "x" for i in range(17)}, ["16 parts"]),
    ("a field over Werkzeug's memory bound names it", {},
     {"image": (io.BytesIO(png()), "x.png"), "profile": "x" * (300 * 1024)}, ["65,536 bytes"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("config", "form", "words"),
    [c[1:] for c in TOO_LARGE_MESSAGES],
    ids=[c[0] for c in TOO_LARGE_MESSAGES],
)
def test_a_413_names_the_limit_that_applied(
    config: dict[str, Any], form: dict[str, Any], words: list[str]
) -> None:
    response = (
        make(**config).test_client().post(IMAGE, data=form, content_type="multipart/form-data")
    )
    message = assert_error(response, 413, "payload_too_large")["message"]
    assert all(word in message for word in words), message


# -- limits come from the environment ------------------------------------------------------------
ENV_LIMITS = [
    ("MAX_CONTENT_LENGTH", "1000", 1000),
    ("MAX_JSON_BYTES", "2000", 2000),
    ("MAX_TEXT_LENGTH", "10", 10),
    ("MAX_ITEMS", "2", 2),
    ("MAX_IMAGE_BYTES", "900", 900),
    ("MAX_IMAGE_PIXELS", "100", 100),
    ("MAX_FORM_PARTS", "4", 4),
    ("MAX_FORM_MEMORY_SIZE", "300000", 300_000),
    ("MAX_FORM_FIELD_BYTES", "5000", 5000),
    ("OCR_TIMEOUT", "3", 3),
    ("OCR_MAX_CONCURRENT", "1", 1),
    ("OCR_RETRY_AFTER", "7", 7),
    ("RATE_LIMIT", "5 per minute", "5 per minute"),
    ("RATE_LIMIT_IMAGE", "1 per minute", "1 per minute"),
    ("RATE_LIMIT_ENABLED", "true", True),
    ("REDIS_URL", "redis://127.0.0.1:1/0", "redis://127.0.0.1:1/0"),
]


@pytest.fixture()
def env_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    for name, raw, _ in ENV_LIMITS:
        monkeypatch.setenv(f"INCILENS_{name}", raw)
    yield create_app({"TESTING": True, "OCR_ENGINE": FakeOcrEngine(LABEL)})


def test_every_limit_is_set_by_an_environment_variable(env_app: Flask) -> None:
    for name, _, value in ENV_LIMITS:
        assert env_app.config[name] == value, name
    client = env_app.test_client()
    error = assert_error(client.post(TEXT, json={"text": "Aqua, Glycerin"}), 413,
                         "payload_too_large")  # fmt: skip
    assert "limit is 10" in error["message"]
    body = client.post(TEXT, json={"text": "A, B, C, D"}).get_json()
    assert body["items_not_analysed"] == 2
    assert_error(post_image(client), 413, "image_too_large")
    health = client.get("/health").get_json()
    assert health["ocr"]["max_concurrent"] == 1


# -- rate limits ---------------------------------------------------------------------------------
KEY = "il_test-key-for-the-mobile-app-0123456789"


@pytest.fixture()
def limited() -> Flask:
    return make(
        RATE_LIMIT_ENABLED=True,
        RATE_LIMIT="3 per minute",
        RATE_LIMIT_KEYED="6 per minute",
        RATE_LIMIT_IMAGE="1 per minute",
        RATE_LIMIT_IMAGE_KEYED="2 per minute",
        API_KEYS=[f"mobile:{hash_key(KEY)}"],
    )


def test_rate_limit_per_ip_gives_a_429_with_retry_after(limited: Flask) -> None:
    client = limited.test_client()
    ip = {"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}
    for _ in range(3):
        assert client.post(TEXT, json={"text": "Aqua"}, **ip).status_code == 200
    response = client.get("/v1/ingredients/aqua", **ip)  # the budget spans routes
    error = assert_error(response, 429, "rate_limited")
    assert "3 per 1 minute" in error["message"]
    assert int(response.headers["Retry-After"]) >= 1
    # another address has its own budget; health, docs and preflights are never limited
    other = {"environ_base": {"REMOTE_ADDR": "198.51.100.9"}}
    assert client.post(TEXT, json={"text": "Aqua"}, **other).status_code == 200
    assert client.get("/health", **ip).status_code == 200
    assert client.get("/openapi.json", **ip).status_code == 200
    preflight = client.options(
        TEXT,
        headers={"Origin": "chrome-extension://abc", "Access-Control-Request-Method": "POST"},
        **ip,
    )
    assert preflight.status_code == 200


def test_an_api_key_raises_the_limit_and_is_counted_by_key(limited: Flask) -> None:
    client = limited.test_client()
    for n in range(6):  # two addresses, one key: one budget of 6
        ip = {"environ_base": {"REMOTE_ADDR": f"203.0.113.{n % 2}"}}
        response = client.get("/v1/ingredients/aqua", headers={"X-API-Key": KEY}, **ip)
        assert response.status_code == 200
    response = client.get("/v1/ingredients/aqua", headers={"Authorization": f"Bearer {KEY}"})
    assert_error(response, 429, "rate_limited")
    # anonymous requests from the same address still have their own budget
    assert client.get("/v1/ingredients/aqua").status_code == 200


def test_photos_have_their_own_smaller_budget(limited: Flask) -> None:
    client = limited.test_client()
    assert post_image(client).status_code == 200
    response = post_image(client)
    assert_error(response, 429, "rate_limited")
    assert "Retry-After" in response.headers
    assert client.post(TEXT, json={"text": "Aqua"}).status_code == 200  # text is still served
    keyed = {"headers": {"X-API-Key": KEY}}
    assert post_image(client, **keyed).status_code == 200
    assert post_image(client, **keyed).status_code == 200
    assert post_image(client, **keyed).status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_counted() -> None:
    client = make(RATE_LIMIT_ENABLED=True, RATE_LIMIT="1 per minute", PROXY_COUNT=1).test_client()
    assert (
        client.get("/v1/ingredients/aqua", headers={"X-Forwarded-For": "192.0.2.1"}).status_code
        == 200
    )
    assert (
        client.get("/v1/ingredients/aqua", headers={"X-Forwarded-For": "192.0.2.2"}).status_code
        == 200
    )
    response = client.get("/v1/ingredients/aqua", headers={"X-Forwarded-For": "192.0.2.1"})
    assert_error(response, 429, "rate_limited")


def test_testing_apps_are_not_limited_unless_asked() -> None:
    client = make(RATE_LIMIT="1 per minute").test_client()
    assert all(client.get("/v1/ingredients/aqua").status_code == 200 for _ in range(3))


# -- API keys ------------------------------------------------------------------------------------
def test_keys_are_stored_hashed_and_read_from_a_file(tmp_path: Path) -> None:
    key, digest = new_key()
    assert digest == hash_key(key) and key not in digest and len(digest) == 64
    keys_file = tmp_path / "keys.txt"
    keys_file.write_text(f"# partners\nios-app:{digest}\n\n", encoding="utf-8")
    keys = load_keys({"API_KEYS_FILE": str(keys_file)})
    assert keys.identify(key) == "ios-app"
    assert keys.identify(digest) is None  # the digest itself is not a key
    assert keys.identify(key + "x") is None


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"API_KEYS_FILE": "/nonexistent/keys.txt"}, "/nonexistent/keys.txt"),
        ({"API_KEYS": "app:not-a-digest"}, "API_KEYS, entry 1"),
        ({"API_KEYS": ["x" * 64]}, "API_KEYS, entry 1"),
        ({"API_KEY_REQUIRED": True}, "API_KEY_REQUIRED"),
    ],
)
def test_bad_key_configuration_refuses_to_start(config: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        make(**config)


def test_required_keys() -> None:
    client = make(API_KEYS=f"ios:{hash_key(KEY)}", API_KEY_REQUIRED=True).test_client()
    assert_error(client.post(TEXT, json={"text": "Aqua"}), 401, "api_key_required")
    assert_error(
        client.post(TEXT, json={"text": "Aqua"}, headers={"X-API-Key": "guess"}),
        401,
        "invalid_api_key",
    )
    assert client.post(TEXT, json={"text": "Aqua"}, headers={"X-API-Key": KEY}).status_code == 200
    assert client.get("/health").status_code == 200  # health needs no key


def test_an_unknown_key_is_refused_even_when_keys_are_optional() -> None:
    client = make(API_KEYS=[hash_key(KEY)]).test_client()
    assert client.get("/v1/ingredients/aqua").status_code == 200
    response = client.get("/v1/ingredients/aqua", headers={"Authorization": "Bearer nope"})
    assert_error(response, 401, "invalid_api_key")


# -- security headers ----------------------------------------------------------------------------
def csp(response: Any) -> dict[str, list[str]]:
    parts = [p.split() for p in response.headers["Content-Security-Policy"].split(";")]
    return {p[0]: p[1:] for p in parts if p}


def test_security_headers_everywhere() -> None:
    client = make().test_client()
    for path in ("/health", "/v1/ingredients/aqua", "/nope", "/", "/docs/swagger", "/openapi.json"):
        response = client.get(path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        if response.mimetype == "text/html":
            assert csp(response)["frame-ancestors"] == ["'none'"], path
            assert csp(response)["object-src"] == ["'none'"], path
    page = client.get("/")
    assert page.headers["Content-Security-Policy"] == PAGE_CSP  # the page keeps its own policy
    docs = csp(client.get("/docs/swagger"))
    assert "https:" not in json.dumps(docs) and "*" not in json.dumps(docs)
    analysed = client.post(TEXT, json={"text": "Aqua"})
    assert analysed.headers["Cache-Control"] == "no-store"


def test_cors_allow_list_is_kept() -> None:
    client = make().test_client()
    allowed = client.post(TEXT, json={"text": "Aqua"}, headers={"Origin": "chrome-extension://x"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "chrome-extension://x"
    assert "Retry-After" in allowed.headers["Access-Control-Expose-Headers"]
    evil = client.post(TEXT, json={"text": "Aqua"}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


# -- the OCR concurrency cap ---------------------------------------------------------------------
class BlockingOcrEngine(FakeOcrEngine):
    """Holds every read until released, so a test can fill the OCR slots."""

    def __init__(self) -> None:
        super().__init__(LABEL)
        self.entered = threading.Event()
        self.release = threading.Event()

    def recognize(self, image: Image.Image, *, psm: int = 3) -> OcrResult:
        self.entered.set()
        assert self.release.wait(30), "the test never released the engine"
        return super().recognize(image, psm=psm)


def test_ocr_beyond_the_cap_gets_a_fast_503_with_retry_after() -> None:
    engine = BlockingOcrEngine()
    app = make(OCR_ENGINE=engine, OCR_MAX_CONCURRENT=1, OCR_RETRY_AFTER=3)
    results: list[int] = []
    first = threading.Thread(
        target=lambda: results.append(post_image(app.test_client()).status_code)
    )
    first.start()
    try:
        assert engine.entered.wait(30)
        client = app.test_client()
        assert client.get("/health").get_json()["ocr"]["busy"] == 1
        response = post_image(client)
        error = assert_error(response, 503, "ocr_busy")
        assert response.headers["Retry-After"] == "3"
        assert "paste the text" in error["message"]
        assert client.post(TEXT, json={"text": "Aqua"}).status_code == 200  # text is not capped
    finally:
        engine.release.set()
        first.join(30)
    assert results == [200]
    assert post_image(app.test_client()).status_code == 200  # the slot was given back


def test_the_gate_gives_slots_back_on_errors() -> None:
    gate = OcrGate(2, retry_after=0)
    assert gate.retry_after == 1
    with pytest.raises(RuntimeError), gate.slot():
        raise RuntimeError("engine broke")
    with gate.slot(), gate.slot():
        assert gate.busy == 2
    assert gate.busy == 0
    with pytest.raises(ValueError):
        OcrGate(0)


def test_ocr_health_record() -> None:
    health = OcrHealth()
    assert health.snapshot()["failing"] is False
    health.failure("ocr_timeout")
    health.failure("ocr_unavailable")
    snap = health.snapshot()
    assert snap["failing"] and snap["consecutive_failures"] == 2
    assert snap["last_error"] == "ocr_unavailable" and snap["last_error_at"]
    health.success()
    snap = health.snapshot()
    assert (
        not snap["failing"] and snap["last_success_at"] and snap["last_error"] == "ocr_unavailable"
    )
