"""HTTP routes of batch jobs: ``POST /v1/jobs`` and ``GET /v1/jobs/<id>``.

A job takes up to ``MAX_JOB_ITEMS`` photos (``images``, repeated) and texts (``texts``,
repeated) in one multipart form, with an optional ``profile``, and answers 202 with the job's
id and its ``Location``. With ``REDIS_URL`` set, items are queued on Celery and the job is kept
in Redis (any API replica can answer for it); without it, the job is kept and queued in a
SQLite file private to this server, which every gunicorn worker forked from this process reads
and takes items from (the embedded default: a poll may reach any worker, and the items of a
worker that dies are run by another).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.file import FileStorage
from flask_openapi3.models.tag import Tag
from flask_openapi3.openapi import OpenAPI
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from incilens.errors import (
    BadInput,
    ImageTooLarge,
    JobNotFound,
    JobsBusy,
    JobsUnavailable,
    TextTooLong,
    UnsupportedMediaType,
)
from incilens.http import forms
from incilens.http.keys import client_name
from incilens.http.limits import charge_photos
from incilens.http.schemas import ErrorResponse, ProfileModel, RequestInput
from incilens.http.state import JobsState, app_state, init_ocr_cache, need
from incilens.jobs.model import Kind, new_job
from incilens.jobs.runner import Resources, ThreadRunner
from incilens.jobs.sqlite import SqliteJobStore
from incilens.ocr.cache import CachingEngine
from incilens.pipeline import ImageLimits

__all__ = ["JobForm", "JobPath", "bp", "init_app", "jobs_status"]

_ERRORS = {code: ErrorResponse for code in (400, 401, 404, 405, 413, 415, 429, 500, 503)}
bp = APIBlueprint("jobs", __name__, abp_responses=_ERRORS)  # type: ignore[arg-type]
_jobs = Tag(name="jobs", description="Batches of photos and texts, analysed by workers.")


class JobForm(RequestInput):
    """Photos and/or texts (multipart/form-data), and an optional profile as a JSON string."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    images: list[FileStorage] = Field(default_factory=list, description="Label photos.")
    # The texts are read raw from the form (flask-openapi3 JSON-decodes list fields, which
    # would turn a text such as "123" into a number); this field documents them.
    texts: list[Any] = Field(
        default_factory=list,
        description="Texts, one per field.",
        json_schema_extra={"items": {"type": "string"}},
    )
    profile: ProfileModel | None = Field(None, description="The profile object, JSON-encoded.")


class JobPath(BaseModel):
    """A job id, as returned by ``POST /v1/jobs``."""

    job_id: StrictStr = Field(max_length=64)


class JobAccepted(BaseModel):
    """A queued job: poll ``url`` (also sent as ``Location``) for its reports."""

    id: str
    status: str
    items: int
    created_at: str
    expires_at: str
    url: str


class JobResponse(BaseModel):
    """A job's status and, for each finished item, its report or its error."""

    model_config = ConfigDict(extra="allow")
    id: str
    status: str
    created_at: str
    expires_at: str
    counts: dict[str, int]
    items: list[dict[str, Any]]


def _state() -> JobsState:
    return need(app_state().jobs, "jobs (init_app of incilens.http.jobs)")


def _inputs(form: JobForm) -> tuple[list[Kind], list[bytes]]:
    """The job's items in order (photos, then texts), checked against the limits."""
    config = current_app.config
    texts = request.form.getlist("texts")
    count = len(form.images) + len(texts)
    most = int(config["MAX_JOB_ITEMS"])
    if count == 0:
        raise BadInput("Send at least one photo in 'images' or one text in 'texts'.")
    if count > most:
        raise BadInput(f"A job holds at most {most} items; this one has {count}. Split it.")
    kinds: list[Kind] = []
    inputs: list[bytes] = []
    per_image, total = int(config["MAX_IMAGE_BYTES"]), int(config["MAX_JOB_BYTES"])
    for n, upload in enumerate(form.images):
        data = upload.read(per_image + 1)
        if len(data) > per_image:
            raise ImageTooLarge(f"images[{n}] is larger than {per_image / 2**20:.0f} MiB.")
        kinds.append("image")
        inputs.append(data)
    if sum(map(len, inputs)) > total:
        raise ImageTooLarge(f"The photos add up to more than {total / 2**20:.0f} MiB; split them.")
    limit = int(config["MAX_TEXT_LENGTH"])
    for n, text in enumerate(texts):
        if not text.strip():
            raise BadInput(f"texts[{n}] is empty: paste an ingredient list.")
        if len(text) > limit:
            raise TextTooLong(f"texts[{n}] is {len(text):,} characters; the limit is {limit:,}.")
        kinds.append("text")
        inputs.append(text.encode("utf-8"))
    return kinds, inputs


