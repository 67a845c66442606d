"""The HTTP path against a hello-world route, side by side, under the same gunicorn settings.

    python bench/http_json.py                  # about 2 minutes (two rounds of 6 x 8 s)
    python bench/http_json.py --seconds 4 --rounds 1
    python bench/http_json.py --check          # exit 1 when a target of issue 16 is missed
    python bench/http_json.py --real-sizes bench/devset/real/real.jsonl   # sizes on real text

It starts two servers on free 127.0.0.1 ports with the production settings of
``incilens.http.serving`` (workers x threads, the app built before the fork): a Flask app with
one hello-world JSON route, and ``incilens serve``. Then ``wrk`` (closed loop, 8 connections)
runs each load in turn, round after round, so both servers meet the same machine: the hello
route, and ``POST /v1/analyze/text`` with a 30-item list, full and ``?view=compact``, plain and
with ``Accept-Encoding: gzip`` (the full report with Brotli too). It prints each load's median
rate over the rounds, its share of the hello-world rate in the same run (the figure that means
something on a shared machine), p50/p99 latency and the bytes of one answer on the wire. It
also times ``analyze_text`` in process (every cache cleared, the analysis caches cleared, and
warm: see :func:`in_process`), then prints each target with what this run measured.
Needs ``wrk`` (apt).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import brotli

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "service"))

HOST = "127.0.0.1"
#: A 30-item list as a moisturiser prints it.
ITEMS = (
    "Aqua, Glycerin, Caprylic/Capric Triglyceride, Cetearyl Alcohol, Butylene Glycol, "
    "Niacinamide, Dimethicone, Glyceryl Stearate, PEG-100 Stearate, Squalane, "
    "Butyrospermum Parkii Butter, Panthenol, Sodium Hyaluronate, Tocopherol, Allantoin, "
    "Ceramide NP, Cholesterol, Phytosphingosine, Carbomer, Xanthan Gum, Sodium Hydroxide, "
    "Disodium EDTA, Phenoxyethanol, Ethylhexylglycerin, Citric Acid, Parfum, Limonene, "
    "Linalool, Retinol, Salicylic Acid"
)
TEXT = "Ingredients: " + ITEMS
DECODE = {None: bytes, "gzip": gzip.decompress, "br": brotli.decompress}
LOADS = (
    # (name, path, body?, extra headers)
    ("hello", "/hello", False, {}),
    ("text full", "/v1/analyze/text", True, {}),
    ("text compact", "/v1/analyze/text?view=compact", True, {}),
    ("text full gzip", "/v1/analyze/text", True, {"Accept-Encoding": "gzip"}),
    ("text compact gzip", "/v1/analyze/text?view=compact", True, {"Accept-Encoding": "gzip"}),
    ("text full br", "/v1/analyze/text", True, {"Accept-Encoding": "br"}),
)
WRK_SCRIPT = """
wrk.method = "%(method)s"
wrk.headers["Content-Type"] = "application/json"
%(headers)s
%(body)s
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def hello_server(port: int) -> None:
    """Serve a hello-world JSON route with the service's own gunicorn settings."""
    from flask import Flask, jsonify

    from incilens.config import DEFAULTS
    from incilens.http.serving import serve

    app = Flask("hello")
    app.config["OCR_TIMEOUT"] = DEFAULTS["OCR_TIMEOUT"]  # the same worker timeout
    app.add_url_rule("/hello", "hello", lambda: jsonify({"hello": "world"}))
    serve(app, host=HOST, port=port)


def start(cmd: list[str], port: int, probe: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "INCILENS_REDIS_URL": ""}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd} exited; see {log}")
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}{probe}", timeout=2).close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{cmd} did not answer; see {log}")


