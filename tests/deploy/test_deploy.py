"""The production server's settings, and the container files against the code they start.

There is no Docker engine here, so the image and compose file are checked for what they would
run: the same ``incilens serve`` and Celery worker the integration tests run natively, with
settings this code knows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from incilens import create_app
from incilens.config import DEFAULTS
from incilens.http.serving import THREADS, WORKERS, gunicorn_app, worker_timeout
from incilens.pipeline import SECOND_READ_BUDGET_S

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
DOCKERFILE = (REPO / "service" / "Dockerfile").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app({"TESTING": True})


# -- gunicorn ----------------------------------------------------------------------------------
@pytest.mark.parametrize("ocr_timeout", [1, 20, 60])
def test_worker_timeout_is_above_a_photos_worst_case(ocr_timeout: float) -> None:
    worst = SECOND_READ_BUDGET_S + ocr_timeout  # a last read started just before the budget
    assert worker_timeout(ocr_timeout) >= 2 * worst


ENV_CASES = [
    # (GUNICORN_CMD_ARGS, setting, expected)
    ("", "workers", WORKERS),
    ("", "threads", THREADS),
    ("", "timeout", 90),
    ("", "bind", ["127.0.0.1:8123"]),
    ("--workers 5", "workers", 5),
    ("--threads 1 --timeout 200", "timeout", 200),
    ("--keep-alive 9", "keepalive", 9),
]


@pytest.mark.parametrize(("env", "name", "expected"), ENV_CASES)
def test_gunicorn_settings_and_gunicorn_cmd_args(
    app: Any, monkeypatch: pytest.MonkeyPatch, env: str, name: str, expected: Any
) -> None:
    monkeypatch.setenv("GUNICORN_CMD_ARGS", env)
    server = gunicorn_app(app, host="127.0.0.1", port=8123)
    assert server.cfg.settings[name].get() == expected
    assert server.cfg.settings["worker_class"].get() == "gthread"
    assert server.cfg.when_ready.__name__ == "_share_memory"  # gc.freeze before the forks
    assert server.cfg.post_worker_init.__name__ == "_start_worker"  # the job runner


# -- the container files -----------------------------------------------------------------------
def _env_names(text: str) -> set[str]:
    return set(re.findall(r"\bINCILENS_([A-Z_]+)\b", text))


def test_every_incilens_variable_in_the_deploy_files_is_a_setting() -> None:
    known = set(DEFAULTS)
    files = ["docker-compose.yml", "service/Dockerfile", "docs/DEPLOY.md", "deploy/nginx.conf"]
    for name in files:
        unknown = _env_names((REPO / name).read_text(encoding="utf-8")) - known
        assert not unknown, f"{name} sets INCILENS_ variables the service does not read: {unknown}"


def test_the_image_runs_incilens_serve_on_port_8000() -> None:
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd is not None
    assert yaml.safe_load(cmd.group(1)) == ["incilens", "serve", "--host", "0.0.0.0", "--port",
                                            "8000"]  # fmt: skip
    assert "USER incilens" in DOCKERFILE  # not root
    assert re.search(r"tesseract-ocr\b.*tesseract-ocr-eng", DOCKERFILE, re.S)
    assert COMPOSE["services"]["api"]["ports"] == ["8000:8000"]


def test_compose_services_and_the_worker_command() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"api", "worker", "redis", "nginx"}
    assert services["nginx"]["profiles"] == ["nginx"]  # optional
    command = services["worker"]["command"]
    assert command[:4] == ["celery", "-A", "incilens.worker", "worker"]
    for role in ("api", "worker"):
        env = services[role]["environment"]
        assert env["INCILENS_REDIS_URL"] == "redis://redis:6379/0"
        assert services[role]["depends_on"]["redis"]["condition"] == "service_healthy"
    redis_cmd = services["redis"]["command"]
    assert "--appendonly" in redis_cmd and "noeviction" in redis_cmd  # queued items survive


def test_the_celery_app_the_worker_command_names_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    import incilens.worker

    monkeypatch.setenv("INCILENS_REDIS_URL", "redis://127.0.0.1:1/0")  # never connected to
    incilens.worker._cli_app.cache_clear()
    try:
        app = incilens.worker.app
        assert "incilens.analyze_item" in app.tasks
        assert app.conf.task_acks_late is True
    finally:
        incilens.worker._cli_app.cache_clear()
