"""Optional API keys for mobile apps and partners, stored only as SHA-256 digests.

A key is a random token (``python -m incilens.http.keys`` makes one). The service never
holds the key itself: ``API_KEYS`` (a list or a comma-separated string) and ``API_KEYS_FILE``
(one entry per line, ``#`` comments) hold ``name:digest`` or bare ``digest`` entries, where
``digest`` is the SHA-256 hex digest of the key. Keys are random and long, so an unsalted fast
hash is the right tool (it is a lookup, not a password check).

A request sends its key in ``X-API-Key`` or as ``Authorization: Bearer <key>``. A valid key
raises the client's rate limits (:mod:`incilens.http.limits`); an unknown key is refused with a
401 rather than silently treated as anonymous; with ``API_KEY_REQUIRED`` every ``/v1`` request
needs a valid key.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, g, request

from incilens.errors import ApiKeyInvalid, ApiKeyRequired, ConfigError
from incilens.http.state import app_state, need

__all__ = ["ApiKeys", "client_name", "hash_key", "init_keys", "load_keys", "new_key"]

_DIGEST = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_UNSET = object()


def hash_key(key: str) -> str:
    """Return the SHA-256 hex digest under which ``key`` is stored.

    Examples:
        >>> hash_key("abc")[:16]
        'ba7816bf8f01cfea'
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """Make a new random key; return ``(key, digest)`` (give out the key, configure the digest)."""
    key = "il_" + secrets.token_urlsafe(32)
    return key, hash_key(key)


@dataclass(frozen=True)
class ApiKeys:
    """The configured key digests, each with the client name used in logs and rate limits."""

    names: Mapping[str, str]
    required: bool = False

    def identify(self, key: str) -> str | None:
        """Return the client name of ``key``, or None when it is not a configured key."""
        return self.names.get(hash_key(key))


def _parse(entries: Iterable[str], where: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for n, raw in enumerate(entries, start=1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        name, _, digest = entry.rpartition(":")
        digest = digest.strip().lower()
        name = name.strip() or f"key-{digest[:8]}"
        if not _DIGEST.fullmatch(digest) or not _NAME.fullmatch(name):
            raise ConfigError(
                f"{where}, entry {n}: expected 'name:sha256-hex-digest' (64 hex digits); "
                "make one with `python -m incilens.http.keys`"
            )
        names[digest] = name
    return names


def load_keys(config: Mapping[str, Any]) -> ApiKeys:
    """Read ``API_KEYS`` and ``API_KEYS_FILE``; raise ConfigError naming a bad entry or file."""
    raw = config.get("API_KEYS") or []
    entries = raw.split(",") if isinstance(raw, str) else [str(x) for x in raw]
    names = _parse(entries, "API_KEYS")
    path = str(config.get("API_KEYS_FILE") or "")
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read the API keys file ({e})") from e
        names.update(_parse(lines, path))
    required = bool(config.get("API_KEY_REQUIRED"))
    if required and not names:
        raise ConfigError("API_KEY_REQUIRED is set but no API_KEYS or API_KEYS_FILE is configured")
    return ApiKeys(names=names, required=required)


def _presented() -> str | None:
    key = request.headers.get("X-API-Key")
    if key is None:
        auth = request.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            key = token
    return key.strip() if key is not None else None


def client_name() -> str | None:
    """The current request's client name when it carries a valid key, else None (memoised)."""
    cached = g.get("api_client", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[no-any-return]
    key = _presented()
    keys = need(app_state().keys, "the API keys (init_keys)")
    name = keys.identify(key) if key else None
    g.api_client = name
    g.api_key_rejected = bool(key) and name is None
    return name


def _check() -> None:
    """Refuse a request with an unknown key, or without a key where one is required."""
    if request.method == "OPTIONS" or not request.path.startswith("/v1/"):
        return
    name = client_name()
    if g.get("api_key_rejected"):
        raise ApiKeyInvalid("This API key is not valid: check it, or send the request without one.")
    keys = need(app_state().keys, "the API keys (init_keys)")
    if keys.required and name is None:
        raise ApiKeyRequired(
            "This service needs an API key: send it in the X-API-Key header "
            "(or as Authorization: Bearer <key>)."
        )


def init_keys(app: Flask) -> ApiKeys:
    """Load the key digests and check every ``/v1`` request (after the rate limiter counted it)."""
    keys = load_keys(app.config)
    app_state(app).keys = keys
    app.before_request(_check)
    return keys


if __name__ == "__main__":
    key, digest = new_key()
    print(f"key (give to the client):   {key}")
    print(f"entry (API_KEYS or file):   client-name:{digest}")
