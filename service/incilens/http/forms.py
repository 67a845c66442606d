"""Multipart form limits: what Werkzeug's parser needs, and the project's own bound on fields.

Werkzeug's ``max_form_memory_size`` (Flask's ``MAX_FORM_MEMORY_SIZE``) does two jobs. It caps
each non-file field, and, since the resource-exhaustion fix of Werkzeug 3.0.6, it also caps the
multipart decoder's buffer: every chunk the parser reads (``MultiPartParser``'s
``buffer_size``, 64 KiB) passes through that buffer, file parts included, on top of the few
bytes the decoder holds back in case a boundary starts there. A limit at the read size
therefore refuses, at random, any upload longer than a couple of chunks (whenever a chunk ends
near a CR or LF byte): with the 64 KiB this project once used, a fresh install refused 36 of 40
ordinary 12 MP phone photos.

So the two jobs are split:

* ``MAX_FORM_MEMORY_SIZE`` stays Werkzeug's and only has to bound the parser's memory. It must be
  at least :func:`min_form_memory_size` (twice the parser's read size, read from the installed
  Werkzeug), and :func:`check_config` refuses a smaller one when the app is built.
* ``MAX_FORM_FIELD_BYTES`` is the bound on a non-file field (the profile), checked by
  :func:`check_fields` once the form is parsed, with a 413 that names the field and the limit.

A body limit is applied by :func:`limit_body`, exactly: a body of exactly the limit is read.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import IO, Any

from flask import Request as FlaskRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import MultiPartParser
from werkzeug.wrappers import Request

from incilens.errors import ConfigError, FormTooLarge

__all__ = [
    "FormRequest",
    "body_limit",
    "check_config",
    "check_fields",
    "limit_body",
    "min_form_memory_size",
    "parser_read_size",
]

_FALLBACK_READ_SIZE = 64 * 1024


def parser_read_size() -> int:
    """Bytes Werkzeug's multipart parser reads at a time (its ``buffer_size`` default).

    Examples:
        >>> parser_read_size() >= 1024
        True
    """
    default = inspect.signature(MultiPartParser.__init__).parameters["buffer_size"].default
    return default if isinstance(default, int) and default > 0 else _FALLBACK_READ_SIZE


def min_form_memory_size() -> int:
    """The smallest ``MAX_FORM_MEMORY_SIZE`` under which file uploads always parse.

    One read plus what the decoder may hold back (a partial boundary, a part's headers) must
    fit; twice the read size leaves a read's worth of room for part headers.
    """
    return 2 * parser_read_size()


def check_config(config: Mapping[str, Any]) -> None:
    """Refuse form limits that would reject ordinary uploads or could never apply.

    Raises:
        ConfigError: ``MAX_FORM_MEMORY_SIZE`` is below :func:`min_form_memory_size`, or
            ``MAX_FORM_FIELD_BYTES`` is not a positive number of bytes at most that size.
    """
    memory = int(config["MAX_FORM_MEMORY_SIZE"])
    field = int(config["MAX_FORM_FIELD_BYTES"])
    floor = min_form_memory_size()
    if memory < floor:
        raise ConfigError(
            f"MAX_FORM_MEMORY_SIZE is {memory:,} bytes; it must be at least {floor:,}: "
            f"Werkzeug's multipart parser counts each {parser_read_size():,}-byte read of an "
            "upload against it, so a smaller value refuses ordinary photos. Bound form fields "
            "with MAX_FORM_FIELD_BYTES instead."
        )
    if not 0 < field <= memory:
        raise ConfigError(
            f"MAX_FORM_FIELD_BYTES is {field:,}; it must be between 1 and MAX_FORM_MEMORY_SIZE "
            f"({memory:,})."
        )


def check_fields(fields: Iterable[tuple[str, str]], *, limit: int) -> None:
    """Raise :class:`FormTooLarge` for the first non-file field over ``limit`` UTF-8 bytes.

    Examples:
        >>> check_fields([("profile", "{}")], limit=2)
        >>> check_fields([("profile", "{ }")], limit=2)
        Traceback (most recent call last):
        ...
        incilens.errors.FormTooLarge: The form field 'profile' has 3 bytes; the limit is 2.
    """
    for name, value in fields:
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > limit:
            raise FormTooLarge(
                f"The form field {name[:40]!r} has {size:,} bytes; the limit is {limit:,}."
            )


_BODY_LIMIT = "incilens.body_limit"


def limit_body(request: Request, limit: int) -> None:
    """Hold this request's body to at most ``limit`` bytes, the limit itself included.

    A declared ``Content-Length`` over the limit is refused at once (413, before any byte is
    read). For a body within it, Werkzeug's cap is set one byte past the declared length: on a
    stream the server ends itself (gunicorn's), Werkzeug raises a 413 on reaching its cap,
    since it cannot tell the end of the body from more to come, so a cap of ``limit`` would
    refuse a body of exactly ``limit`` bytes. The server still stops the stream at the declared
    length. A body without a declared length (chunked) is capped at ``limit``.

    Raises:
        RequestEntityTooLarge: The declared length is over ``limit``.
    """
    request.environ[_BODY_LIMIT] = limit
    declared = request.content_length
    if declared is not None and declared > limit:
        raise RequestEntityTooLarge()
    request.max_content_length = limit if declared is None else declared + 1


def body_limit(request: Request) -> int | None:
    """The body limit that applies to ``request``: :func:`limit_body`'s, else Flask's."""
    limit = request.environ.get(_BODY_LIMIT, request.max_content_length)
    return None if limit is None else int(limit)


class FormRequest(FlaskRequest):
    """Flask's request, closing every upload stream it opened, even when parsing failed.

    Werkzeug spools each file part of a multipart body to a temporary file and closes those that
    reach ``request.files`` when the request ends. A part whose parsing was cut short (too many
    parts, a field over its limit, a malformed body) never reaches ``request.files``, so its
    temporary file stayed open until the garbage collector found it. The app factory installs
    this class; the streams are closed when Flask closes the request.
    """

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        stream = super()._get_file_stream(
            total_content_length, content_type, filename, content_length
        )
        self.__dict__.setdefault("_upload_streams", []).append(stream)
        return stream

    @property
    def upload_streams(self) -> list[IO[bytes]]:
        """The streams opened for this request's file parts so far."""
        return list(self.__dict__.get("_upload_streams", ()))

    def close(self) -> None:
        """Close the request, then every upload stream it opened."""
        try:
            super().close()
        finally:
            for stream in self.__dict__.pop("_upload_streams", ()):
                stream.close()
