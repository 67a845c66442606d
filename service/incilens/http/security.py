"""Response hygiene for every route: security headers and request ids.

Every response gets ``nosniff`` (so JSON is never sniffed into a document), a
``Referrer-Policy``, ``X-Frame-Options: DENY`` and the other headers of ``_HEADERS``. Every HTML
response gets a Content-Security-Policy: the web page sets its own strict one
(:data:`incilens.web.CSP`), which is kept; the Swagger UI under ``/docs`` gets one that allows
its own inline script and style and nothing from elsewhere; any other HTML (a redirect body)
gets ``default-src 'none'``. JSON responses carry no CSP: a policy governs documents, and the
web page's tests keep the API's headers to what an API needs. Analysis results are
``Cache-Control: no-store``: they are about one shopper's product and profile, and no cache
should keep them.

Each request has an id: the client's ``X-Request-ID`` when it is a short token, else a new one.
It is echoed in ``X-Request-ID``, added to the body of 5xx errors and written in their log line,
so a user's report can be matched to the log without logging what the user sent.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

__all__ = ["DOCS_CSP", "HTML_CSP", "init_security", "request_id"]

#: For HTML that is not the web page or the docs: nothing may load, nothing may frame it.
HTML_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

#: For the Swagger UI (its page has an inline bootstrap script and style; no user data in it).
DOCS_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str:
    """The current request's id (the client's ``X-Request-ID`` if sane, else a new one)."""
    rid = g.get("request_id")
    if rid is None:
        sent = request.headers.get("X-Request-ID", "")
        rid = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        g.request_id = rid
    return str(rid)


def _secure(response: Response) -> Response:
    for name, value in _HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" and "Content-Security-Policy" not in response.headers:
        docs = request.path.startswith("/docs")
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else HTML_CSP
    if request.path.startswith("/v1/analyze"):
        response.headers["Cache-Control"] = "no-store"
    if response.status_code == 429 and response.headers.get("Retry-After") in ("0", "-1"):
        response.headers["Retry-After"] = "1"  # a whole second: "0" invites a hot retry loop
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    response.headers["X-Request-ID"] = request_id()
    return response


def init_security(app: Flask) -> None:
    """Add the security headers and the request id to every response of ``app``."""
    app.after_request(_secure)
