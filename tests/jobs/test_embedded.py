"""Jobs with no REDIS_URL (the embedded default): queued in SQLite, run by threads in the app."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incilens.http.jobs import jobs_status
from incilens.jobs.model import Item, MemoryJobStore, new_job
from incilens.jobs.runner import run_item
from incilens.jobs.sqlite import SqliteJobStore
from incilens.ocr.cache import CachingEngine
from tests.fakes import CrashingOcrEngine, FakeOcrEngine
from tests.pipeline.test_analyze_image import render

from .conftest import jobs_app, wait_job

URL = "/v1/jobs"
TEXT = "Ingredients: Aqua, Glycerin, Niacinamide, Parfum"
OCR_TEXT = "Ingredients: Aqua, Glycerln,\nNiacinamide, Parfum"


@pytest.fixture(scope="module")
def engine() -> FakeOcrEngine:
    return FakeOcrEngine(OCR_TEXT)


@pytest.fixture(scope="module")
def app(engine: FakeOcrEngine) -> Flask:
    return jobs_app({"OCR_ENGINE": engine, "MAX_JOB_ITEMS": 4, "MAX_JOB_BYTES": 300_000})


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def submit(
    client: FlaskClient, *, images: Sequence[bytes] = (), texts: Sequence[str] = (), **form: Any
) -> Any:
    data: dict[str, Any] = {"texts": list(texts), **form}
    data["images"] = [(io.BytesIO(b), f"label{i}.png") for i, b in enumerate(images)]
    return client.post(URL, data=data, content_type="multipart/form-data")


# -- refused: a clear error in the one shape ------------------------------------------------------
REFUSED = [
    ({}, 400, "bad_input"),  # nothing to do
    ({"texts": ["   "]}, 400, "bad_input"),
    ({"texts": ["a", "b", "c", "d", "e"]}, 400, "bad_input"),  # over MAX_JOB_ITEMS
    ({"texts": ["x" * 100_001]}, 413, "payload_too_large"),
    ({"images": [b"\0" * 200_000, b"\0" * 200_000]}, 413, "image_too_large"),  # job bytes
    ({"texts": [TEXT], "profile": '{"vegan": "yes"}'}, 400, "bad_input"),
    ({"texts": [TEXT], "colour": "red"}, 400, "bad_input"),
]


@pytest.mark.parametrize(("form", "status", "code"), REFUSED)
def test_refused(client: FlaskClient, form: dict[str, Any], status: int, code: str) -> None:
    response = submit(client, **form)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["code"] == code


def test_json_body_is_refused_with_415(client: FlaskClient) -> None:
    response = client.post(URL, json={"texts": [TEXT]})
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("job_id", ["nope", "A" * 22, "x" * 65])
def test_unknown_job_is_404(client: FlaskClient, job_id: str) -> None:
    response = client.get(f"{URL}/{job_id}")
    assert response.status_code in (400, 404)
    assert response.get_json()["error"]["code"] in ("job_not_found", "bad_input")


# -- accepted: 202, then the reports ---------------------------------------------------------------
def test_texts_and_photo_job(client: FlaskClient) -> None:
    response = submit(client, images=[render()], texts=[TEXT, "123"], profile='{"vegan": true}')
    assert response.status_code == 202, response.get_json()
    accepted = response.get_json()
    assert response.headers["Location"] == accepted["url"] == f"{URL}/{accepted['id']}"
    assert accepted["items"] == 3
    body = wait_job(client, accepted["url"], timeout=30)
    assert body["status"] == "done"
    assert body["counts"] == {"queued": 0, "running": 0, "done": 3, "failed": 0}
    photo, text, number = body["items"]
    assert photo["kind"] == "image" and "ocr" in photo["report"]
    assert text["kind"] == "text" and text["report"]["list_found"]
    assert number["report"]["text_length"] == 3  # sent raw, not JSON-decoded to 123
    assert text["report"]["profile"]["vegan"] is True
    names = {i["match"]["inci_name"] for i in text["report"]["ingredients"] if i["match"]}
    assert {"AQUA", "GLYCERIN"} <= {n.upper() for n in names}


def test_bad_photo_fails_its_item_only(client: FlaskClient) -> None:
    response = submit(client, images=[b"not an image"], texts=[TEXT])
    body = wait_job(client, response.headers["Location"], timeout=30)
    bad, good = body["items"]
    assert bad["status"] == "failed"
    assert bad["error"]["code"] == "unsupported_image" and bad["error"]["message"]
    assert good["status"] == "done"
    assert body["status"] == "done"


def test_job_of_only_failures_is_failed(client: FlaskClient) -> None:
    response = submit(client, images=[b"GIF89a broken"])
    body = wait_job(client, response.headers["Location"], timeout=30)
    assert body["status"] == "failed"
    assert body["items"][0]["error"]["code"] == "unsupported_image"


def test_crashing_engine_is_an_item_error() -> None:
    client = jobs_app({"OCR_ENGINE": CrashingOcrEngine()}).test_client()
    response = submit(client, images=[render()])
    body = wait_job(client, response.headers["Location"], timeout=30)
    assert body["items"][0]["error"]["code"] == "internal_error"
    assert "segmentation" not in body["items"][0]["error"]["message"]  # no internals


def test_same_photo_is_read_once(app: Flask, client: FlaskClient, engine: FakeOcrEngine) -> None:
    photo = render("Ingredients: Aqua, Glycerin, Tocopherol.")
    first = wait_job(client, submit(client, images=[photo]).headers["Location"], timeout=30)
    calls = len(engine.calls)
    second = wait_job(client, submit(client, images=[photo]).headers["Location"], timeout=30)
    assert len(engine.calls) == calls  # every read came from the cache
    assert first["items"][0]["report"]["ocr"]["text"] == second["items"][0]["report"]["ocr"]["text"]
    runner_engine = app.extensions["incilens"].jobs.runner._res.engine
    assert isinstance(runner_engine, CachingEngine) and runner_engine.hits > 0


def test_full_backlog_is_a_503_with_retry_after() -> None:
    client = jobs_app({"JOB_MAX_PENDING": 0}).test_client()
    response = submit(client, texts=[TEXT])
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "jobs_busy"
    assert response.headers["Retry-After"] == "5"


# -- expiry --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_store_expires_jobs(kind: str, tmp_path: Path) -> None:
    now = [1000.0]
    clock = lambda: now[0]  # noqa: E731
    store = (
        MemoryJobStore(clock=clock)
        if kind == "memory"
        else SqliteJobStore(tmp_path / "j.db", clock=clock)
    )
    job = new_job(["text", "image"], ttl=60)
    job = type(job)(job.id, 1000.0, 1060.0, job.items)
    store.create(job, [b"Aqua", b"\x89PNG"])
    assert store.get(job.id) == job
    assert store.update(job.id, 1, Item("image", "running")) is True
    assert store.update(job.id, 0, done()) is True
    now[0] = 1059.9
    stored = store.get(job.id)
    assert stored is not None and [i.status for i in stored.items] == ["done", "running"]
    assert store.load_input(job.id, 0) is None  # dropped once finished
    assert store.load_input(job.id, 1) == b"\x89PNG"
    now[0] = 1060.0
    assert store.get(job.id) is None
    assert store.load_input(job.id, 1) is None
    assert store.update(job.id, 0, Item("text", "running")) is False
    assert store.get(job.id) is None  # not resurrected
    store.delete(job.id)


def test_expired_job_is_404_over_http() -> None:
    app = jobs_app({"JOB_TTL": 0})
    client = app.test_client()
    response = submit(client, texts=[TEXT])
    assert response.status_code == 202
    assert client.get(response.headers["Location"]).status_code == 404


# -- the model and the runner ---------------------------------------------------------------------
def done(kind: str = "text") -> Item:
    return Item(kind, "done", report={"list_found": True})  # type: ignore[arg-type]


def failed(kind: str = "text") -> Item:
    return Item(kind, "failed", error={"code": "x", "message": "y"})  # type: ignore[arg-type]


STATUSES = [
    ([Item("text")], "queued"),
    ([Item("text"), Item("image")], "queued"),
    ([Item("text", "running"), Item("image")], "running"),
    ([done(), Item("image")], "running"),
    ([failed(), failed("image")], "failed"),
    ([failed(), done("image")], "done"),
    ([done(), done()], "done"),
]


@pytest.mark.parametrize(("items", "status"), STATUSES)
def test_job_status_follows_items(items: list[Item], status: str) -> None:
    job = new_job([i.kind for i in items], ttl=60)
    assert type(job)(job.id, job.created, job.expires, tuple(items)).status == status


@pytest.mark.parametrize(
    "bad",
    [
        lambda: Item("text", "done"),  # done without a report
        lambda: Item("text", "failed"),  # failed without an error
        lambda: new_job([], ttl=60),  # no items
        lambda: new_job(["text"], ttl=-1),  # expires before it is created
    ],
)
def test_impossible_jobs_are_refused(bad: Any) -> None:
    with pytest.raises(ValueError):
        bad()


def test_redelivered_finished_item_is_skipped(app: Flask) -> None:
    runner = app.extensions["incilens"].jobs.runner
    store = MemoryJobStore()
    res = replace(runner._res, store=store)
    job = new_job(["text"], ttl=60)
    store.create(job, [TEXT.encode()])
    first = run_item(job.id, 0, res)
    assert first is not None and first.status == "done"
    assert run_item(job.id, 0, res) is None  # the second delivery does nothing
    assert store.get(job.id).items[0] == first  # type: ignore[union-attr]


def test_job_report_is_the_text_route_report(client: FlaskClient) -> None:
    body = wait_job(client, submit(client, texts=[TEXT]).headers["Location"], timeout=30)
    direct = client.post("/v1/analyze/text", json={"text": TEXT}).get_json()
    assert body["items"][0]["report"] == direct


def test_status_for_health(app: Flask) -> None:
    with app.app_context():
        assert jobs_status() == {"mode": "embedded", "store": "ok"}


def test_openapi_documents_the_job_routes(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert {"/v1/jobs", "/v1/jobs/{job_id}"} <= set(paths)
    assert "202" in paths["/v1/jobs"]["post"]["responses"]


def test_job_limits_replace_the_single_request_limits() -> None:
    """18 texts are more form parts (16) and one long text more form memory (64 KiB) than a
    single analysis allows; a job's own limits apply to its route."""
    client = jobs_app({"MAX_JOB_ITEMS": 20}).test_client()
    texts = [TEXT] * 17 + ["Ingredients: " + "Aqua, " * 15_000 + "Glycerin"]
    response = submit(client, texts=texts)
    assert response.status_code == 202, response.get_json()
    body = wait_job(client, response.headers["Location"], timeout=60)
    assert body["counts"]["done"] == 18


