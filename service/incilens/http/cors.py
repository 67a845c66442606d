"""CORS for ``/v1``: only the configured origins (browser extensions by default) may call it."""

from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

__all__ = ["init_cors", "origin_patterns"]


def origin_patterns(origins: list[str] | str) -> list[re.Pattern[str]]:
    r"""Compile allow-list entries; ``*`` matches any characters except ``/``.

    Examples:
        >>> [p.pattern for p in origin_patterns(["https://shop.example", "moz-extension://*"])]
        ['^https://shop\\.example$', '^moz\\-extension://[^/]+$']
    """
    if isinstance(origins, str):
        origins = [o.strip() for o in origins.split(",") if o.strip()]
    return [
        re.compile("^" + re.escape(origin.rstrip("/")).replace(r"\*", "[^/]+") + "$")
        for origin in origins
    ]


def init_cors(app: Flask) -> None:
    """Allow cross-origin calls to ``/v1/*`` from ``CORS_ORIGINS`` only."""
    CORS(
        app,
        resources={r"/v1/.*": {"origins": origin_patterns(app.config["CORS_ORIGINS"])}},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization", "X-API-Key", "X-Request-ID"],
        expose_headers=[
            "Retry-After",
            "X-Request-ID",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
        ],
        max_age=600,
    )
