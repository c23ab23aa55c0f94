"""The real `sprintsync api` process on a free loopback port, and a client for it (the API
tests and the browser suite's token test share them)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from tests.ops.opskit import ROOT, free_port


def call(url: str, secret: str, body: dict | None = None) -> tuple[int, dict]:
    """GET `url` (POST `body` as JSON) with the token; the status and the decoded answer."""
    request = urllib.request.Request(  # noqa: S310 (loopback)
        url,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@contextmanager
def api_process(
    env: Mapping[str, str], database_url: str, log: Path, *, metrics_port: int = 0
) -> Iterator[str]:
    """`sprintsync api` over `database_url`; yields its /api/v1 base once it takes connections
    (the log is shown if it dies or is not up within a minute)."""
    port = free_port()
    env = dict(env) | {
        "SPRINTSYNC_DATABASE_URL": database_url,
        "SPRINTSYNC_API_PORT": str(port),
        "SPRINTSYNC_API_METRICS_PORT": str(metrics_port),
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sprintsync.cli", "api"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        process.terminate()
        process.wait(timeout=30)
