"""Flask wiring of the knowledge base and its matcher: build both once per app, hand them out."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from incilens.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.matching import Matcher

__all__ = ["get_kb", "get_matcher", "init_kb"]


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
