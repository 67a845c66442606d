"""The one error hierarchy of INCI Lens.

Every error a client can see is a :class:`ServiceError` subclass carrying its HTTP status and a
stable machine-readable ``code``; :mod:`incilens.http.api` renders all of them, and Werkzeug's HTTP
errors, as ``{"error": {"code": ..., "message": ...}}``. Messages say what to do next.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "ApiKeyInvalid",
    "ApiKeyRequired",
    "BadInput",
    "ConfigError",
    "FormTooLarge",
    "ImageTooLarge",
    "IngredientNotFound",
    "ItemAbandoned",
    "ItemTimeout",
    "JobNotFound",
    "JobsBusy",
    "JobsUnavailable",
    "KnowledgeBaseError",
    "OcrBusy",
    "OcrTimeout",
    "OcrUnavailable",
    "RateLimited",
    "ServiceError",
    "TextTooLong",
    "UnsupportedImage",
    "UnsupportedMediaType",
]


class ServiceError(Exception):
    """Base class: an error with an HTTP status, a stable code and a user-facing message."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        #: Seconds after which the client may try again (sent as ``Retry-After``), if any.
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON error body."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        body.update(self.details)
        return {"error": body}


class ConfigError(ServiceError, ValueError):
    """The operator's configuration is wrong (an API-keys file, a limit): the app cannot start."""

    status_code = 500
    code = "config_error"


class BadInput(ServiceError):
    """The request is malformed: fix the named parameter and try again."""

    status_code = 400
    code = "bad_input"


class IngredientNotFound(ServiceError):
    """No ingredient has that name; the details carry "did you mean" suggestions."""

    status_code = 404
    code = "ingredient_not_found"


class KnowledgeBaseError(ServiceError):
    """The knowledge-base files are missing or corrupt; the message names the file."""

    status_code = 500
    code = "knowledge_base_error"


class TextTooLong(ServiceError):
    """The text to analyse is longer than the configured limit; send only the list."""

    status_code = 413
    code = "payload_too_large"


class FormTooLarge(ServiceError):
    """A form field (the profile) is larger than the limit; the message names field and limit."""

    status_code = 413
    code = "payload_too_large"


class UnsupportedImage(ServiceError):
    """The upload is not an image we can read; send a JPEG, PNG, WebP, TIFF or HEIC photo."""

    status_code = 415
    code = "unsupported_image"


class ImageTooLarge(ServiceError):
    """The photo is too large in bytes or in pixels; send a smaller one."""

    status_code = 413
    code = "image_too_large"


class OcrUnavailable(ServiceError):
    """The OCR engine is not installed or not working; text analysis still works."""

    status_code = 503
    code = "ocr_unavailable"


class OcrTimeout(ServiceError):
    """Reading the photo took too long; try a closer, sharper photo of the list."""

    status_code = 504
    code = "ocr_timeout"


class OcrBusy(ServiceError):
    """Every OCR slot of this worker is taken; retry after the ``Retry-After`` seconds."""

    status_code = 503
    code = "ocr_busy"


class UnsupportedMediaType(ServiceError):
    """The request body has the wrong ``Content-Type`` for this route; the message names it."""

    status_code = 415
    code = "unsupported_media_type"


class ApiKeyRequired(ServiceError):
    """This deployment serves only clients with an API key; send it in ``X-API-Key``."""

    status_code = 401
    code = "api_key_required"


class ApiKeyInvalid(ServiceError):
    """The API key sent is not one this deployment knows; check it or send none."""

    status_code = 401
    code = "invalid_api_key"


class RateLimited(ServiceError):
    """The client has used its budget of photos for now (a job's photos count one by one)."""

    status_code = 429
    code = "rate_limited"


class JobNotFound(ServiceError):
    """No job has that id, or its results have expired; submit the items again."""

    status_code = 404
    code = "job_not_found"


class ItemAbandoned(ServiceError):
    """A job item stopped the process analysing it every time it was tried; it was not run again."""

    status_code = 500
    code = "item_abandoned"


class ItemTimeout(ServiceError):
    """A job item ran past the worker's time limit; try a sharper or smaller photo."""

    status_code = 504
    code = "item_timeout"


class JobsUnavailable(ServiceError):
    """The job queue or store cannot be reached; retry after the ``Retry-After`` seconds."""

    status_code = 503
    code = "jobs_unavailable"


class JobsBusy(ServiceError):
    """Too many job items are waiting on this server; retry after the ``Retry-After`` seconds."""

    status_code = 503
    code = "jobs_busy"
