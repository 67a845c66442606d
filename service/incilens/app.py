"""The application factory: the only place an app is built.

``create_app`` applies the configuration (defaults, then ``INCILENS_*`` variables, then a
mapping), sets up the long-lived state (knowledge base, matcher, OCR engine), then the HTTP
layer (security headers, rate limits, API keys, the API and job routes, CORS) and the web page.
It sits at the top of the layers (``docs/ARCHITECTURE.md``): it may import every package, and
nothing but the CLI and the package root import it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_openapi3.models.info import Info
from flask_openapi3.openapi import OpenAPI

from incilens import web
from incilens.config import DEFAULTS, ENV_PREFIX
from incilens.http import api
from incilens.http.compression import init_compression
from incilens.http.cors import init_cors
from incilens.http.forms import FormRequest
from incilens.http.forms import check_config as check_form_config
from incilens.http.handlers import register_error_handlers, validation_error
from incilens.http.jobs import init_app as init_jobs
from incilens.http.jsonio import init_json
from incilens.http.keys import init_keys
from incilens.http.limits import init_limits
from incilens.http.security import init_security
from incilens.http.state import init_kb, init_ocr
from incilens.ocr import tesseract
from incilens.version import __version__

__all__ = ["create_app"]

log = logging.getLogger("incilens")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then ``INCILENS_*`` variables, then ``config``."""
    app = OpenAPI(
        __name__,
        info=Info(
            title="INCI Lens API",
            version=__version__,
            description="Read cosmetic ingredient lists and explain every ingredient.",
        ),
        doc_prefix="/docs",
        # Optional API keys (see incilens.http.keys): declared so clients and tools know the header.
        security_schemes={
            "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
        validation_error_status=400,
        validation_error_callback=validation_error,
    )
    app.request_class = FormRequest  # closes upload streams that parsing left behind
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    if config:
        app.config.from_mapping(config)
    init_json(app)
    check_form_config(app.config)
    kb = init_kb(app)
    init_ocr(app)
    # Order matters: headers are finalised after the limiter's (after_request runs in reverse),
    # and the API key is checked after the limiter has counted the request (so floods of bad
    # keys are limited too).
    init_security(app)
    init_limits(app)
    init_keys(app)
    api.init_app(app)
    register_error_handlers(app, pages=(web.wants_html, web.html_error))
    init_jobs(app)  # after init_kb and init_ocr: jobs use the KB, the matcher and the engine
    init_cors(app)
    web.init_app(app)
    init_compression(app)  # last: see incilens.http.compression
    log.info(
        "INCI Lens %s ready: knowledge base %s (%d entries), tesseract %s",
        __version__,
        kb.version,
        len(kb),
        tesseract.version() or "not installed",
    )
    return app
