"""The one place that renders errors, for every route of the app.

Every error, ours (:class:`~incilens.errors.ServiceError`), pydantic's, Werkzeug's or the rate
limiter's, leaves as ``{"error": {"code", "message"}}`` with its status, and ``Retry-After`` on
429 and 503. An unexpected exception becomes a 500 in the same shape with no internals, only
the request id that its log line carries.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from incilens.errors import ServiceError
from incilens.http import forms
from incilens.http.security import request_id

__all__ = ["register_error_handlers", "render_error", "validation_error"]

log = logging.getLogger(__name__)


def render_error(
    status: int, code: str, message: str, extra: dict[str, Any] | None = None
) -> Response:
    """The error body ``{"error": {"code", "message", ...extra}}`` with ``status``."""
    body: dict[str, Any] = {"code": code, "message": message}
    body.update(extra or {})
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _on_service_error(e: ServiceError) -> ResponseReturnValue:
    extra = dict(e.details)
    if e.status_code >= 500:
        extra["request_id"] = request_id()
        log.error("%s: %s (request %s)", e.code, e.message, extra["request_id"])
    response = render_error(e.status_code, e.code, e.message, extra)
    if e.retry_after is not None:
        response.headers["Retry-After"] = str(e.retry_after)
    return response


def _too_large_message() -> str:
    """Werkzeug's 413 wording names no limit; ours names the one that applied."""
    if request.endpoint == "api.analyze_text":
        json_limit = int(current_app.config["MAX_JSON_BYTES"])
        text_limit = int(current_app.config["MAX_TEXT_LENGTH"])
        return (
            f"The request body has more than {json_limit:,} bytes; the text limit is "
            f"{text_limit:,} characters. Send only the part of the page or label that holds "
            "the ingredient list."
        )
    return _body_too_large_message()


def _size(size: int) -> str:
    """A limit for a message: '17 MiB', '1.5 MiB', '65,536 bytes'."""
    if size < 2**20:
        return f"{size:,} bytes"
    return f"{size / 2**20:.1f}".removesuffix(".0") + " MiB"


def _body_too_large_message() -> str:
    """Name the limit a multipart body broke: the body's size, or the form's shape."""
    config = current_app.config
    limit = forms.body_limit(request)
    sent = request.content_length
    jobs = request.endpoint == "jobs.create_job"
    # Werkzeug's stream cap raises when a body without a declared length reaches the limit.
    if limit is not None and (sent is None or sent >= limit):
        if jobs:
            what = f"photos of at most {_size(int(config['MAX_JOB_BYTES']))} in all, plus the form"
        else:
            what = f"one photo of at most {_size(int(config['MAX_IMAGE_BYTES']))} plus the form"
        sent_text = f"has {sent:,} bytes" if sent is not None else "is too large"
        return (
            f"The request body {sent_text}; the limit is {_size(limit)} ({limit:,} bytes: "
            f"{what}). Send a smaller photo."
        )
    if jobs:
        fields = f"texts of at most {int(config['MAX_TEXT_LENGTH']):,} characters"
    else:
        fields = f"form fields (not files) of at most {_size(int(config['MAX_FORM_FIELD_BYTES']))}"
    return (
        f"The form is over this server's limits: at most {request.max_form_parts} parts, {fields}."
    )


#: How a browser asking for a page gets its error: ``(wants_page, page_error)``, both injected
#: by the app factory from the web layer (this layer does not import it).
PageErrors = tuple[Callable[[], bool], Callable[[int, str], Response]]


def _on_http_error(e: HTTPException, pages: PageErrors | None = None) -> ResponseReturnValue:
    code = (e.name or "error").lower().replace(" ", "_")
    message = e.description or e.name or "Request failed."
    if e.code == 413:
        code, message = "payload_too_large", _too_large_message()
    elif isinstance(e, RateLimitExceeded):
        code = "rate_limited"
        message = f"Too many requests ({e.description}); slow down and retry after a pause."
    if e.code in (404, 405) and pages is not None and pages[0]():  # a browser on a page route
        response = pages[1](e.code, message)
    else:
        response = render_error(e.code or 500, code, message)
    if e.code == 405 and e.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(e.valid_methods)  # type: ignore[attr-defined]
    if e.code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = "1"  # the limiter adds the exact figure when it can
    return response


def _on_unexpected(e: Exception) -> ResponseReturnValue:
    if isinstance(e, RecursionError) and "JSON" in str(e):  # '[[[[...' from a client
        return render_error(
            400, "bad_input", "The JSON body is nested too deeply; send a flat object."
        )
    rid = request_id()
    log.exception("unexpected error (request %s)", rid)
    return render_error(
        500,
        "internal_error",
        f"Something went wrong on our side; please try again. If it keeps happening, "
        f"quote request id {rid}.",
        {"request_id": rid},
    )


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
    return render_error(
        400, "bad_input", message, {"fields": [".".join(map(str, x["loc"])) for x in errors]}
    )


def register_error_handlers(app: Flask, *, pages: PageErrors | None = None) -> None:
    """Render our errors, HTTP errors and anything unexpected in the one shape.

    ``pages`` lets a browser asking for a missing page get a page instead (404 and 405 only).
    """
    app.register_error_handler(ServiceError, _on_service_error)
    app.register_error_handler(HTTPException, functools.partial(_on_http_error, pages=pages))
    app.register_error_handler(Exception, _on_unexpected)
