"""The web page: the analysis page at ``/``, ingredient pages and a no-script search page.

The analysis page is a Jinja shell; small ES modules in ``static/js`` call the JSON API
(``/v1/...``) and build the report with DOM APIs only (server text is never parsed as HTML).
Ingredient pages and search results are rendered here, server-side, from the same
``Ingredient.to_dict()`` the API returns. Every response of this blueprint carries a strict
Content-Security-Policy (no inline script or style), ``nosniff`` and no referrer. Nothing about
the shopper is stored: the profile lives in the browser and travels with each API request.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import Blueprint, Flask, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue

from incilens.core.functions import rank_functions
from incilens.core.profile import CONCERNS, SKIN_TYPES
from incilens.http.state import get_kb
from incilens.version import __version__

__all__ = ["AVOID_EXAMPLES", "CSP", "bp", "init_app"]

#: The page's Content-Security-Policy: same-origin everything, the photo as a blob: URL.
CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

#: Families named in the avoid-list hint; each must be a key of ``profile.AVOID_FAMILIES``.
AVOID_EXAMPLES = (
    "fragrance",
    "nuts",
    "coconut",
    "shea",
    "tea tree",
    "soy",
    "gluten",
    "lanolin",
    "beeswax",
    "parabens",
    "silicones",
    "sulfates",
    "alcohol",
    "essential oils",
    "formaldehyde releasers",
    "mineral oils",
    "PEGs",
    "retinoids",
    "AHAs",
    "animal-derived",
    "preservatives",
)

_SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

_CONCERN_WORDS = {
    "none": "No concern",
    "low": "Low concern",
    "moderate": "Moderate concern",
    "high": "High concern",
    "unknown": "Not recognised",
}

bp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)


def _usable(name: str) -> bool:
    """Whether ``name`` is a plausible ingredient name or query (length and characters)."""
    limit = int(current_app.config["MAX_QUERY_LENGTH"])
    return (
        bool(name.strip())
        and len(name) <= limit
        and not any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in name)
    )


@bp.get("/")
def index() -> ResponseReturnValue:
    """The analysis page: photo, upload or paste; the report is built in the browser."""
    config = current_app.config
    return render_template(
        "index.html",
        max_image_bytes=int(config["MAX_IMAGE_BYTES"]),
        max_text_length=int(config["MAX_TEXT_LENGTH"]),
        skin_types=SKIN_TYPES,
        concerns=CONCERNS,
        families=AVOID_EXAMPLES,
    )


def _suggestions(name: str) -> list[tuple[str, str]]:
    """Up to five ``(id, display name)`` pairs for a name that matched nothing."""
    kb = get_kb()
    out = []
    for inci in kb.suggest(name, limit=5) if _usable(name) else []:
        near = kb.lookup(inci)
        out.append((near.id, near.display_name) if near else (inci, inci))
    return out


@bp.get("/ingredients/<path:name>")
def ingredient(name: str) -> ResponseReturnValue:
    """One ingredient's full record, by id, INCI name or synonym; a helpful 404 otherwise."""
    kb = get_kb()
    found = kb.lookup(name.strip()) if _usable(name) else None
    if found is None:
        return render_template("not_found.html", name=name, suggestions=_suggestions(name)), 404
    catalogue = kb.sources
    by_name = {f["name"]: f for f in found.functions}
    main, minor = rank_functions(by_name, found.flag_ids)
    return render_template(
        "ingredient.html",
        ing=found.to_dict(),
        main_functions=[by_name[n] for n in main],
        minor_functions=[by_name[n] for n in minor],
        source_details={s: catalogue[s] for s in found.sources if s in catalogue},
        kb_version=kb.version,
    )


@bp.get("/search")
def search() -> ResponseReturnValue:
    """Search results as a page (the search box without JavaScript, or Enter on a query)."""
    q = request.args.get("q", "")
    kb = get_kb()
    results: list[dict[str, Any]] = []
    if _usable(q):
        for hit in kb.search(q.strip(), limit=int(current_app.config["SEARCH_LIMIT_MAX"])):
            record = kb.lookup(hit.id)
            if record is not None:
                results.append(
                    {"id": hit.id, "name": record.display_name, "concern": record.concern["level"]}
                )
    return render_template("search.html", q=q, results=results, searched=bool(q.strip()))


@bp.after_request
def _secure(response: Response) -> Response:
    response.headers.update(_SECURITY_HEADERS)
    return response


@bp.app_template_filter("num")
def _num(value: float | int | None) -> str:
    """A rating for people: ``2.0`` → ``2``, ``1.5`` → ``1.5``, None → ``?``."""
    if value is None:
        return "?"
    return f"{float(value):.1f}".removesuffix(".0")


@bp.context_processor
def _globals() -> dict[str, Any]:
    return {"concern_words": _CONCERN_WORDS, "app_version": __version__}


#: Page titles for the errors a browser can meet on a page route.
_ERROR_TITLES = {404: "Page not found", 405: "Not allowed here"}


def wants_html() -> bool:
    """Whether the client is a browser asking for a page, not an API client.

    API routes (``/v1``, ``/health``, ``/openapi.json``, ``/docs``) always answer JSON; other
    paths answer HTML when the request prefers ``text/html`` to JSON (a browser's address bar).
    """
    if request.path.startswith(("/v1/", "/health", "/openapi.json", "/docs")):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def html_error(status: int, message: str) -> Response:
    """The error as a page, with the page's security headers (the JSON shape is for APIs)."""
    title = _ERROR_TITLES.get(status, "Something went wrong")
    response = current_app.make_response(
        (render_template("error.html", title=title, message=message), status)
    )
    return _secure(response)


def init_app(app: Flask) -> None:
    """Register the page routes (their security headers and template helpers come along)."""
    app.register_blueprint(bp)
