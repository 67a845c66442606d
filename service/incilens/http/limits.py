"""Abuse and overload controls: rate limits, the OCR concurrency cap and the OCR health record.

Rate limits (Flask-Limiter) count anonymous clients by IP address and clients with an API key
by key (:mod:`incilens.http.keys`), across all rate-limited routes (``RATE_LIMIT`` or
``RATE_LIMIT_KEYED``), with a second, smaller budget for photo analyses (``RATE_LIMIT_IMAGE``
or ``RATE_LIMIT_IMAGE_KEYED``). Counters live in each worker's memory unless ``REDIS_URL`` or
``RATELIMIT_STORAGE_URI`` names a shared store; if that store fails, the limiter falls back to
memory rather than refusing traffic. ``/health``, the OpenAPI document, the docs, static files
and CORS preflights are not counted. A refused request is a 429 in the usual error shape with
``Retry-After``.

Who is limited follows ``RATE_LIMIT_ENABLED``: unset (the default), every client except those on
this machine (a loopback address, after ``PROXY_COUNT`` proxies are accounted for), so a local
user or a local batch is never refused while a published server still is; ``true``, every client,
loopback included; ``false``, nobody. ``TESTING`` apps are not limited unless it is set.

The OCR gate and health record (:mod:`incilens.http.overload`) are set up here too and handed
out by :func:`get_ocr_gate` and :func:`get_ocr_health`.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from functools import lru_cache
from typing import Any

from flask import Flask, current_app, request
from flask_limiter import ApplicationLimit, Limit, Limiter
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from incilens.errors import BadInput, RateLimited
from incilens.http.keys import client_name
from incilens.http.overload import OcrGate, OcrHealth
from incilens.http.state import app_state, need

__all__ = [
    "OcrGate",
    "OcrHealth",
    "charge_photos",
    "client_key",
    "get_ocr_gate",
    "get_ocr_health",
    "init_limits",
    "is_loopback",
]

log = logging.getLogger(__name__)

IMAGE_ENDPOINT = "api.analyze_image"
_EXEMPT_PREFIXES = ("/health", "/openapi.json", "/docs", "/static/")


def client_key() -> str:
    """The rate-limit identity of the request: its API client, else its IP address."""
    name = client_name()
    return f"key:{name}" if name else f"ip:{request.remote_addr or 'unknown'}"


def _keyed() -> bool:
    return client_name() is not None


def _general_limit() -> str:
    return str(current_app.config["RATE_LIMIT_KEYED" if _keyed() else "RATE_LIMIT"])


def _image_limit() -> str:
    return str(current_app.config["RATE_LIMIT_IMAGE_KEYED" if _keyed() else "RATE_LIMIT_IMAGE"])


@lru_cache(maxsize=1024)
def is_loopback(address: str | None) -> bool:
    """Whether ``address`` is this machine (127.0.0.0/8, ::1 or ::ffff:127.x.y.z).

    Examples:
        >>> [is_loopback(a) for a in ("127.0.0.1", "127.8.9.1", "::1", "::ffff:127.0.0.1")]
        [True, True, True, True]
        >>> [is_loopback(a) for a in ("192.0.2.1", "::ffff:192.0.2.1", "", None, "unix")]
        [False, False, False, False, False]
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _local_client() -> bool:
    """With ``RATE_LIMIT_ENABLED`` unset, a client on this machine is never limited."""
    return current_app.config.get("RATE_LIMIT_ENABLED") is None and is_loopback(request.remote_addr)


def _exempt() -> bool:
    """Requests no limit applies to, checked once per request (the limiter's request filter)."""
    return (
        request.method == "OPTIONS" or request.path.startswith(_EXEMPT_PREFIXES) or _local_client()
    )


def _not_image() -> bool:
    return request.endpoint != IMAGE_ENDPOINT


def charge_photos(count: int) -> None:
    """Count a job's ``count`` photos against the client's photo budget, or raise a 429.

    The photos draw on the same counters as ``POST /v1/analyze/image`` (the image limits), one
    each, so a batch cannot read more photos than the same client sending them one by one.
    Only windows of a minute or more apply: a job is queued and read at the workers' pace, so
    the per-second limit (there to smooth interactive bursts) would refuse any batch outright.
    A job with more photos than a whole window allows is a 400 with the budget in the message
    (waiting would not help). If the counters' store fails, the job is let through, as the
    limiter does.
    """
    limiter = need(app_state().limiter, "the rate limiter (init_limits)")
    if count < 1 or not limiter.enabled or _local_client():
        return
    items = [item for item in parse_many(_image_limit()) if item.get_expiry() >= 60]
    args = ("incilens", client_key(), IMAGE_ENDPOINT)  # the photo route's own buckets
    strategy = limiter.limiter
    try:
        for item in items:
            if count > item.amount:  # no wait would let it through: a bad job, like too many items
                raise BadInput(
                    f"This job has {count} photos; at most {item.amount} photos may be sent "
                    f"per {_window(item)}. Split the job and send the rest later."
                )
            if not strategy.test(item, *args, cost=count):
                reset, left = strategy.get_window_stats(item, *args)
                wait = max(1, math.ceil(reset - time.time()))
                raise RateLimited(
                    f"Too many photos: {left} of {item.amount} per {_window(item)} are left and "
                    f"this job has {count}; retry in {wait} s or send fewer.",
                    retry_after=wait,
                )
        for item in items:
            strategy.hit(item, *args, cost=count)
    except (RateLimited, BadInput):
        raise
    except Exception:  # the shared store is down: fail open, like the limiter itself
        log.warning("photo budget could not be checked; job accepted", exc_info=True)


def _window(item: Any) -> str:
    multiples = item.multiples
    return item.GRANULARITY.name if multiples == 1 else f"{multiples} {item.GRANULARITY.name}s"


def storage_uri(config: Any) -> str:
    """The limiter's storage: ``RATELIMIT_STORAGE_URI``, else ``REDIS_URL``, else memory."""
    return str(config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://")


def enabled(config: Any) -> bool:
    """Whether the limiter runs: ``RATE_LIMIT_ENABLED``, unset meaning on except in tests."""
    value = config.get("RATE_LIMIT_ENABLED")
    return not config.get("TESTING") if value is None else bool(value)


def init_limits(app: Flask) -> Limiter:
    """Set up the rate limiter, the OCR gate and the OCR health record for ``app``."""
    config = app.config
    if int(config["PROXY_COUNT"]) > 0:
        count = int(config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    limiter = Limiter(
        client_key,
        application_limits=[ApplicationLimit(_general_limit)],
        default_limits=[Limit(_image_limit, exempt_when=_not_image)],
        storage_uri=storage_uri(config),
        strategy="moving-window",
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        key_prefix="incilens",
        enabled=enabled(config),
    )
    # One check per request skips every limit for exempt requests, before the limiter resolves
    # and filters its limits (which it would otherwise do only to find each one exempt).
    limiter.request_filter(_exempt)
    limiter.init_app(app)
    state = app_state(app)
    state.limiter = limiter
    state.ocr_gate = OcrGate(
        int(config["OCR_MAX_CONCURRENT"]), retry_after=int(config["OCR_RETRY_AFTER"])
    )
    state.ocr_health = OcrHealth()
    return limiter


def get_ocr_gate() -> OcrGate:
    """Return the current app's OCR gate."""
    return need(app_state().ocr_gate, "the OCR gate (init_limits)")


def get_ocr_health() -> OcrHealth:
    """Return the current app's OCR health record."""
    return need(app_state().ocr_health, "the OCR health record (init_limits)")