@bp.post("/v1/jobs", tags=[_jobs], responses={202: JobAccepted})
def create_job(form: JobForm) -> Response:
    """Queue a batch of photos and texts; poll the job's URL for the reports."""
    kinds, inputs = _inputs(form)
    charge_photos(kinds.count("image"))  # one each against the photo limits
    state = _state()
    profile = form.profile.model_dump() if form.profile else {}
    ttl = float(current_app.config["JOB_TTL"])
    job = new_job(kinds, ttl=ttl, profile=profile, owner=client_name())
    state.store.create(job, inputs)
    try:
        state.runner.submit(job.id, len(kinds))
    except (JobsBusy, JobsUnavailable):
        with suppress(JobsUnavailable):  # otherwise it expires
            state.store.delete(job.id)
        raise
    url = f"/v1/jobs/{job.id}"
    full = job.to_dict()
    body = {k: full[k] for k in ("id", "status", "created_at", "expires_at")}
    response = jsonify({**body, "items": len(kinds), "url": url})
    response.status_code = 202
    response.headers["Location"] = url
    return response


@bp.get("/v1/jobs/<job_id>", tags=[_jobs], responses={200: JobResponse})
def get_job(path: JobPath) -> Response:
    """A job's status, and the report or error of every finished item."""
    state = _state()
    if state.embedded is not None:  # another server than incilens serve: start on first use
        state.embedded.start()
    job = state.store.get(path.job_id)
    # A job sent with an API key is that key's alone; to anyone else it does not exist.
    if job is None or (job.owner is not None and job.owner != client_name()):
        raise JobNotFound(
            "No job has this id, or its results have expired; submit the items again."
        )
    response = jsonify(job.to_dict())
    if job.status in ("queued", "running"):
        response.headers["Retry-After"] = "1"
    return response


@bp.before_request
def _check_form() -> None:
    """Multipart only; a job's body may be larger than one photo's, up to the job limits."""
    if request.endpoint != "jobs.create_job":
        return
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send a job as multipart/form-data: photos in 'images', texts in 'texts'."
        )
    config = current_app.config
    items = int(config["MAX_JOB_ITEMS"])
    forms.limit_body(request, int(config["MAX_JOB_BYTES"]) + 2 * 2**20)
    request.max_form_parts = items + 8
    # A text item may be MAX_TEXT_LENGTH characters of up to 4 UTF-8 bytes each; never below
    # what the multipart parser itself needs (incilens.http.forms).
    request.max_form_memory_size = max(
        4 * int(config["MAX_TEXT_LENGTH"]) + 1024, int(config["MAX_FORM_MEMORY_SIZE"])
    )


def jobs_status() -> dict[str, str]:
    """For ``/health``: where jobs run (``embedded`` or ``celery``), whether the store answers."""
    state = _state()
    try:
        state.store.get("health-probe")
        store = "ok"
    except JobsUnavailable:
        store = "unreachable"
    return {"mode": state.mode, "store": store}


def _embedded_store() -> SqliteJobStore:
    """A job store in a private directory, shared by the processes forked from this one."""
    folder = Path(tempfile.mkdtemp(prefix="incilens-jobs-"))  # mode 0700
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:  # not when a forked gunicorn worker exits
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return SqliteJobStore(folder / "jobs.sqlite3")


def init_app(app: Flask, *, redis_client: Any = None) -> None:
    """Set up jobs (Celery and Redis with ``REDIS_URL``, else in-process) and their routes.

    Call after the knowledge base and the OCR engine are set up. ``redis_client`` replaces the
    client built from ``REDIS_URL`` (tests).
    """
    assert isinstance(app, OpenAPI)
    state = app_state(app)
    url = str(app.config.get("REDIS_URL") or "")
    if url:
        from incilens.jobs.celery import CeleryRunner, make_celery
        from incilens.jobs.celery import redis_client as make_client
        from incilens.jobs.model import RedisJobStore

        client = redis_client or make_client(url)
        init_ocr_cache(app, client)
        jobs = JobsState(RedisJobStore(client), CeleryRunner(make_celery(app.config)), "celery")
    else:
        cache = init_ocr_cache(app)
        store = _embedded_store()
        resources = Resources(
            store=store,
            kb=need(state.kb, "the knowledge base (init_kb)"),
            matcher=need(state.matcher, "the matcher (init_kb)"),
            engine=CachingEngine(need(state.ocr, "the OCR engine (init_ocr)"), cache),
            limits=ImageLimits(
                max_bytes=int(app.config["MAX_IMAGE_BYTES"]),
                max_pixels=int(app.config["MAX_IMAGE_PIXELS"]),
            ),
            max_items=int(app.config["MAX_ITEMS"]),
        )
        runner = ThreadRunner(
            resources,
            store,
            threads=int(app.config["JOB_THREADS"]),
            max_pending=int(app.config["JOB_MAX_PENDING"]),
            lease=float(app.config["JOB_LEASE"]),
        )
        # Each gunicorn worker starts its runner once booted (incilens.http.serving), so items left
        # by a dead worker are picked up without waiting for a request.
        state.after_fork.append(runner.start)
        jobs = JobsState(store, runner, "embedded", embedded=runner)
    state.jobs = jobs
    app.register_api(bp)
