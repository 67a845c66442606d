"""Load test of the real service: gunicorn with the production settings, on loopback only.

    python bench/load.py                   # about 3 minutes; figures quoted in docs/BENCHMARKS.md
    python bench/load.py --seconds 10      # a quicker look

It starts ``incilens serve`` (the production workers and threads, the OCR cache off) on a free
127.0.0.1 port and runs four phases, each bounded in time and in request count, then stops the
server:

1. sustained text analysis: ``wrk`` (closed loop) posting real labels from the text dev set;
2. sustained photo analysis: ``wrk`` posting a rendered label photo through real Tesseract;
3. text at three times the sustained rate, open loop, from anonymous clients (per-IP limits);
4. photos at three times the sustained rate, open loop, with an API key (the OCR cap).

Phases 1, 2 and 4 send an API key whose limits the bench sets above the machine's capacity
(a partner key would be configured the same way), so they measure the service, not the limiter;
phase 3 is anonymous and meets the production per-IP limits. For each phase it reports the
throughput, p50/p99 latency, the status counts and the resident memory of the master and
workers (start, peak, end), and checks that no worker died. Needs ``wrk`` (apt) and Tesseract.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "service"))

from incilens.http.keys import new_key  # noqa: E402
from incilens.http.serving import THREADS, WORKERS  # noqa: E402

HOST = "127.0.0.1"
LABELS = REPO / "bench" / "devset" / "text" / "clean.jsonl"
PHOTO = REPO / "tests" / "resources" / "labels" / "clean.png"
BOUNDARY = "incilens-load-boundary"


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


# -- the server and its memory ------------------------------------------------------------------
class Server:
    """``incilens serve`` with the production settings, plus the bench client's key."""

    def __init__(
        self,
        key_digest: str,
        workers: int,
        threads: int,
        *,
        env: dict[str, str] | None = None,
        gunicorn: list[str] | None = None,
    ) -> None:
        """Start the server; ``gunicorn`` runs the plain gunicorn command with these options
        (``incilens:create_app()``) instead of ``incilens serve`` (a baseline)."""
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        env = {
            **os.environ,
            "OMP_THREAD_LIMIT": "1",
            "INCILENS_API_KEYS": f"bench:{key_digest}",
            "INCILENS_RATE_LIMIT_KEYED": "1000000 per minute",
            "INCILENS_RATE_LIMIT_IMAGE_KEYED": "1000000 per minute",
            **(env or {}),
        }
        env.pop("GUNICORN_CMD_ARGS", None)
        if gunicorn is None:
            cmd = [sys.executable, "-m", "incilens.cli", "serve", "--host", HOST]
            cmd += ["--port", str(self.port), "--workers", str(workers), "--threads", str(threads)]
        else:
            cmd = [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"{HOST}:{self.port}"]
            cmd += ["--workers", str(workers), "--threads", str(threads), *gunicorn]
            cmd += ["incilens:create_app()"]
        self.log = Path(tempfile.gettempdir()) / f"incilens-load-{self.port}.log"
        with self.log.open("wb") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited; see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as resp:
                    if json.load(resp)["status"] == "ok":
                        break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise SystemExit("server did not start in 90 s")
        time.sleep(1.0)  # let every worker finish booting

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return {int(p) for p in children.read_text().split()} if children.exists() else set()

    def rss_mib(self) -> float:
        total = 0
        for pid in {self.proc.pid, *self.workers()}:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmRSS:\s+(\d+) kB", status)
            total += int(match.group(1)) if match else 0
        return total / 1024

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


class MemoryWatch:
    """Samples the server's resident memory every 0.25 s while a phase runs."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(self.server.rss_mib())
            self._stop.wait(0.25)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        s = self.samples or [0.0]
        return {"start": round(s[0], 1), "peak": round(max(s), 1), "end": round(s[-1], 1)}


# -- request bodies -----------------------------------------------------------------------------
def text_bodies(limit: int = 60) -> list[bytes]:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    return [json.dumps({"text": r["text"]}).encode() for r in rows[:limit]]


def photo_body(photo: Path = PHOTO) -> bytes:
    """A multipart body with ``photo`` as the ``image`` field."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="{photo.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + photo.read_bytes() + f"\r\n--{BOUNDARY}--\r\n".encode()


# -- phases 1 and 2: wrk, closed loop ------------------------------------------------------------
WRK_SCRIPT = """
local paths = {%(paths)s}
local bodies = {}
for i, p in ipairs(paths) do
  local f = io.open(p, "rb"); bodies[i] = f:read("*a"); f:close()
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "%(ctype)s"
wrk.headers["X-API-Key"] = "%(key)s"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "%(path)s", nil, bodies[(n %% #bodies) + 1])
end
"""


def wrk(url: str, path: str, bodies: list[bytes], ctype: str, key: str, *, connections: int,
        seconds: int, workdir: Path) -> dict[str, Any]:  # fmt: skip
    files = []
    for i, body in enumerate(bodies):
        f = workdir / f"body-{path.strip('/').replace('/', '-')}-{i}"
        f.write_bytes(body)
        files.append(f'"{f}"')
    script = workdir / "script.lua"
    script.write_text(
        WRK_SCRIPT % {"paths": ", ".join(files), "ctype": ctype, "key": key, "path": path}
    )
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "30s", "-s", str(script), url]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)
    text = out.stdout

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not m:
            return None
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
        return round(float(m.group(1)) * scale, 1)

    requests = re.search(r"(\d+) requests in", text)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "requests": int(requests.group(1)) if requests else 0,
        "rate_per_s": float(rate.group(1)) if rate else 0.0,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else "none",
        "connections": connections,
    }


