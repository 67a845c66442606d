"""The production server: gunicorn with settings chosen by measurement (``incilens serve``).

One place holds how the service is served, for ``make run``, the container image and
``bench/serve_sizing.py`` alike:

* **Workers and threads** default to :data:`WORKERS` x :data:`THREADS`, chosen from a grid
  measured on 2 cores (``python bench/serve_sizing.py``; figures in ``docs/DEPLOY.md``). Text
  analysis is pure Python and holds the GIL, so only processes run it in parallel; a photo
  spends most of its time in a Tesseract subprocess, so threads keep a worker answering texts
  while its photos are read.
* **The knowledge base is loaded before forking** (the app is built in the master) and the
  master then moves every object it has into the permanent generation (``gc.freeze``), so the
  workers' collectors never write to those pages and the copy-on-write sharing holds.
* **Timeouts** follow the OCR timeout: a worker is restarted only when it has been silent for
  twice a photo's worst case (:func:`worker_timeout`).
* **gunicorn's own refusals are JSON.** A request gunicorn rejects before the app sees it (a
  request line over ``limit_request_line``, 4094 bytes; headers over their limits; a malformed
  request line or HTTP version) gets the project's ``{"error": {"code", "message"}}`` body with
  gunicorn's status, instead of gunicorn's HTML page (:func:`write_json_error`).
* ``GUNICORN_CMD_ARGS`` (gunicorn's own variable) is applied last, so any gunicorn setting can
  be changed without a rebuild.
"""

from __future__ import annotations

import gc
import json
import os
import shlex
import socket
import time
from pathlib import Path
from typing import Any

from flask import Flask

__all__ = [
    "THREADS",
    "WORKERS",
    "gunicorn_app",
    "gunicorn_settings",
    "serve",
    "worker_timeout",
    "write_json_error",
]

#: Chosen by measurement on 2 cores (bench/serve_sizing.py): see docs/DEPLOY.md.
WORKERS = 2
THREADS = 4


def worker_timeout(ocr_timeout: float) -> int:
    """Seconds a worker may stay silent before gunicorn restarts it.

    A photo's worst case is a read started just before ``SECOND_READ_BUDGET_S`` that runs to
    the OCR timeout; the worker timeout is twice that plus a margin (90 s with the default 20 s).
    """
    from incilens.pipeline import SECOND_READ_BUDGET_S  # not at import: the CLI starts fast

    return int(2 * (SECOND_READ_BUDGET_S + ocr_timeout)) + 20


def gunicorn_settings(
    app: Flask, *, host: str, port: int, workers: int = WORKERS, threads: int = THREADS
) -> dict[str, Any]:
    """The gunicorn settings for ``app`` (before ``GUNICORN_CMD_ARGS`` is applied)."""
    settings: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": worker_timeout(float(app.config["OCR_TIMEOUT"])),
        "graceful_timeout": 30,
        # Idle keep-alive connections close after 5 s; a proxy in front must drop its idle
        # upstream connections sooner (deploy/nginx.conf: 4 s) or a POST may meet a closed one.
        "keepalive": 5,
        "accesslog": "-",
    }
    if Path("/dev/shm").is_dir():  # heartbeat files off the (possibly read-only) disk
        settings["worker_tmp_dir"] = "/dev/shm"
    return settings


#: What the client should do after each refusal gunicorn makes itself, by status.
_ADVICE = {
    400: "The request could not be read as HTTP/1.1.",
    403: "The request was refused by the server.",
    431: "The request headers are too large; send fewer or shorter headers.",
    501: "Send the body with Content-Length or chunked transfer encoding.",
}
_LONG_LINE = "Request Line is too large"


def json_error_body(status: int, reason: str, detail: str) -> bytes:
    """The project's error body for a refusal made by gunicorn, before the app saw the request.

    Examples:
        >>> json.loads(json_error_body(431, "Request Header Fields Too Large", ""))["error"]["code"]
        'request_header_fields_too_large'
        >>> json.loads(json_error_body(500, "Internal Server Error", "boom"))["error"]["message"]
        'Something went wrong on our side; please try again.'
    """
    code = reason.lower().replace(" ", "_") or "bad_request"
    detail = detail.strip()
    if status >= 500 and status != 501:
        message = "Something went wrong on our side; please try again."
    elif detail.startswith(_LONG_LINE):  # "Request Line is too large (5029 > 4094)"
        message = (
            f"The request line (method and URL) is too long{detail[len(_LONG_LINE) :]} bytes. "
            "Send long names and lists in a POST body (POST /v1/analyze/text)."
        )
    else:
        advice = _ADVICE.get(status, "The request was refused.")
        message = f"{detail}. {advice}" if detail else advice
    return json.dumps({"error": {"code": code, "message": message}}).encode("utf-8")


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """Send gunicorn's refusal as JSON (replaces ``gunicorn.util.write_error``)."""
    from gunicorn import util

    body = json_error_body(status_int, reason, mesg)
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)
    _linger(sock)


def _linger(sock: socket.socket, *, seconds: float = 0.5, most: int = 1 << 20) -> None:
    """Read what the client is still sending before gunicorn closes the socket.

    Closing a socket with unread input sends a TCP reset, which can destroy the answer just
    written before the client reads it (a 20 KB request line, refused after its first 4 KB).
    Like a web server's lingering close: stop writing, then drain for a bounded time and size.
    """
    deadline = time.monotonic() + seconds
    try:
        sock.shutdown(socket.SHUT_WR)
        drained = 0
        while drained < most and (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                return
            drained += len(chunk)
    except OSError:  # the client has gone, or the time is up: nothing more to protect
        return


def _json_refusals() -> None:
    """Make every refusal gunicorn writes itself JSON (its workers call ``util.write_error``)."""
    from gunicorn import util

    util.write_error = write_json_error


def _share_memory(server: Any) -> None:
    """Before the first fork: freeze what the master built, so workers share its pages."""
    gc.collect()
    gc.freeze()


def _start_worker(worker: Any) -> None:
    """In each worker once it has booted: run the app's after-fork hooks (the job runner)."""
    state = worker.wsgi.extensions.get("incilens")
    for hook in state.after_fork if state is not None else ():
        hook()


def gunicorn_app(
    app: Flask, *, host: str, port: int, workers: int = WORKERS, threads: int = THREADS
) -> Any:
    """The gunicorn application serving ``app`` (call ``run()`` on it), its settings applied."""
    from gunicorn.app.base import BaseApplication

    settings = gunicorn_settings(app, host=host, port=port, workers=workers, threads=threads)
    _json_refusals()  # in the master, before the workers fork

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in settings.items():
                self.cfg.set(name, value)
            self.cfg.set("when_ready", _share_memory)
            self.cfg.set("post_worker_init", _start_worker)
            extra = os.environ.get("GUNICORN_CMD_ARGS", "")
            if extra:  # gunicorn's own variable wins, as with the gunicorn command
                parsed = self.cfg.parser().parse_args(shlex.split(extra))
                for name, value in vars(parsed).items():
                    if value is not None and name != "args":
                        self.cfg.set(name.lower(), value)

        def load(self) -> Flask:
            return app

    return _Server()


def serve(
    app: Flask, *, host: str, port: int, workers: int = WORKERS, threads: int = THREADS
) -> None:
    """Serve ``app`` (already built: the master holds the knowledge base) under gunicorn."""
    gunicorn_app(app, host=host, port=port, workers=workers, threads=threads).run()
