"""Throughput of batch jobs with 1 and 2 Celery workers, natively, on loopback only.

    python bench/jobs.py                 # 24 photos per run, about a minute in all
    python bench/jobs.py --items 8       # a quicker look

It starts a throwaway ``redis-server`` on a free 127.0.0.1 port, then for each worker count
starts that many Celery workers (``--pool=prefork --concurrency=1`` each, as separate machines
would run them, ``OMP_THREAD_LIMIT=1``), submits one job of distinct rendered label photos (so no
read comes from the OCR cache) through the real ``POST /v1/jobs`` route, and times the job from
submission until every item has finished. Every wait is bounded; everything started is stopped
by process id. Needs redis-server, celery and Tesseract.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
NAMES = ("Aqua, Glycerin, Niacinamide, Cetearyl Alcohol, Dimethicone, Phenoxyethanol, "
         "Tocopherol, Xanthan Gum, Citric Acid, Parfum, Limonene").split(", ")  # fmt: skip


def label(n: int, size: int = 30) -> bytes:
    """A rendered label photo; ``n`` rotates the list so that every photo differs."""
    names = NAMES[n % len(NAMES) :] + NAMES[: n % len(NAMES)]
    text = f"Batch {n}. Ingredients: " + ", ".join(names) + ". Made in France."
    lines = textwrap.wrap(text, 42)
    font = ImageFont.truetype(FONT, size)
    image = Image.new("RGB", (24 * size, 2 * size + len(lines) * int(size * 1.4)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size + i * int(size * 1.4)), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise SystemExit(f"gave up after {timeout:g} s waiting for {what}")


def start_workers(count: int, url: str, logdir: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "OMP_THREAD_LIMIT": "1",
           "INCILENS_REDIS_URL": url}  # fmt: skip
    started = []
    for i in range(count):
        log = logdir / f"worker-{count}-{i}.log"
        argv = [str(CELERY), "-A", "incilens.worker", "worker", "--pool=prefork",
                "--concurrency=1", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-n", f"bench{count}-{i}@%h"]  # fmt: skip
        with log.open("wb") as out:
            proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)  # fmt: skip
        started.append((proc, log))
    return started


def stop(procs: list[tuple[subprocess.Popen[bytes], Path]]) -> None:
    for proc, _ in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc, _ in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def run(count: int, items: int, url: str, logdir: Path, offset: int) -> tuple[float, float]:
    """Items per second through ``count`` workers, and the mean number of reads per photo."""
    from incilens import create_app
    from incilens.http.jobs import init_app

    app = create_app({"TESTING": True, "REDIS_URL": url, "MAX_JOB_ITEMS": items,
                      "MAX_JOB_BYTES": 200 * 2**20})  # fmt: skip
    if app.extensions["incilens"].jobs is None:
        init_app(app)
    client = app.test_client()
    photos = [label(offset + i) for i in range(items)]
    procs = start_workers(count, url, logdir)
    try:
        # Ready means the knowledge base is loaded (it is loaded before the worker consumes).
        wait(lambda: all(b" ready." in log.read_bytes() for _, log in procs), 60,
             f"{count} workers")  # fmt: skip
        form = {"images": [(io.BytesIO(p), f"{i}.png") for i, p in enumerate(photos)]}
        t0 = time.perf_counter()
        response = client.post("/v1/jobs", data=form, content_type="multipart/form-data")
        assert response.status_code == 202, response.get_json()
        location = response.headers["Location"]
        body: dict[str, Any] = {}

        def finished() -> bool:
            nonlocal body
            body = client.get(location).get_json()
            return body["status"] in ("done", "failed")

        wait(finished, 30 + 10 * items, f"the job on {count} workers")
        elapsed = time.perf_counter() - t0
        failed = body["counts"]["failed"]
        if failed:
            raise SystemExit(f"{failed} items failed: {body['items']}")
        reads = [len(item["report"]["ocr"]["attempts"]) for item in body["items"]]
        return items / elapsed, sum(reads) / len(reads)
    finally:
        stop(procs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            url = f"redis://127.0.0.1:{port}/0"
            ping = ["redis-cli", "-p", str(port), "ping"]
            wait(lambda: subprocess.run(ping, capture_output=True, check=False).stdout == b"PONG\n",
                 10, "redis")  # fmt: skip
            rates = {}
            for count in (1, 2):
                rates[count], reads = run(count, args.items, url, Path(tmp), offset=1000 * count)
                print(f"{count} worker(s): {args.items} photos, {rates[count]:.2f} photos/s "
                      f"({reads:.1f} reads per photo)")  # fmt: skip
            print(f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f}x  (cores: {os.cpu_count()})")
        finally:
            redis.kill()
            redis.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
