"""Configuration: one set of defaults, overridden by ``INCILENS_*`` variables and by a mapping.

No I/O happens here; :func:`incilens.create_app` applies the layers in order.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULTS", "ENV_PREFIX"]

ENV_PREFIX = "INCILENS"

#: Every setting with its default. Override with ``INCILENS_<NAME>`` (JSON-parsed when it can be,
#: so ``INCILENS_MAX_QUERY_LENGTH=300`` is an int) or with ``create_app({...})``.
DEFAULTS: dict[str, Any] = {
    # Path of the knowledge-base file; empty means the one packaged with incilens.
    "KB_PATH": "",
    # Longest name or search query accepted, in characters.
    "MAX_QUERY_LENGTH": 200,
    # Default and largest number of search results.
    "SEARCH_LIMIT_DEFAULT": 10,
    "SEARCH_LIMIT_MAX": 50,
    # Longest text accepted by POST /v1/analyze/text, in characters (longer: 413).
    "MAX_TEXT_LENGTH": 100_000,
    # Items analysed per text; the rest are counted in "items_not_analysed".
    "MAX_ITEMS": 300,
    # Origins allowed to call /v1 from a browser (CORS). "*" in an entry matches any run of
    # characters except "/", so the defaults admit browser extensions and nothing else.
    "CORS_ORIGINS": ["chrome-extension://*", "moz-extension://*"],
    # Photos: largest upload and pixel count accepted (checked before decoding).
    "MAX_IMAGE_BYTES": 16 * 1024 * 1024,
    "MAX_IMAGE_PIXELS": 50_000_000,
    # Tesseract: languages ("eng", "eng+fra") and the time one read may take, in seconds.
    "OCR_LANGUAGES": "eng",
    "OCR_TIMEOUT": 20,
    # An OCR engine object to use instead of Tesseract (tests inject a fake one here).
    "OCR_ENGINE": None,
    # Largest request body accepted, in bytes (Flask's own setting).
    "MAX_CONTENT_LENGTH": 17 * 1024 * 1024,
    # Keep the key order of JSON replies as built (records read top-down).
    "JSON_SORT_KEYS": False,
}
