"""Configuration: one set of defaults, overridden by ``INCILENS_*`` variables and by a mapping.

No I/O happens here; :func:`incilens.create_app` applies the layers in order (through Flask's
``from_prefixed_env``), and :func:`from_env` does the same without Flask for the Celery worker.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULTS", "ENV_PREFIX", "from_env"]

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
    # An OCR engine to use instead of Tesseract: an object, or "module:Class" (a plug-in; tests
    # inject fakes here).
    "OCR_ENGINE": None,
    # Largest request body accepted, in bytes (Flask's own setting; larger: 413).
    "MAX_CONTENT_LENGTH": 17 * 1024 * 1024,
    # Largest JSON body (POST /v1/analyze/text), in bytes: refused with a 413 before parsing.
    # 2 MiB holds MAX_TEXT_LENGTH characters even when every one is JSON-escaped (\uXXXX).
    "MAX_JSON_BYTES": 2 * 1024 * 1024,
    # Multipart forms. MAX_FORM_MEMORY_SIZE is Werkzeug's bound on the parser's memory, which
    # counts every 64 KiB read of an upload too: it must be at least twice that read (checked
    # at start; see incilens.http.forms). MAX_FORM_FIELD_BYTES bounds each non-file field (the
    # profile); MAX_FORM_PARTS, the number of parts. Over any of them: 413 naming the limit.
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    "MAX_FORM_FIELD_BYTES": 64 * 1024,
    "MAX_FORM_PARTS": 16,
    # Photo analyses running at once in one worker process; one more gets a fast 503 with
    # Retry-After (OCR_RETRY_AFTER seconds) instead of queueing behind them.
    "OCR_MAX_CONCURRENT": 2,
    "OCR_RETRY_AFTER": 2,
    # Rate limits (Flask-Limiter syntax, ";" between limits). Anonymous clients are counted per
    # IP address, clients with an API key per key. The image limits count photo analyses only,
    # on top of the general ones. RATE_LIMIT_ENABLED: null (the default) limits every client
    # except those on this machine (loopback), and nobody in TESTING apps; true limits every
    # client, loopback included (a proxy on the same host without PROXY_COUNT); false, none.
    "RATE_LIMIT_ENABLED": None,
    "RATE_LIMIT": "300 per minute;10 per second",
    "RATE_LIMIT_IMAGE": "20 per minute;1 per second",
    "RATE_LIMIT_KEYED": "6000 per minute;200 per second",
    "RATE_LIMIT_IMAGE_KEYED": "300 per minute;10 per second",
    # Where the counters live: empty means in each worker's memory; a redis:// URL shares them
    # between workers and hosts. RATELIMIT_STORAGE_URI (any `limits` storage URI) wins.
    "REDIS_URL": "",
    "RATELIMIT_STORAGE_URI": "",
    # Reverse proxies in front of the service whose X-Forwarded-For may be trusted (0: none, so
    # the client address is the TCP peer's).
    "PROXY_COUNT": 0,
    # API keys, stored as SHA-256 hex digests ("name:digest" or just "digest"): a list, a
    # comma-separated string, and/or a file with one per line. Keys raise the rate limits;
    # with API_KEY_REQUIRED, /v1 answers only requests that carry a valid key.
    "API_KEYS": [],
    "API_KEYS_FILE": "",
    "API_KEY_REQUIRED": False,
    # Batch jobs (POST /v1/jobs): with REDIS_URL they go to Celery workers, without it they run
    # in a few threads of each API process (queued in a SQLite file the workers share).
    # Results expire after JOB_TTL seconds; a job holds at most MAX_JOB_ITEMS photos or texts
    # and MAX_JOB_BYTES in all; beyond JOB_MAX_PENDING unfinished items a 503 with Retry-After.
    "JOB_TTL": 3600,
    "MAX_JOB_ITEMS": 20,
    "MAX_JOB_BYTES": 48 * 1024 * 1024,
    "JOB_THREADS": 2,
    "JOB_MAX_PENDING": 100,
    # Embedded mode: a worker process renews its hold on the items it runs every JOB_LEASE / 4
    # seconds; an item whose process died is run by another after JOB_LEASE seconds.
    "JOB_LEASE": 20,
    # Seconds before Redis hands an unacknowledged job item to another Celery worker.
    "JOB_VISIBILITY_TIMEOUT": 300,
    # Seconds one job item may run in a Celery worker: past the soft limit the item fails with
    # `item_timeout`; past the hard one its pool process is killed (the item fails the same way).
    # null derives them from OCR_TIMEOUT (4 reads + 15 s, and 30 s more for the hard limit).
    "JOB_SOFT_TIME_LIMIT": None,
    "JOB_TIME_LIMIT": None,
    # OCR reads remembered by the pixels read (in memory per worker, or in Redis with REDIS_URL).
    "OCR_CACHE_SIZE": 256,
    # Compression (flask-compress): a response of at least COMPRESS_MIN_SIZE bytes and of one of
    # these types is compressed with the first algorithm the client accepts (a 30-item report:
    # about 140 KB as JSON, a tenth of that compressed). Files streamed from disk (the page's
    # static files) are left to the server in front.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_MIN_SIZE": 1024,
    "COMPRESS_MIMETYPES": ["application/json", "text/html"],
    "COMPRESS_STREAMS": False,
    # Keep the key order of JSON replies as built (records read top-down).
    "JSON_SORT_KEYS": False,
}


def from_env(
    defaults: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """``defaults`` overridden by ``INCILENS_<NAME>`` variables, parsed as the app parses them.

    A value is JSON when it parses as JSON (``300`` is an int, ``true`` a bool, ``null`` None)
    and a string otherwise, as with Flask's ``Config.from_prefixed_env``.

    Examples:
        >>> from_env({"OCR_TIMEOUT": 20, "REDIS_URL": ""},
        ...          {"INCILENS_OCR_TIMEOUT": "5", "INCILENS_REDIS_URL": "redis://r:6379/0"})
        {'OCR_TIMEOUT': 5, 'REDIS_URL': 'redis://r:6379/0'}
    """
    environ = os.environ if environ is None else environ
    config = dict(defaults)
    prefix = f"{ENV_PREFIX}_"
    for key in sorted(environ):
        if not key.startswith(prefix):
            continue
        raw = environ[key]
        try:
            value: Any = json.loads(raw)
        except ValueError:
            value = raw
        config[key.removeprefix(prefix)] = value
    return config