# -- a job's photos count against the photo limits, one each ---------------------------------------
@pytest.fixture()
def limited() -> FlaskClient:
    return jobs_app(
        {
            "OCR_ENGINE": FakeOcrEngine(OCR_TEXT),
            "RATE_LIMIT_ENABLED": True,
            "RATE_LIMIT": "100 per minute",
            "RATE_LIMIT_IMAGE": "3 per minute;1 per second",
            "MAX_JOB_ITEMS": 6,
        }
    ).test_client()


def photo_route(client: FlaskClient, **kw: Any) -> Any:
    data = {"image": (io.BytesIO(render()), "label.png")}
    return client.post("/v1/analyze/image", data=data, content_type="multipart/form-data", **kw)


def test_job_photos_share_the_photo_budget(limited: FlaskClient) -> None:
    # two photos at once pass the 1-per-second limit (a job is queued, not read at once) ...
    assert submit(limited, images=[render(), render()]).status_code == 202
    assert photo_route(limited).status_code == 200  # ... and used 2 of the 3 per minute
    refused = submit(limited, images=[render()])
    assert refused.status_code == 429, refused.get_json()
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert "0 of 3 per minute" in refused.get_json()["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert photo_route(limited).status_code == 429  # the same budget, whichever route
    assert submit(limited, texts=[TEXT]).status_code == 202  # texts are not photos
    other = {"environ_base": {"REMOTE_ADDR": "198.51.100.9"}}
    assert photo_route(limited, **other).status_code == 200  # another client's own budget


def test_job_larger_than_the_whole_budget_is_refused_and_costs_nothing(
    limited: FlaskClient,
) -> None:
    refused = submit(limited, images=[render()] * 4)
    assert refused.status_code == 400  # no wait would let it through
    assert refused.get_json()["error"]["code"] == "bad_input"
    message = refused.get_json()["error"]["message"]
    assert "4 photos" in message and "at most 3" in message and "Split" in message
    assert submit(limited, images=[render()] * 3).status_code == 202  # nothing was used


# -- the embedded queue: claims, leases, a dead runner's items -------------------------------------
@pytest.fixture()
def queue(tmp_path: Path) -> tuple[SqliteJobStore, list[float], list[str]]:
    now = [1000.0]
    store = SqliteJobStore(tmp_path / "q.db", clock=lambda: now[0])
    ids = []
    for kinds in (["text", "text"], ["image"]):
        job = new_job(kinds, ttl=600)  # type: ignore[arg-type]
        job = type(job)(job.id, 1000.0, 1600.0, job.items)
        store.create(job, [b"x"] * len(kinds))
        ids.append(job.id)
    return store, now, ids


def test_claims_take_the_oldest_free_item_once(queue: Any) -> None:
    store, _, (first, second) = queue
    claims = [store.claim("a", 10) for _ in range(4)]
    assert [(c.job_id, c.index, c.attempts) for c in claims[:3]] == [
        (first, 0, 1),
        (first, 1, 1),
        (second, 0, 1),
    ]
    assert claims[3] is None  # every item is held
    assert store.backlog() == 3


CLAIM_CASES = [
    # (what happens to item (first, 0) held by "a", seconds later, who claims it next)
    ("lease runs out", lambda s, j: None, 10.0, ("b", 2)),
    ("lease renewed in time", lambda s, j: s.renew("a", 10), 9.0, None),
    ("given back", lambda s, j: s.release("a"), 0.0, ("b", 1)),  # not counted as a failure
    ("finished", lambda s, j: s.update(j, 0, done()), 60.0, None),
]


@pytest.mark.parametrize(("case", "event", "later", "expected"), CLAIM_CASES)
def test_a_held_item_is_claimed_again_only_when_its_holder_is_gone(
    queue: Any, case: str, event: Any, later: float, expected: tuple[str, int] | None
) -> None:
    store, now, (first, second) = queue
    store.update(second, 0, done("image"))  # leave only the first job
    store.update(first, 1, done())
    assert store.claim("a", 10) is not None
    now[0] += 5
    event(store, first)
    now[0] += later
    claim = store.claim("b", 10)
    if expected is None:
        assert claim is None, case
    else:
        assert claim is not None and (claim.job_id, claim.index) == (first, 0), case
        assert claim.attempts == expected[1], case


def test_expired_jobs_are_not_claimed(queue: Any) -> None:
    store, now, _ = queue
    now[0] = 1600.0
    assert store.claim("a", 10) is None
    assert store.backlog() == 0


def test_an_item_that_keeps_killing_its_runner_is_failed(app: Flask, tmp_path: Path) -> None:
    from incilens.jobs.model import MAX_ATTEMPTS
    from incilens.jobs.runner import ThreadRunner

    now = [1000.0]
    store = SqliteJobStore(tmp_path / "poison.db", clock=lambda: now[0])
    job = new_job(["image"], ttl=600)
    job = type(job)(job.id, 1000.0, 1600.0, job.items)
    store.create(job, [b"x"])
    for _ in range(MAX_ATTEMPTS):  # claimed, then its runner died, each time
        assert store.claim("dead", 5) is not None
        now[0] += 6
    res = replace(app.extensions["incilens"].jobs.runner._res, store=store)
    runner = ThreadRunner(res, store, threads=1, poll=0.05)
    try:
        runner.submit(job.id, 1)
        deadline = time.monotonic() + 10
        while (stored := store.get(job.id)) and not stored.items[0].final:
            assert time.monotonic() < deadline, "the poison item was never failed"
            time.sleep(0.05)
    finally:
        runner.shutdown()
    assert stored is not None
    error = stored.items[0].error
    assert error is not None and error["code"] == "item_abandoned"
    assert f"each of the {MAX_ATTEMPTS} times it was tried" in error["message"]


# -- a job sent with an API key is that key's alone ---------------------------------------------
MOBILE, PARTNER = "il_mobile-app-key-0123456789abcdef", "il_partner-key-0123456789abcdef"


def test_a_keyed_job_is_readable_only_with_its_key() -> None:
    from incilens.http.keys import hash_key

    keys = [f"mobile:{hash_key(MOBILE)}", f"partner:{hash_key(PARTNER)}"]
    client = jobs_app({"API_KEYS": keys}).test_client()
    form = {"data": {"texts": [TEXT]}, "content_type": "multipart/form-data"}
    keyed = client.post(URL, headers={"X-API-Key": MOBILE}, **form)  # type: ignore[arg-type]
    anonymous = client.post(URL, **form)  # type: ignore[arg-type]
    assert keyed.status_code == anonymous.status_code == 202
    url = keyed.headers["Location"]
    readers = [  # (headers, status): the id alone is not enough for a keyed job
        ({"X-API-Key": MOBILE}, 200),
        ({"Authorization": f"Bearer {MOBILE}"}, 200),
        ({}, 404),
        ({"X-API-Key": PARTNER}, 404),
    ]
    for headers, status in readers:
        response = client.get(url, headers=headers)
        assert response.status_code == status, headers
        if status == 404:
            assert response.get_json()["error"]["code"] == "job_not_found"
    for headers in ({}, {"X-API-Key": PARTNER}):  # an anonymous job: its id is its key
        assert client.get(anonymous.headers["Location"], headers=headers).status_code == 200
