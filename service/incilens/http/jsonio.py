r"""JSON out through orjson: the same JSON as Flask's encoder, about ten times faster.

Flask's default provider encodes with the standard library, which for a full 30-item report
(about 120 KB) costs more than the analysis itself. :class:`FastJSONProvider` keeps Flask's
behaviour and changes only the encoder:

- keys stay in the order the report was built (or sorted, when ``JSON_SORT_KEYS`` is true);
- the output is compact, as Flask's is outside debug mode (debug mode still pretty-prints,
  through Flask's own encoder);
- types orjson does not know (read-only mappings, dates, decimals, dataclasses, ``__html__``)
  go through the same fallbacks as Flask's encoder, so they come out as Flask would send them;
- the one difference on the wire: characters outside ASCII are sent as UTF-8 rather than as
  ``\uXXXX`` escapes. Both are the same JSON text (RFC 8259 requires UTF-8 between systems);
  a client decoding the JSON sees identical values. ``tests/http/test_jsonio.py`` checks the
  bytes against the standard library's encoder with ``ensure_ascii=False``.

``dumps`` with extra keyword arguments (``indent=2``, say) falls back to Flask's encoder, so
every caller of ``app.json.dumps`` still gets what it asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

__all__ = ["FastJSONProvider", "init_json"]

#: Dataclasses and dates go through Flask's fallback (RFC 822 dates, ``asdict``), not orjson's.
_BASE_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _fallback(obj: Any) -> Any:
    """Types orjson cannot encode: read-only mappings first, then Flask's own fallbacks."""
    if isinstance(obj, Mapping):
        return dict(obj)
    return DefaultJSONProvider.default(obj)


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with orjson as the encoder (decoding is unchanged)."""

    def _options(self) -> int:
        return _BASE_OPTIONS | (orjson.OPT_SORT_KEYS if self.sort_keys else 0)

    def _pretty(self) -> bool:
        return self.compact is False or (self.compact is None and self._app.debug)

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        """Encode ``obj`` as a JSON string; keyword arguments fall back to Flask's encoder."""
        if kwargs or self._pretty():
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=_fallback, option=self._options()).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """A JSON response, encoded straight to bytes (no str round trip)."""
        if self._pretty():
            return cast(Response, super().response(*args, **kwargs))
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_fallback, option=self._options())
        response = cast(Response, self._app.response_class(mimetype=self.mimetype))
        response.set_data(body)
        return response


def init_json(app: Flask) -> None:
    """Install :class:`FastJSONProvider`, sorting keys only when ``JSON_SORT_KEYS`` is true."""
    provider = FastJSONProvider(app)
    provider.sort_keys = bool(app.config["JSON_SORT_KEYS"])
    app.json = provider
