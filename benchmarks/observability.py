"""What observability costs and how fast the ops endpoints answer. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/observability.py [--spawns 3] [--requests 200]

Uses an embedded PostgreSQL in .sprintsync/bench-ops (demo data seeded once), free ports on
127.0.0.1, and real `sprintsync serve` processes for the start-up figures.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DATA = Path(".sprintsync/bench-ops").resolve()
os.environ.setdefault("SPRINTSYNC_DATA_DIR", str(DATA))
os.environ.setdefault("SPRINTSYNC_BCRYPT_ROUNDS", "4")

from sprintsync import db, metrics, startup  # noqa: E402
from sprintsync.observability import logs, page_run, redaction, sidecar  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=20)
    return f"median {statistics.median(samples) * 1000:.3f} ms, p95 {q[18] * 1000:.3f} ms"


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def logging_cost(n: int) -> None:
    sink = io.StringIO()
    for level in ("DEBUG", "WARNING"):
        logs.configure(level, stream=sink)

        def one_run() -> None:
            with page_run("bench", user_id=1, session_id="s"):
                pass

        print(f"page_run + JSON line at {level:7}: {ms(timed(one_run, n))}")
    logs.reset()
    line = "db postgresql://app:pw-123456@db/x failed; Authorization: Bearer abcdefgh12345678" * 3
    print(f"redact one 250-char message:     {ms(timed(lambda: redaction.redact_text(line), n))}")


def endpoints(n: int) -> None:
    startup.prepare_database()
    from sprintsync.services import demo

    if not demo.has_users(db.unit_of_work()):
        demo.seed(
            db.unit_of_work(),
            users=None,
            tasks=60,
            entries=None,
            weeks=8,
            seed=1,
            password=None,
            force=False,
        )
    server = sidecar.start("127.0.0.1", 0, db.ping)
    assert server is not None
    try:
        cold = []
        for _ in range(max(n // 10, 5)):
            metrics.workspace.clear()
            t = time.perf_counter()
            get(f"{server.url}/metrics")
            cold.append(time.perf_counter() - t)
        print(f"/metrics, workspace gauges recomputed: {ms(cold)}")
        warm = timed(lambda: get(server.url + "/metrics"), n)
        print(f"/metrics, within the 15 s cache:      {ms(warm)}")
        healthy = timed(lambda: get(server.url + "/healthz"), n)
        print(f"/healthz, database up (200):          {ms(healthy)}")
    finally:
        server.stop()
    dead = db.make_engine(f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x")
    down = sidecar.start("127.0.0.1", 0, lambda: db.ping(dead))
    assert down is not None
    try:
        refused = timed(lambda: get(down.url + "/healthz"), 20)
        print(f"/healthz, database refusing (503):    {ms(refused)}")
    finally:
        down.stop()


def spawn_figures(spawns: int) -> None:
    sidecar_up, app_up = [], []
    for _ in range(spawns):
        metrics_port, port = free_port(), free_port()
        env = os.environ | {"SPRINTSYNC_METRICS_PORT": str(metrics_port)}
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "sprintsync.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for url, into in (
                (f"http://127.0.0.1:{metrics_port}/healthz", sidecar_up),
                (f"http://127.0.0.1:{port}/_stcore/health", app_up),
            ):
                while True:
                    try:
                        if get(url) == 200:
                            into.append(time.perf_counter() - started)
                            break
                    except OSError:
                        time.sleep(0.02)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    for name, runs in (("sidecar /healthz", sidecar_up), ("Streamlit health", app_up)):
        each = ", ".join(f"{s:.2f}" for s in runs)
        print(f"spawn -> {name} 200: median {statistics.median(runs):.2f} s (runs: {each})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spawns", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    logging_cost(args.requests * 10)
    endpoints(args.requests)
    spawn_figures(args.spawns)


if __name__ == "__main__":
    main()
