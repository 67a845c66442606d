"""The API key store, without Flask: keys as SHA-256 digests, loaded from the configuration.

``API_KEYS`` (a list or a comma-separated string) and ``API_KEYS_FILE`` (one entry per line,
``#`` comments) hold ``name:digest`` or bare ``digest`` entries. :mod:`incilens.http.keys`
checks requests against the store.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incilens.errors import ConfigError

__all__ = ["ApiKeys", "hash_key", "load_keys", "new_key"]

_DIGEST = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


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
