"""The real `sprintsync api` process on 127.0.0.1, and `sprintsync tokens` as a console user."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from sqlalchemy.orm import sessionmaker

from sprintsync.db import UnitOfWork
from sprintsync.services import tokens, users
from tests.api.apikit import api_process, call
from tests.ops.opskit import ROOT, free_port

pytestmark = pytest.mark.slow


def test_the_api_process_serves_a_token_holder_on_loopback(fresh_db, tmp_path):
    uow = lambda: UnitOfWork(sessionmaker(bind=fresh_db))  # noqa: E731
    users.register(uow(), username="hooky", password="a long passphrase")
    actor = users.actor_for(uow(), username="hooky")
    secret = tokens.create_token(uow(), actor=actor, name="hook", scope="write").secret
    metrics_port = free_port()
    database_url = fresh_db.url.render_as_string(hide_password=False)
    log = tmp_path / "api.log"
    with api_process(os.environ, database_url, log, metrics_port=metrics_port) as base:
        status, me = call(f"{base}/me", secret)
        assert status == 200 and me["username"] == "hooky"
        status, task = call(f"{base}/tasks", secret, {"title": "From a hook"})
        assert status == 201
        status, entry = call(
            f"{base}/time-entries", secret, {"task_id": task["id"], "duration": "15m"}
        )
        assert status == 201 and entry["minutes"] == 15
        status, refused = call(f"{base}/me", secret[:-2] + "zz")
        assert status == 401 and refused["error"]["request_id"]
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as m:
            scraped = m.read().decode()
        assert (
            'sprintsync_api_requests_total{method="POST",route="/api/v1/tasks",status="201"} 1.0'
            in scraped
        )
    assert secret not in log.read_text()


def test_tokens_are_added_listed_and_revoked_from_the_console(fresh_db):
    # A database of its own: the commands commit, and other tests count the users.
    db_url = fresh_db.url.render_as_string(hide_password=False)
    env = os.environ | {"SPRINTSYNC_DATABASE_URL": db_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sprintsync.cli", "tokens", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    name = f"cli-{os.getpid()}-{time.monotonic_ns() % 100000}"
    users_made = subprocess.run(
        [sys.executable, "-m", "sprintsync.cli", "users", "add", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert users_made.returncode == 0, users_made.stderr
    added = run("add", "--as", name, "laptop", "--scope", "write")
    assert added.returncode == 0, added.stderr
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith(tokens.SECRET_PREFIX) and "not shown again" in added.stderr
    listed = run("list", "--as", name)
    assert "laptop" in listed.stdout and secret not in listed.stdout and "active" in listed.stdout
    token_id = listed.stdout.splitlines()[2].split()[0]
    assert run("revoke", "--as", name, token_id).returncode == 0
    assert "revoked" in run("list", "--as", name).stdout
    missing = run("revoke", "--as", name, "999999")
    assert missing.returncode == 3
