"""Many replicas, one truth: two app processes on one PostgreSQL answer as one for everything
that must agree across replicas: the sign-in lockout (real and unknown names), the AI rate
limit and cache, sign-out, and the workspace figures their metrics report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import sessionmaker

from sprintsync.db import UnitOfWork
from sprintsync.services import auth, users
from sprintsync.services.common import SESSION_ENDED
from sprintsync.services.views import CONSOLE
from tests.ops.opskit import free_port, http_get, sample

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("replica_worker.py")
PASSWORD = "replica-password-1"


class Replica:
    def __init__(self, url: str, name: str) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SPRINTSYNC_")}
        env |= {
            "SPRINTSYNC_ENV": "dev",
            "SPRINTSYNC_DATABASE_URL": url,
            "SPRINTSYNC_DATA_DIR": os.environ["SPRINTSYNC_DATA_DIR"],  # one key, as replicas
            "SPRINTSYNC_METRICS_PORT": str(free_port()),
            "SPRINTSYNC_BCRYPT_ROUNDS": "4",
            "SPRINTSYNC_AI_RATE_PER_MINUTE": "3",
            "SPRINTSYNC_LOG_LEVEL": "ERROR",
            "GEMINI_API_KEY": "test-key",
            "PYTHONPATH": str(ROOT),
        }
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.metrics = self._answer()["ok"]["metrics"]

    def _answer(self) -> dict[str, Any]:
        line = self.process.stdout.readline()
        assert line, f"replica {self.name} exited with {self.process.wait()}"
        # JSON log lines (errors only) may come first; the answer is the last one.
        while '"ok"' not in line and '"error"' not in line:
            line = self.process.stdout.readline()
        return json.loads(line)

    def __call__(self, op: str, **args: Any) -> Any:
        self.process.stdin.write(json.dumps({"op": op, **args}) + "\n")
        self.process.stdin.flush()
        answer = self._answer()
        return answer.get("ok", answer.get("message"))

    def scrape(self, name: str, **labels: str) -> float | None:
        return sample(http_get(f"{self.metrics}/metrics")[1], name, **labels)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=20)


@pytest.fixture
def replicas(fresh_db) -> Iterator[tuple[Replica, Replica]]:
    url = fresh_db.url.render_as_string(hide_password=False)
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)
    for name in ("mia", "otto"):
        users.create_user(UnitOfWork(sessions), actor=CONSOLE, username=name, password=PASSWORD)
    a, b = Replica(url, "a"), Replica(url, "b")
    try:
        yield a, b
    finally:
        a.stop()
        b.stop()


@pytest.mark.timeout(240)
def test_two_replicas_on_one_database_answer_as_one(replicas):
    a, b = replicas

    # Lockout: failures on either replica count towards one lock, for a real name and an
    # unknown one alike (5 failures, then locked: on both replicas).
    for name in ("mia", "nobody-here"):
        said = [r("sign_in", username=name, password="wrong") for r in (a, b, a, b, a, b, a)]
        assert said == [auth.INVALID] * 4 + [auth.LOCKED] * 3, (name, said)

    # Sign-out on one replica ends the session on the other.
    session = a("sign_in", username="otto", password=PASSWORD)
    assert b("resume", **session) == {"username": "otto"}
    b("sign_out", **session)
    assert a("resume", **session) == SESSION_ENDED

    # AI cache: a draft made on one replica is served from the cache on the other.
    assert a("draft", username="otto", title="Fix the login loop") == {
        "source": "gemini",
        "cached": False,
    }
    assert b("draft", username="otto", title="Fix the login loop")["cached"] is True
    assert (a("gemini_calls"), b("gemini_calls")) == (1, 0)

    # AI rate limit: 3 a minute for otto, counted across both replicas.
    assert b("draft", username="otto", title="Fix the Safari redirect loop")["source"] == "gemini"
    assert "the most allowed" in a("draft", username="otto", title="Fix the footer")
    assert "the most allowed" in b("draft", username="otto", title="Fix the header")

    # Metrics: the workspace figures agree, and the per-process counters add up.
    for title in ("One", "Two", "Three"):
        (a if title != "Two" else b)("create_task", username="mia", title=title)
    for replica in (a, b):
        assert replica.scrape("sprintsync_tasks", status="todo") == 3
        assert replica.scrape("sprintsync_users", role="member", active="true") == 2

    def total(**labels: str) -> float:
        return sum(
            r.scrape("sprintsync_ai_requests_total", mode="draft", **labels) or 0 for r in (a, b)
        )

    assert total(source="gemini", outcome="ok") == 2
    assert total(source="cache", outcome="hit") == 1
    assert total(source="none", outcome="rate_limited") == 2
