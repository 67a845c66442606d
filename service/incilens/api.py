"""HTTP API (``/v1``, ``/health``, ``/openapi.json``) and the one place that renders errors.

Views validate the request (pydantic models from :mod:`incilens.schemas`, which also generate
the OpenAPI document), call the knowledge base or :mod:`incilens.pipeline`, and serialise
through ``to_dict()``. Every error, ours, pydantic's or Werkzeug's, leaves as
``{"error": {"code", "message"}}`` with its status; an unexpected exception becomes a 500 in
the same shape with no internals.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from flask import Flask, Response, current_app, jsonify
from flask.typing import ResponseReturnValue
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from flask_openapi3.openapi import OpenAPI
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from incilens import __version__, ocr, pipeline
from incilens.errors import BadInput, IngredientNotFound, ServiceError, TextTooLong
from incilens.knowledge_ext import get_engine, get_kb, get_matcher
from incilens.profile import Profile
from incilens.schemas import (
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
)

__all__ = ["bp", "init_app", "validation_error"]

log = logging.getLogger(__name__)

_ERRORS = {400: ErrorResponse, 404: ErrorResponse, 405: ErrorResponse, 500: ErrorResponse}
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


@bp.post(
    "/v1/analyze/text",
    tags=[_analysis],
    responses={200: ReportResponse, 413: ErrorResponse},
)
def analyze_text(body: AnalyzeTextRequest) -> Response:
    """Analyse text: find the ingredient list, match every item, return the safety summary."""
    report = pipeline.analyze_text(
        _analysis_text(body.text),
        kb=get_kb(),
        matcher=get_matcher(),
        profile=_profile(body.profile),
        max_items=int(current_app.config["MAX_ITEMS"]),
    )
    return jsonify(report.to_dict())


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
def analyze_image(form: AnalyzeImageForm) -> Response:
    """Read a label photo, then analyse it like text; adds the ``ocr`` section and word boxes."""
    config = current_app.config
    report = pipeline.analyze_image(
        form.image.read(int(config["MAX_IMAGE_BYTES"]) + 1),
        kb=get_kb(),
        matcher=get_matcher(),
        engine=get_engine(),
        profile=_profile(form.profile),
        limits=pipeline.ImageLimits(
            max_bytes=int(config["MAX_IMAGE_BYTES"]), max_pixels=int(config["MAX_IMAGE_PIXELS"])
        ),
        max_items=int(config["MAX_ITEMS"]),
    )
    return jsonify(report.to_dict())


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
    """The full record of one ingredient, by id, INCI name or synonym."""
    name = _clean_text(path.name, "ingredient name")
    kb = get_kb()
    ingredient = kb.lookup(name)
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
    return jsonify(body)


@bp.get("/health", tags=[_service], responses={200: HealthResponse})
def health() -> Response:
    """Liveness and versions."""
    kb = get_kb()
    return jsonify(
        {
            "status": "ok",
            "version": __version__,
            "kb_version": kb.version,
            "kb_entries": len(kb),
            "tesseract": ocr.version(),
        }
    )


def _error(status: int, code: str, message: str, extra: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra or {})
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _on_service_error(e: ServiceError) -> ResponseReturnValue:
    if e.status_code >= 500:
        log.error("%s: %s", e.code, e.message)
    return _error(e.status_code, e.code, e.message, e.details)


def _on_http_error(e: HTTPException) -> ResponseReturnValue:
    code = (e.name or "error").lower().replace(" ", "_")
    message = e.description or e.name or "Request failed."
    if e.code == 413:  # Werkzeug's wording names no limit
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        code = "payload_too_large"
        message = "The upload is too large" + (
            f"; the limit is {limit / 1024 / 1024:.0f} MiB. Send a smaller photo." if limit else "."
        )
    response = _error(e.code or 500, code, message)
    if e.code == 405 and e.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(e.valid_methods)  # type: ignore[attr-defined]
    return response


def _on_unexpected(e: Exception) -> ResponseReturnValue:
    log.exception("unexpected error")
    return _error(500, "internal_error", "Something went wrong on our side; please try again.")


def validation_error(e: ValidationError) -> Response:
    """Render a pydantic validation error as a 400 in the one error shape."""
    errors = e.errors(include_url=False, include_context=False, include_input=False)
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(part) for part in first["loc"])
    if not where:
        message = (
            'Send a JSON object such as {"text": "Aqua, Glycerin"} with the header '
            "Content-Type: application/json."
        )
    elif first.get("type") in ("model_type", "model_attributes_type", "dict_type"):
        message = f"{where} must be a JSON object."
    elif first.get("type") == "extra_forbidden":
        message = f"{where} is not a known field; remove it."
    else:
        message = f"{where}: {first['msg']}."
    return _error(
        400, "bad_input", message, {"fields": [".".join(map(str, x["loc"])) for x in errors]}
    )


def init_app(app: Flask) -> None:
    """Register the API routes, ``/openapi.json`` and the error handlers."""
    assert isinstance(app, OpenAPI)
    app.register_api(bp)
    app.add_url_rule("/openapi.json", "openapi_json", lambda: jsonify(app.api_doc))
    app.register_error_handler(ServiceError, _on_service_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
