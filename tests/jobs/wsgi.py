"""The app with the job routes, for tests that run a real gunicorn (``make_app()``)."""

from __future__ import annotations

from flask import Flask

from incilens import create_app
from incilens.jobs_api import init_app


def make_app() -> Flask:
    app = create_app()
    if "jobs" not in app.extensions.get("incilens", {}):  # until create_app registers them
        init_app(app)
    return app
