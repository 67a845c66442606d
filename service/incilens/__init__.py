"""INCI Lens: read cosmetic ingredient lists and explain every ingredient.

The package is layered (see ``docs/ARCHITECTURE.md``). The pure core (:mod:`incilens.normalize`,
:mod:`incilens.models`, :mod:`incilens.parsing`, :mod:`incilens.matching`,
:mod:`incilens.claims`, :mod:`incilens.profile`, :mod:`incilens.findings`,
:mod:`incilens.personal` and :mod:`incilens.report`) imports neither Flask nor ``subprocess``
and does no I/O.
:mod:`incilens.knowledge` loads the packaged knowledge base once; :mod:`incilens.pipeline` is the
only place that orders the analysis stages; :mod:`incilens.api` is the HTTP boundary;
:func:`create_app` is the only place an app is built.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

__all__ = ["__version__", "create_app"]

__version__ = "0.1.0"

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: defaults, then ``INCILENS_*`` variables, then ``config``."""
    from flask_openapi3.models.info import Info
    from flask_openapi3.openapi import OpenAPI

    from incilens import api, ocr
    from incilens.config import DEFAULTS, ENV_PREFIX
    from incilens.cors import init_cors
    from incilens.forms import check_config as check_form_config
    from incilens.jobs_api import init_app as init_jobs
    from incilens.keys import init_keys
    from incilens.knowledge_ext import init_kb, init_ocr
    from incilens.limits import init_limits
    from incilens.security import init_security
    from incilens.web import init_app as init_web

    app = OpenAPI(
        __name__,
        info=Info(
            title="INCI Lens API",
            version=__version__,
            description="Read cosmetic ingredient lists and explain every ingredient.",
        ),
        doc_prefix="/docs",
        # Optional API keys (see incilens.keys): declared so clients and tools know the header.
        security_schemes={
            "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "bearer": {"type": "http", "scheme": "bearer"},
        },
        validation_error_status=400,
        validation_error_callback=api.validation_error,
    )
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env(ENV_PREFIX)
    if config:
        app.config.from_mapping(config)
    app.json.sort_keys = bool(app.config["JSON_SORT_KEYS"])  # type: ignore[attr-defined]
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
    init_jobs(app)  # after init_kb and init_ocr: jobs use the KB, the matcher and the engine
    init_cors(app)
    init_web(app)
    log.info(
        "INCI Lens %s ready: knowledge base %s (%d entries), tesseract %s",
        __version__,
        kb.version,
        len(kb),
        ocr.version() or "not installed",
    )
    return app
