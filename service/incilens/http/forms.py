"""Multipart form limits: what Werkzeug's parser needs, and the project's own bound on fields.

Werkzeug's ``max_form_memory_size`` (Flask's ``MAX_FORM_MEMORY_SIZE``) does two jobs. It caps
each non-file field, and, since the resource-exhaustion fix of Werkzeug 3.0.6, it also caps the
multipart decoder's buffer: every chunk the parser reads (``MultiPartParser``'s
``buffer_size``, 64 KiB) passes through that buffer, file parts included, on top of the few
bytes the decoder holds back in case a boundary starts there. A limit at the read size
therefore refuses, at random, any upload longer than a couple of chunks: a 500 KB phone photo
failed about nine times in ten with the 64 KiB this project once used.

So the two jobs are split:

* ``MAX_FORM_MEMORY_SIZE`` stays Werkzeug's and only has to bound the parser's memory. It must be
  at least :func:`min_form_memory_size` (twice the parser's read size, read from the installed
  Werkzeug), and :func:`check_config` refuses a smaller one when the app is built.
* ``MAX_FORM_FIELD_BYTES`` is the bound on a non-file field (the profile), checked by
  :func:`check_fields` once the form is parsed, with a 413 that names the field and the limit.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from werkzeug.formparser import MultiPartParser

from incilens.errors import ConfigError, FormTooLarge

__all__ = ["check_config", "check_fields", "min_form_memory_size", "parser_read_size"]

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
