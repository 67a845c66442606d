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

from flask import Flask, g, request

from incilens.errors import ApiKeyInvalid, ApiKeyRequired
from incilens.http.keystore import ApiKeys, hash_key, load_keys, new_key
from incilens.http.state import app_state, need

__all__ = ["ApiKeys", "client_name", "hash_key", "init_keys", "load_keys", "new_key"]

# The key store itself needs no Flask; it lives in incilens.http.keystore and is re-exported.

_UNSET = object()


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
