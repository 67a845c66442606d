"""HTTP API (``/v1`` and ``/health``) and the one place that renders errors.

Views validate the request, ask the knowledge base, and serialise through ``to_dict()``. Every
error, ours or Werkzeug's, leaves as ``{"error": {"code", "message"}}`` with its status; an
unexpected exception becomes a 500 in the same shape with no internals.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from incilens import __version__, ocr
from incilens.errors import BadInput, IngredientNotFound, ServiceError
from incilens.knowledge_ext import get_kb

__all__ = ["bp", "init_app"]

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__)


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


def _limit() -> int:
    raw = request.args.get("limit")
    default = int(current_app.config["SEARCH_LIMIT_DEFAULT"])
    top = int(current_app.config["SEARCH_LIMIT_MAX"])
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= top:
        raise BadInput(f"limit must be a whole number from 1 to {top}.")
    return int(raw)


@bp.get("/v1/ingredients")
def search_ingredients() -> ResponseReturnValue:
    """Search and autocomplete: exact, prefix, word prefix, then fuzzy."""
    query = _clean_text(request.args.get("q"), "q")
    kb = get_kb()
    hits = kb.search(query, limit=_limit())
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
    return jsonify({"query": query, "count": len(results), "results": results})


@bp.get("/v1/ingredients/<path:name>")
def get_ingredient(name: str) -> ResponseReturnValue:
    """The full record of one ingredient, by id, INCI name or synonym."""
    name = _clean_text(name, "ingredient name")
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


@bp.get("/health")
def health() -> ResponseReturnValue:
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
    response = _error(e.code or 500, code, e.description or e.name or "Request failed.")
    if e.code == 405 and e.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(e.valid_methods)  # type: ignore[attr-defined]
    return response


def _on_unexpected(e: Exception) -> ResponseReturnValue:
    log.exception("unexpected error")
    return _error(500, "internal_error", "Something went wrong on our side; please try again.")


def init_app(app: Flask) -> None:
    """Register the API routes and the error handlers."""
    app.register_blueprint(bp)
    app.register_error_handler(ServiceError, _on_service_error)
    app.register_error_handler(HTTPException, _on_http_error)
    app.register_error_handler(Exception, _on_unexpected)
