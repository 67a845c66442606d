"""Compressed answers for clients that accept them (flask-compress), and only for those.

flask-compress picks the first of ``COMPRESS_ALGORITHM`` that the client's ``Accept-Encoding``
names, but it does not read quality values, so ``br;q=0`` (RFC 9110: "not acceptable") would
still get Brotli. :func:`acceptable` drops the refused codings from the header before it looks.
"""

from __future__ import annotations

from flask import Flask, request
from flask_compress import Compress
from werkzeug.http import parse_accept_header

__all__ = ["acceptable", "init_compression"]


def acceptable(header: str) -> str:
    """``Accept-Encoding`` without the codings it refuses (``q=0``), parsed by Werkzeug.

    Examples:
        >>> acceptable("gzip;q=0, br")
        'br'
        >>> acceptable("gzip; q=0.0, deflate;q=0.000")
        ''
        >>> acceptable("gzip;q=0.5, br;q=1")
        'br, gzip;q=0.5'
    """
    kept = [
        coding if quality == 1 else f"{coding};q={quality:g}"
        for coding, quality in parse_accept_header(header)
        if quality > 0
    ]
    return ", ".join(kept)


def _drop_refused_codings() -> None:
    header = request.environ.get("HTTP_ACCEPT_ENCODING")
    if header and "q=" in header:
        request.environ["HTTP_ACCEPT_ENCODING"] = acceptable(header)


def init_compression(app: Flask) -> None:
    """Compress answers per ``COMPRESS_*`` (config.py); register after the other hooks.

    Registered last, its after-request hook runs first (the others only add headers).
    """
    app.before_request(_drop_refused_codings)
    Compress(app)
