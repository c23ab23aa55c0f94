"""Start the app for the browser suite, as production does (`sprintsync serve`) or as any
Streamlit user would (`streamlit run app.py`), and read the database behind it."""

from __future__ import annotations

import os
import secrets
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.services.views import Actor
from tests.e2e.e2e_actions import ADMIN_PASSWORD, ADMIN_USERNAME

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerDB:
    """The server's own database (its embedded PostgreSQL), read and written with plain SQL
    or through the services, as a second client would."""

    engine: Engine
    sessions: sessionmaker = field(init=False)

    def __post_init__(self) -> None:
        self.sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    def uow(self) -> db.UnitOfWork:
        return db.UnitOfWork(self.sessions)

    def scalar(self, sql: str, **params: Any) -> Any:
        with self.engine.connect() as conn:
            return conn.scalar(text(sql), params)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))

    def execute(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(text(sql), params)


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]
    log: Path
    secret_key: str
    db: ServerDB

    def cookie_for(self, actor: Actor) -> dict[str, Any]:
        """The session cookie the browser holds once `actor` signed in (what a test that is
        not about signing in starts from)."""
        from sprintsync.services import session_token

        token = session_token.issue(actor, secret=self.secret_key, hours=1)
        return {"name": session_token.COOKIE_NAME, "value": token, "url": self.url}

    def console(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """`sprintsync ARGS` on the server's own database, as an operator would run it."""
        return subprocess.run(
            [sys.executable, "-m", "sprintsync.cli", *args],
            input=stdin,
            text=True,
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )

    def cli(self, *args: str, stdin: str = "") -> str:
        """What `sprintsync ARGS` printed; the test fails with its stderr if it did not exit 0."""
        done = self.console(*args, stdin=stdin)
        assert done.returncode == 0, done.stderr
        return done.stdout


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the app did not become healthy:\n{log.read_text()}")


def _command(how: str, port: int) -> list[str]:
    if how == "serve":
        return [
            sys.executable,
            "-m",
            "sprintsync.cli",
            "serve",
            "--address=127.0.0.1",
            f"--port={port}",
            f"--app={ROOT / 'app.py'}",
        ]
    # What every Streamlit user types; the database is migrated by app.py's first run.
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.headless=true",
    ]


@contextmanager
def start_server(
    how: Literal["serve", "streamlit"] = "serve",
    *,
    data_dir: Path | None = None,
    bcrypt_rounds: int = 4,
) -> Iterator[Server]:
    """The app with a fresh data directory (or `data_dir`, kept afterwards), its own embedded
    PostgreSQL, a known admin created at start-up and a secret key of its own. Passwords are
    hashed at bcrypt cost 4 (tests sign in often), unless a benchmark asks for more."""
    keep = data_dir is not None
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="sprintsync-e2e-"))
    port = _free_port()
    secret_key = secrets.token_urlsafe(32)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPRINTSYNC_")}
    env.pop("GEMINI_API_KEY", None)
    env.pop("GOOGLE_API_KEY", None)
    env |= {
        "SPRINTSYNC_ENV": "dev",
        "SPRINTSYNC_DATA_DIR": str(data_dir if keep else data_dir / "data"),
        "SPRINTSYNC_ADMIN_USERNAME": ADMIN_USERNAME,
        "SPRINTSYNC_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SPRINTSYNC_METRICS_PORT": str(_free_port()),
        "SPRINTSYNC_BCRYPT_ROUNDS": str(bcrypt_rounds),
        "SPRINTSYNC_SECRET_KEY": secret_key,
    }
    served = data_dir if keep else data_dir / "data"
    log = (
        Path(tempfile.mkdtemp(prefix="sprintsync-log-")) / "server.log"
        if keep
        else data_dir / "server.log"
    )
    url = f"http://127.0.0.1:{port}"
    engine = None
    with log.open("w") as out:
        proc = subprocess.Popen(
            _command(how, port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_healthy(url, proc, log)
        # Join the server's PostgreSQL (started by the app) without owning it.
        admin_url = db.start_embedded_postgres(served, cleanup_mode=None)
        engine = db.make_engine(db.ensure_database(admin_url, db.EMBEDDED_DB_NAME))
        yield Server(url, served, env, log, secret_key, ServerDB(engine))
    finally:
        if engine is not None:
            engine.dispose()
        # SIGTERM lets the server exit cleanly, and the embedded PostgreSQL stops with it.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
