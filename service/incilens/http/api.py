"""HTTP API: ``/v1``, ``/health`` and ``/openapi.json``.

Views validate the request (pydantic models from :mod:`incilens.http.schemas`, which also generate
the OpenAPI document), call the knowledge base or :mod:`incilens.pipeline`, and serialise
through ``to_dict()``. Errors are raised, never built here: :mod:`incilens.http.handlers` is the
one place that renders them.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, current_app, jsonify, request, url_for
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from flask_openapi3.openapi import OpenAPI
from werkzeug.datastructures import FileStorage

from incilens import ocr, pipeline
from incilens.core.profile import Profile
from incilens.core.report import Report
from incilens.errors import (
    BadInput,
    IngredientNotFound,
    OcrTimeout,
    OcrUnavailable,
    TextTooLong,
    UnsupportedMediaType,
)
from incilens.http import forms
from incilens.http.limits import get_ocr_gate, get_ocr_health
from incilens.http.schemas import (
    AnalyzeImageForm,
    AnalyzeTextRequest,
    ErrorResponse,
    HealthResponse,
    IngredientPath,
    IngredientResponse,
    ProfileModel,
    ReportResponse,
    SearchQuery,
    SearchResponse,
    ViewQuery,
)
from incilens.http.state import get_cached_engine, get_engine, get_kb, get_matcher
from incilens.version import __version__

__all__ = ["bp", "init_app"]

log = logging.getLogger(__name__)

# Errors any /v1 route may answer: bad input, a key problem, not found, wrong method, too
# large, wrong media type, rate limited, and the 500 of last resort.
_ERRORS = {code: ErrorResponse for code in (400, 401, 404, 405, 413, 415, 429, 500)}
bp = APIBlueprint("api", __name__, abp_responses=_ERRORS)  # type: ignore[arg-type]
_analysis = Tag(name="analysis", description="Find, match and explain ingredient lists.")
_ingredients = Tag(name="ingredients", description="The knowledge base.")
_service = Tag(name="service", description="Health and versions.")


def _clean_text(value: str | None, what: str) -> str:
    """Return a stripped name or query, or raise :class:`BadInput` saying what is wrong."""
    limit = int(current_app.config["MAX_QUERY_LENGTH"])
    if value is None or not value.strip():
        raise BadInput(f"{what} is empty: give an ingredient name, e.g. 'glycerin'.")
    if len(value) > limit:
        raise BadInput(f"{what} is {len(value)} characters long; the limit is {limit}.")
    if "\ufffd" in value or any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in value
    ):
        raise BadInput(f"{what} contains control or non-text characters; send plain text.")
    return value.strip()


def _profile(raw: ProfileModel | None) -> Profile:
    """The request's validated profile as the core's Profile."""
    return Profile(**raw.model_dump()) if raw else Profile()


def _limit(raw: int | None) -> int:
    top = int(current_app.config["SEARCH_LIMIT_MAX"])
    if raw is None:
        return int(current_app.config["SEARCH_LIMIT_DEFAULT"])
    if not 1 <= raw <= top:
        raise BadInput(f"limit must be a whole number from 1 to {top}.")
    return raw


def _analysis_text(text: str) -> str:
    limit = int(current_app.config["MAX_TEXT_LENGTH"])
    if len(text) > limit:
        raise TextTooLong(
            f"text is {len(text):,} characters long; the limit is {limit:,}. "
            "Send only the part of the page or label that holds the ingredient list."
        )
    if not text.strip():
        raise BadInput("text is empty: paste an ingredient list, e.g. 'Aqua, Glycerin'.")
    return text


#: What Werkzeug's path converter leaves unescaped in a path segment (its ``to_url``).
_SEGMENT_SAFE = "!$&'()*+,/:;=@"


def record_links() -> Callable[[str], str]:
    """A function giving ``url_for("api.get_ingredient", name=id)`` without a router build.

    A compact report links each of its items to its record; building each link with
    ``url_for`` cost more than encoding the whole report. The route's prefix is built once and
    each id is escaped as Werkzeug's converter escapes it (checked for every id in the knowledge
    base by ``tests/http/test_views.py``).
    """
    base = url_for("api.get_ingredient", name="_")[:-1]
    return lambda ident: base + quote(ident, safe=_SEGMENT_SAFE)


def _report_response(report: Report, view: str) -> Response:
    """The report as JSON, whole or compact; a compact item links to its record."""
    if view != "compact":
        return jsonify(report.to_dict())
    body = report.to_dict(compact=True)
    link = record_links()
    for item in body["ingredients"]:
        if item["ingredient"] is not None:
            item["ingredient"]["record"] = link(item["ingredient"]["id"])
    return jsonify(body)


@bp.post(
    "/v1/analyze/text",
    tags=[_analysis],
    responses={200: ReportResponse, 413: ErrorResponse},
)
def analyze_text(query: ViewQuery, body: AnalyzeTextRequest) -> Response:
    """Analyse text: find the ingredient list, match every item, return the safety summary."""
    report = pipeline.analyze_text(
        _analysis_text(body.text),
        kb=get_kb(),
        matcher=get_matcher(),
        profile=_profile(body.profile),
        max_items=int(current_app.config["MAX_ITEMS"]),
    )
    return _report_response(report, query.view)


@bp.post(
    "/v1/analyze/image",
    tags=[_analysis],
    responses={
        200: ReportResponse,
        413: ErrorResponse,
        415: ErrorResponse,
        503: ErrorResponse,
        504: ErrorResponse,
    },
)
def analyze_image(query: ViewQuery, form: AnalyzeImageForm) -> Response:
    """Read a label photo, then analyse it like text; adds the ``ocr`` section and word boxes.

    At most ``OCR_MAX_CONCURRENT`` photos are analysed at once per worker; beyond that the
    answer is an immediate 503 with ``Retry-After``.
    """
    config = current_app.config
    if not isinstance(form.image, FileStorage):  # a plain form field named "image"
        raise BadInput("image must be a file: send the photo as a file upload, not as text.")
    data = form.image.read(int(config["MAX_IMAGE_BYTES"]) + 1)
    if len(data) > int(config["MAX_IMAGE_BYTES"]):  # say how large it really is
        data += form.image.read()
    health = get_ocr_health()
    with get_ocr_gate().slot():
        try:
            report = pipeline.analyze_image(
                data,
                kb=get_kb(),
                matcher=get_matcher(),
                engine=get_cached_engine(),
                profile=_profile(form.profile),
                limits=pipeline.ImageLimits(
                    max_bytes=int(config["MAX_IMAGE_BYTES"]),
                    max_pixels=int(config["MAX_IMAGE_PIXELS"]),
                ),
                max_items=int(config["MAX_ITEMS"]),
            )
        except (OcrUnavailable, OcrTimeout) as e:
            health.failure(e.code)
            raise
    health.success()
    return _report_response(report, query.view)


@bp.get("/v1/ingredients", tags=[_ingredients], responses={200: SearchResponse})
def search_ingredients(query: SearchQuery) -> Response:
    """Search and autocomplete: exact, prefix, word prefix, then fuzzy."""
    q = _clean_text(query.q, "q")
    kb = get_kb()
    hits = kb.search(q, limit=_limit(query.limit))
    results = []
    for hit in hits:
        ingredient = kb.lookup(hit.id)
        assert ingredient is not None  # ids come from the KB itself
        results.append(
            {
                **hit.to_dict(),
                "display_name": ingredient.display_name,
                "concern": ingredient.concern["level"],
                "functions": [f["name"] for f in ingredient.functions],
            }
        )
    return jsonify({"query": q, "count": len(results), "results": results})


@bp.get("/v1/ingredients/<path:name>", tags=[_ingredients], responses={200: IngredientResponse})
def get_ingredient(path: IngredientPath) -> Response:
    """The full record of one ingredient, by id, INCI name or synonym, as a list item is read.

    A name that is not an id, INCI name or synonym as written is read as the analysis reads it
    (OCR look-alikes, a misspelling); then ``match`` says how it was read and what it matched.
    """
    name = _clean_text(path.name, "ingredient name")
    kb = get_kb()
    ingredient = kb.lookup(name)
    match = None
    if ingredient is None and (found := get_matcher().resolve_name(name)) is not None:
        entry, match = found
        ingredient = kb.entry(entry)
    if ingredient is None:
        suggestions = kb.suggest(name, limit=5)
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise IngredientNotFound(
            f"No ingredient is called {name!r}.{hint}", details={"suggestions": suggestions}
        )
    body = ingredient.to_dict()
    catalogue = kb.sources
    body["source_details"] = {s: catalogue[s] for s in ingredient.sources if s in catalogue}
    body["kb_version"] = kb.version
    if match is not None:
        body["match"] = match.to_dict()
    response = jsonify(body)
    # A record changes only with the knowledge base: its version validates any cached copy.
    response.set_etag(f"{kb.version}.{ingredient.id}" + (".matched" if match else ""))
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.make_conditional(request)  # a 304 when If-None-Match names this version
    return response


def _ocr_status() -> dict[str, Any]:
    """The photo reader: installed, failing (last read failed), busy slots in this worker."""
    engine = get_engine()
    installed = ocr.available() if engine.name == "tesseract" else True
    record = get_ocr_health().snapshot()
    gate = get_ocr_gate()
    status = "missing" if not installed else "failing" if record["failing"] else "ok"
    return {
        "status": status,
        "engine": engine.name,
        **record,
        "busy": gate.busy,
        "max_concurrent": gate.limit,
    }


@bp.get("/health", tags=[_service], responses={200: HealthResponse})
def health() -> Response:
    """Liveness and versions; ``ocr.status`` says whether photos can be read (ok, missing, failing).

    The service stays up (status ``ok``) when the OCR engine is missing or failing: text
    analysis and look-ups do not need it.
    """
    kb = get_kb()
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "kb_version": kb.version,
            "kb_entries": len(kb),
            "tesseract": ocr.version(),
            "ocr": _ocr_status(),
        }
    )


@bp.before_request
def _check_body() -> None:
    """Refuse a body of the wrong type (415) or a JSON body over ``MAX_JSON_BYTES`` (413)."""
    if request.method != "POST":  # a CORS preflight has no body to check
        return
    config = current_app.config
    if request.endpoint == "api.analyze_image":
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(
                "Send the photo as multipart/form-data with the file in the field 'image'."
            )
        forms.limit_body(request, int(config["MAX_CONTENT_LENGTH"]))
        # Parses the form (Werkzeug's part and memory limits apply), then bounds its fields.
        forms.check_fields(
            request.form.items(multi=True), limit=int(config["MAX_FORM_FIELD_BYTES"])
        )
    if request.endpoint == "api.analyze_text":
        if not request.is_json:
            raise UnsupportedMediaType(
                'Send the text as JSON, {"text": "..."}, with Content-Type: application/json.'
            )
        forms.limit_body(request, int(config["MAX_JSON_BYTES"]))


def init_app(app: Flask) -> None:
    """Register the API routes and ``/openapi.json``."""
    assert isinstance(app, OpenAPI)
    app.register_api(bp)
    app.add_url_rule("/openapi.json", "openapi_json", lambda: jsonify(app.api_doc))
