"""The real service and a real headless Chromium, started by the tests themselves.

``LiveServer`` runs ``incilens serve`` (gunicorn, the production entry point) on a free loopback
port and waits for ``/health``; ``chromium_path`` finds Debian's Chromium, which Playwright drives
with ``executable_path`` (Playwright's own browser download is never used). Browser tests
under CI fail, never skip, when Chromium or Playwright is missing: ``make test`` installs both.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")

# Flags that keep a headless Chromium quiet and offline in a sandboxed CI box.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def chromium_path() -> str | None:
    """Debian's Chromium binary, or None."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    return found


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``incilens serve`` on loopback, for the duration of a ``with`` block."""

    def __init__(
        self,
        *,
        workers: int = 1,
        threads: int = 4,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60.0,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = REPO / ".pytest_cache" / f"live-server-{self.port}.log"

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        env = dict(os.environ)
        env.setdefault("OMP_THREAD_LIMIT", "1")
        env.update(self.extra_env)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "incilens.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
        ]
        with self.log_path.open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as resp:
                    if json.load(resp).get("status") == "ok":
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer /health in {self.startup_timeout} s")

    def stop(self) -> None:
        stop_process_group(self.proc, timeout=15)


def stop_process_group(proc: subprocess.Popen[bytes] | None, *, timeout: float) -> None:
    """SIGTERM a process started with ``start_new_session`` and its children; SIGKILL if slow."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


def raw(port: int, request: bytes) -> tuple[int, dict[str, str], Any]:
    """Send bytes as they are (urllib would refuse a malformed request) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, json.loads(body)


def get_line(line_length: int) -> bytes:
    """A GET of an ingredient page whose request line (without its CRLF) has ``line_length``
    bytes, the length gunicorn's ``limit_request_line`` counts."""
    path_length = line_length - len("GET  HTTP/1.1")
    path = "/v1/ingredients/" + "a" * (path_length - len("/v1/ingredients/"))
    return f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