# -- phases 3 and 4: open loop at a fixed arrival rate ---------------------------------------------
async def _one(path: str, body: bytes, ctype: str, headers: dict[str, str], port: int,
               timeout: float) -> tuple[int, float, str]:  # fmt: skip
    start = time.perf_counter()
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}Connection: close\r\n\r\n"
    ).encode()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
        writer.write(head + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
    except (TimeoutError, OSError) as e:
        return 0, time.perf_counter() - start, type(e).__name__
    status = int(raw[9:12]) if raw.startswith(b"HTTP/1.") else 0
    retry = re.search(rb"\r\nRetry-After: (\d+)", raw)
    return status, time.perf_counter() - start, "retry-after" if retry else ""


async def _open_loop(
    path: str,
    bodies: list[bytes],
    ctype: str,
    headers: dict[str, str],
    port: int,
    rate: float,
    seconds: int,
    max_requests: int,
) -> dict[str, Any]:
    total = min(max_requests, int(rate * seconds))
    begin = time.perf_counter()
    tasks = []
    for i in range(total):
        delay = begin + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        body = bodies[i % len(bodies)]
        tasks.append(asyncio.create_task(_one(path, body, ctype, headers, port, 30.0)))
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - begin
    statuses = Counter(str(s) if s else "error" for s, _, _ in results)
    by_status: dict[str, list[float]] = {}
    for status, latency, _ in results:
        by_status.setdefault(str(status), []).append(latency * 1000)

    def q(values: list[float], p: float) -> float:
        values = sorted(values)
        return round(values[min(len(values) - 1, int(p * len(values)))], 1) if values else 0.0

    refused = [s for s, _, _ in results if s in (429, 503)]
    with_retry = sum(1 for s, _, tag in results if s in (429, 503) and tag == "retry-after")
    return {
        "offered_per_s": round(rate, 1),
        "sent": total,
        "achieved_per_s": round(total / elapsed, 1),
        "statuses": dict(statuses),
        "latency_ms": {
            k: {"p50": q(v, 0.5), "p99": q(v, 0.99), "max": q(v, 1.0)} for k, v in by_status.items()
        },
        "refusals_with_retry_after": f"{with_retry}/{len(refused)}",
    }


def open_loop(*args: Any) -> dict[str, Any]:
    return asyncio.run(_open_loop(*args))


# -- the run ------------------------------------------------------------------------------------
def measure(phases: list[tuple[str, Any]], server: Any, results: dict[str, Any]) -> None:
    """Run each phase with the server's memory watched; record and print its figures."""
    for name, run in phases:
        with MemoryWatch(server) as mem:
            results[name] = run()
        results[name]["rss_mib"] = mem.summary()
        print(name, json.dumps(results[name]), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each phase")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per open-loop phase")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    key, digest = new_key()
    results: dict[str, Any] = {"cores": os.cpu_count(), "seconds_per_phase": args.seconds}
    # The OCR cache off: every photo is read, as when each client sends a different one.
    server = Server(digest, args.workers, args.threads, env={"INCILENS_OCR_CACHE_SIZE": "0"})
    try:
        with tempfile.TemporaryDirectory(prefix="incilens-load-") as tmp:
            workdir = Path(tmp)
            texts, photo = text_bodies(), photo_body()
            first_workers = server.workers()
            phases: list[tuple[str, Any]] = [
                ("text_sustained", lambda: wrk(
                    server.url, "/v1/analyze/text", texts, "application/json", key,
                    connections=8, seconds=args.seconds, workdir=workdir)),
                ("image_sustained", lambda: wrk(
                    server.url, "/v1/analyze/image", [photo],
                    f"multipart/form-data; boundary={BOUNDARY}", key,
                    connections=2, seconds=args.seconds, workdir=workdir)),
            ]  # fmt: skip
            measure(phases, server, results)
            text_rate = 3 * results["text_sustained"]["rate_per_s"]
            image_rate = 3 * results["image_sustained"]["rate_per_s"]
            overload: list[tuple[str, Any]] = [
                ("text_3x_anonymous", lambda: open_loop(
                    "/v1/analyze/text", texts, "application/json", {}, server.port,
                    text_rate, args.seconds, args.max_requests)),
                ("image_3x_keyed", lambda: open_loop(
                    "/v1/analyze/image", [photo], f"multipart/form-data; boundary={BOUNDARY}",
                    {"X-API-Key": key}, server.port, image_rate, args.seconds,
                    args.max_requests)),
            ]  # fmt: skip
            measure(overload, server, results)
            with urllib.request.urlopen(server.url + "/health", timeout=5) as resp:
                health = json.load(resp)
            results["after"] = {
                "health": health["status"],
                "ocr": health["ocr"]["status"],
                "master_alive": server.proc.poll() is None,
                "workers_replaced": len(first_workers - server.workers()),
            }
    finally:
        server.stop()
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ok = (
        results["text_sustained"]["non_2xx"] == 0
        and results["image_sustained"]["non_2xx"] == 0
        and results["after"]["master_alive"]
        and results["after"]["workers_replaced"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
