"""Flask wiring of the long-lived resources: the knowledge base, its matcher and the OCR engine.

Each is built once per app (before gunicorn forks, so workers share them) and handed out by a
``get_...()`` helper from ``app.extensions["incilens"]``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from incilens.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.matching import Matcher
from incilens.ocr import OcrEngine, TesseractEngine

__all__ = ["get_engine", "get_kb", "get_matcher", "init_kb", "init_ocr"]


def init_kb(app: Flask) -> KnowledgeBase:
    """Load the knowledge base named by ``KB_PATH`` (or the packaged one) and its matcher."""
    path = Path(app.config["KB_PATH"]) if app.config.get("KB_PATH") else DEFAULT_KB_PATH
    kb = KnowledgeBase.load(path)
    state = app.extensions.setdefault("incilens", {})
    state["kb"] = kb
    state["matcher"] = Matcher(kb)
    return kb


def get_kb() -> KnowledgeBase:
    """Return the current app's knowledge base."""
    kb: KnowledgeBase = current_app.extensions["incilens"]["kb"]
    return kb


def get_matcher() -> Matcher:
    """Return the current app's matcher."""
    matcher: Matcher = current_app.extensions["incilens"]["matcher"]
    return matcher


def init_ocr(app: Flask) -> OcrEngine:
    """Set up the OCR engine: ``OCR_ENGINE`` when given (tests), else Tesseract."""
    engine: OcrEngine = app.config.get("OCR_ENGINE") or TesseractEngine(
        languages=str(app.config["OCR_LANGUAGES"]), timeout=float(app.config["OCR_TIMEOUT"])
    )
    app.extensions.setdefault("incilens", {})["ocr"] = engine
    return engine


def get_engine() -> OcrEngine:
    """Return the current app's OCR engine."""
    engine: OcrEngine = current_app.extensions["incilens"]["ocr"]
    return engine
