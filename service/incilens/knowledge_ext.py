"""Flask wiring of the knowledge base: load it once per app and hand it out."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from incilens.knowledge import DEFAULT_KB_PATH, KnowledgeBase

__all__ = ["get_kb", "init_kb"]


def init_kb(app: Flask) -> KnowledgeBase:
    """Load the knowledge base named by ``KB_PATH`` (or the packaged one) into ``app``."""
    path = Path(app.config["KB_PATH"]) if app.config.get("KB_PATH") else DEFAULT_KB_PATH
    kb = KnowledgeBase.load(path)
    app.extensions.setdefault("incilens", {})["kb"] = kb
    return kb


def get_kb() -> KnowledgeBase:
    """Return the current app's knowledge base."""
    kb: KnowledgeBase = current_app.extensions["incilens"]["kb"]
    return kb
