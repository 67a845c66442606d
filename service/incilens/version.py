"""The version of INCI Lens, in one place (the package root and the reports read it)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
