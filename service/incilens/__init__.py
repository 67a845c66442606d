"""INCI Lens: read cosmetic ingredient lists and explain every ingredient.

The package is layered, one package per layer (``docs/ARCHITECTURE.md``), top to bottom:
:mod:`incilens.cli`, :mod:`incilens.app` (the factory), :mod:`incilens.web`,
:mod:`incilens.http`, :mod:`incilens.jobs`, :mod:`incilens.pipeline` (the one place that orders
the stages), :mod:`incilens.ocr` and :mod:`incilens.kb`, then the pure :mod:`incilens.core`,
with :mod:`incilens.config` and :mod:`incilens.errors` below all. The contracts in
``pyproject.toml`` (``make lint``) keep every import pointing down.

This root stays light: importing ``incilens`` or any lower layer loads no Flask.
``create_app`` is imported from :mod:`incilens.app` on first use, so ``from incilens import
create_app`` and ``gunicorn "incilens:create_app()"`` keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from incilens.version import __version__

__all__ = ["__version__", "create_app"]

if TYPE_CHECKING:
    from incilens.app import create_app


def __getattr__(name: str) -> Any:
    """Load the factory (and with it Flask) only when it is asked for."""
    if name == "create_app":
        from incilens.app import create_app

        return create_app
    raise AttributeError(f"module 'incilens' has no attribute {name!r}")