def wrk(base: str, path: str, body: bool, headers: dict[str, str], *, seconds: int,
        connections: int, workdir: Path) -> dict[str, Any]:  # fmt: skip
    lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    payload = json.dumps({"text": TEXT}).replace("\\", "\\\\").replace('"', '\\"')
    script = workdir / "load.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "method": "POST" if body else "GET",
            "headers": lines,
            "body": f'wrk.body = "{payload}"' if body else "",
        }
    )
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    out = subprocess.run([*cmd, "-s", str(script), base + path], capture_output=True, text=True,
                         timeout=seconds + 60, check=True).stdout  # fmt: skip

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)] if m else 0.0
        return round(float(m.group(1)) * scale, 2) if m else 0.0

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rate": float(rate.group(1)) if rate else 0.0,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "non_2xx": int(bad.group(1)) if bad else 0,
    }


def wire_bytes(base: str, path: str, body: bool, headers: dict[str, str]) -> tuple[int, int]:
    """The answer's bytes as sent (body only) and its JSON's size once decoded."""
    data = json.dumps({"text": TEXT}).encode() if body else None
    request = urllib.request.Request(
        base + path, data=data, headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        decode = DECODE[response.headers.get("Content-Encoding")]
    return len(raw), len(decode(raw))


def in_process(repeat: int) -> dict[str, float]:
    """``analyze_text`` p50 in milliseconds of CPU time, three ways.

    CPU time, not wall time: on a shared machine a call that takes a few milliseconds is often
    descheduled half-way, and wall time then measures the neighbours.

    ``cold``: every cache cleared before each call, the knowledge base's parsed records too, so
    each of the 30 records is decoded and frozen again. ``analysis_cold``: the matcher's caches
    cleared, the records already parsed (a server that has seen these ingredients before, with
    a list it has not). ``warm``: nothing cleared.
    """
    from incilens.kb.knowledge import KnowledgeBase
    from incilens.pipeline import analyze_text, build_matcher

    kb = KnowledgeBase.load()
    matcher = build_matcher(kb)
    analysis = [getattr(matcher, name) for name in ("_analyse", "_matches")]
    everything = [*analysis, kb._record]

    def run(caches: list[Any]) -> float:
        times = []
        for _ in range(repeat):
            for cache in caches:
                cache.cache_clear()
            t = time.process_time()
            analyze_text(TEXT, kb=kb, matcher=matcher)
            times.append(time.process_time() - t)
        return round(statistics.median(times) * 1000, 2)

    run([])  # imports, first records
    return {
        "cold_p50_ms": run(everything),
        "analysis_cold_p50_ms": run(analysis),
        "warm_p50_ms": run([]),
    }


def real_sizes(path: Path, limit: int) -> None:
    """Bytes of the full and compact reports, plain and gzipped, for real label texts.

    The bench's own list is one moisturiser; this prints the median and the 90th percentile
    over the first ``limit`` texts of a JSON-lines corpus (``bench/devset/real/real.jsonl``:
    real label text from public sources, not written by us), by the app in process with the
    same encoder and gzip level as the server.
    """
    from incilens.app import create_app

    client = create_app({"TESTING": True}).test_client()
    level = int(client.application.config["COMPRESS_LEVEL"])
    rows = [json.loads(line) for line in path.read_text().splitlines()[:limit]]
    sizes: dict[str, list[int]] = {"full": [], "full gzip": [], "compact": [], "compact gzip": []}
    items: list[int] = []
    for row in rows:
        for view in ("full", "compact"):
            body = client.post(
                f"/v1/analyze/text?view={view}", json={"text": row["text"]}
            ).get_data()
            sizes[view].append(len(body))
            sizes[f"{view} gzip"].append(len(gzip.compress(body, level)))
        items.append(len(json.loads(body)["ingredients"]))
    print(f"{len(rows)} real label texts from {path.name}, median {statistics.median(items):.0f} "
          f"items: bytes median / 90th percentile")  # fmt: skip
    for name, values in sizes.items():
        values.sort()
        p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
        print(f"  {name:<14}{statistics.median(values):>9,.0f}{p90:>9,}")


#: The issue's targets: (what, load or timing, comparison, bound).
TARGETS = (
    ("full report, share of hello", "text full", "share", ">=", 0.20),
    ("compact report, share of hello", "text compact", "share", ">=", 0.30),
    ("full report gzip, bytes", "text full gzip", "wire", "<=", 20_000),
    ("compact report gzip, bytes", "text compact gzip", "wire", "<=", 6_000),
    ("analyze_text p50 ms, analysis caches cleared", "", "analysis_cold_p50_ms", "<=", 1.5),
)


def check_targets(results: dict[str, dict[str, float]], timings: dict[str, float]) -> bool:
    """Print each target with what this run measured; True when all are met."""
    print("targets:")
    met_all = True
    for label, load, key, op, bound in TARGETS:
        value = timings[key] if not load else results[load][key]
        met = value >= bound if op == ">=" else value <= bound
        met_all &= met
        shown = f"{value:.1%}" if key == "share" else f"{value:,}"
        want = f"{bound:.0%}" if key == "share" else f"{bound:,}"
        print(f"  {'met   ' if met else 'MISSED'} {label}: {shown} (target {op} {want})")
    return met_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a target of the issue is missed")  # fmt: skip
    parser.add_argument("--real-sizes", type=Path, metavar="JSONL",
                        help="only print report sizes for the texts of a corpus "
                        "(bench/devset/real/real.jsonl) and exit")  # fmt: skip
    parser.add_argument("--limit", type=int, default=200, help="texts read by --real-sizes")
    parser.add_argument("--hello-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.real_sizes:
        real_sizes(args.real_sizes, args.limit)
        return 0
    if args.hello_server:
        hello_server(args.hello_server)
        return 0
    hello_port, api_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        hello = start([sys.executable, __file__, "--hello-server", str(hello_port)], hello_port,
                      "/hello", work / "hello.log")  # fmt: skip
        api = start([sys.executable, "-m", "incilens.cli", "serve", "--host", HOST, "--port",
                     str(api_port)], api_port, "/health", work / "api.log")  # fmt: skip
        try:
            bases = {"hello": f"http://{HOST}:{hello_port}"}
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in LOADS}
            for _ in range(args.rounds):
                for name, path, body, headers in LOADS:
                    base = bases.get(name, f"http://{HOST}:{api_port}")
                    runs[name].append(wrk(base, path, body, headers, seconds=args.seconds,
                                          connections=args.connections, workdir=work))  # fmt: skip
            sizes = {
                name: wire_bytes(bases.get(name, f"http://{HOST}:{api_port}"), path, body, headers)
                for name, path, body, headers in LOADS
            }
        finally:
            for proc in (hello, api):
                proc.terminate()
                proc.wait(timeout=30)
    hello_rate = statistics.median(r["rate"] for r in runs["hello"])
    print(f"{args.rounds} round(s) of {args.seconds} s per load, {args.connections} connections")
    print(f"{'load':<20}{'req/s':>9}{'of hello':>10}{'p50 ms':>9}{'p99 ms':>9}{'wire B':>9}"
          f"{'JSON B':>9}{'non-2xx':>9}")  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    for name, *_ in LOADS:
        rate = statistics.median(r["rate"] for r in runs[name])
        p50 = statistics.median(r["p50_ms"] for r in runs[name])
        p99 = statistics.median(r["p99_ms"] for r in runs[name])
        wire, decoded = sizes[name]
        bad = sum(r["non_2xx"] for r in runs[name])
        results[name] = {"share": rate / hello_rate, "wire": wire}
        print(f"{name:<20}{rate:>9.0f}{rate / hello_rate:>10.1%}{p50:>9.1f}{p99:>9.1f}"
              f"{wire:>9,}{decoded:>9,}{bad:>9}")  # fmt: skip
    timings = in_process(repeat=40)
    print(f"analyze_text in process, 30 items, p50: {timings['cold_p50_ms']} ms with every cache "
          f"cleared (records parsed again), {timings['analysis_cold_p50_ms']} ms with the "
          f"analysis caches cleared, {timings['warm_p50_ms']} ms warm")  # fmt: skip
    met = check_targets(results, timings)
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
