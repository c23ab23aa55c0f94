"""Start the app as production does (`sprintsync serve`) for the browser suite."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.e2e_actions import ADMIN_PASSWORD, ADMIN_USERNAME

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]
    log: Path


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


@contextmanager
def start_server() -> Iterator[Server]:
    """The app as production starts it (`sprintsync serve`), with a fresh data directory
    and its own embedded PostgreSQL, and a known admin created at start-up."""
    data_dir = Path(tempfile.mkdtemp(prefix="sprintsync-e2e-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPRINTSYNC_")}
    env.pop("GEMINI_API_KEY", None)
    env.pop("GOOGLE_API_KEY", None)
    env |= {
        "SPRINTSYNC_ENV": "dev",
        "SPRINTSYNC_DATA_DIR": str(data_dir / "data"),
        "SPRINTSYNC_ADMIN_USERNAME": ADMIN_USERNAME,
        "SPRINTSYNC_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SPRINTSYNC_METRICS_PORT": str(_free_port()),
        "SPRINTSYNC_BCRYPT_ROUNDS": "4",
    }
    log = data_dir / "server.log"
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sprintsync.cli",
                "serve",
                "--address=127.0.0.1",
                f"--port={port}",
                f"--app={ROOT / 'app.py'}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_healthy(url, proc, log)
        yield Server(url, data_dir / "data", env, log)
    finally:
        # SIGTERM lets the server exit cleanly, and the embedded PostgreSQL stops with it.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
