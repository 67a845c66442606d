"""Real components for the job tests: a redis-server and Celery workers on loopback.

Both are started by the tests on free ports, with their output in the test's temporary
directory (printed when a wait fails), and killed by process id at teardown. A missing
redis-server or celery skips on a developer's machine and fails under CI.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from incilens import create_app
from tests.conftest import REPO, need
from tests.live import stop_process_group

CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(
    check: Callable[[], Any], *, timeout: float, what: str, log: Path | None = None
) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` (and a log) if not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    tail = ""
    if log is not None and log.exists():
        tail = "\n--- " + str(log) + " ---\n" + log.read_text(errors="replace")[-4000:]
    pytest.fail(f"gave up after {timeout:g} s waiting for {what}{tail}")


class RedisServer:
    """A throwaway redis-server on a fixed loopback port (so it can be restarted in place).

    With ``persist`` every write goes to an append-only file in ``workdir`` before Redis
    answers, so even a SIGKILL loses nothing: a restart finds the queue and the jobs again.
    """

    def __init__(self, workdir: Path, *, persist: bool = False) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.persist = persist
        self.log = workdir / f"redis-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        appendonly, fsync = ("yes", "always") if self.persist else ("no", "everysec")
        argv = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", appendonly, "--appendfsync", fsync,
                "--dir", str(self.workdir)]  # fmt: skip
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        wait_for(self.ping, timeout=10, what=f"redis-server on port {self.port}", log=self.log)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


class Worker:
    """A Celery worker (prefork, one process) in its own process group."""

    count = 0

    def __init__(self, redis_url: str, workdir: Path, **env: str) -> None:
        Worker.count += 1
        self.name = f"w{Worker.count}"
        self.log = workdir / f"worker-{self.name}.log"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "OMP_THREAD_LIMIT": "1",
            "INCILENS_REDIS_URL": redis_url,
            "INCILENS_JOB_VISIBILITY_TIMEOUT": "3",
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        argv = [str(CELERY), "-A", "incilens.worker", "worker", "--pool=prefork",
                "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-n", f"{self.name}@%h"]  # fmt: skip
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                argv, cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        wait_for(lambda: b" ready." in self.log.read_bytes(), timeout=timeout,
                 what=f"celery worker {self.name} to be ready", log=self.log)  # fmt: skip

    def pool_pids(self) -> list[int]:
        """The worker's pool processes (children of its main process)."""
        assert self.proc is not None
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        """SIGKILL the whole worker: main process and pool, as a machine loss would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        stop_process_group(self.proc, timeout=10)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    need(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture()
def workers(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers with ``workers(redis_url, **env)``; all are stopped at teardown."""
    need(CELERY.exists(), "celery is not installed in this environment")
    started: list[Worker] = []

    def start(redis_url: str, **env: str) -> Worker:
        worker = Worker(redis_url, tmp_path, **env).start()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


def jobs_app(config: dict[str, Any]) -> Flask:
    """A testing app (with the job routes, like every app)."""
    return create_app({"TESTING": True, **config})


def wait_job(client: FlaskClient, url: str, *, timeout: float, log: Path | None = None) -> Any:
    """Poll a job until it is done or failed; return its body."""

    def finished() -> Any:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return body if body["status"] in ("done", "failed") else None

    return wait_for(finished, timeout=timeout, what=f"job {url} to finish", log=log)
