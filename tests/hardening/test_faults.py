"""The database goes away and comes back; the app copes without a restart."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from sprintsync.db import UnitOfWork
from sprintsync.errors import DatabaseUnavailable
from sprintsync.services import users
from sprintsync.services.views import CONSOLE


def test_a_stopped_database_is_reported_and_the_next_action_after_it_returns_succeeds(
    own_server,
):
    server, engine, _ = own_server
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    users.create_user(UnitOfWork(sessions), actor=CONSOLE, username="before")

    server.stop()
    with pytest.raises(DatabaseUnavailable, match="unavailable"):
        users.list_users(UnitOfWork(sessions), actor=CONSOLE)

    server.ensure_postgres_running()
    names = [u.username for u in users.list_users(UnitOfWork(sessions), actor=CONSOLE)]
    assert names == ["before"]


def test_an_unreachable_database_at_start_is_retried_then_reported_in_one_line():
    env = {
        **os.environ,
        "SPRINTSYNC_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
        "SPRINTSYNC_DB_CONNECT_ATTEMPTS": "3",
    }
    exe = Path(sys.executable).with_name("sprintsync")
    done = subprocess.run(
        [str(exe), "users", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert sum("retrying in" in line for line in lines) == 2  # attempts 1 and 2, then give up
    assert lines[-1].startswith("Error: Cannot reach the database after 3 attempts")
    assert "Traceback" not in done.stderr


def test_a_full_connection_pool_says_the_database_is_busy_and_frees_up_after(db_url):
    engine = create_engine(db_url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    sessions = sessionmaker(bind=engine)
    try:
        # The pool's only connection is held while another unit of work asks for one.
        with engine.connect(), pytest.raises(DatabaseUnavailable, match="busy"):
            users.list_users(UnitOfWork(sessions), actor=CONSOLE)
        assert isinstance(users.list_users(UnitOfWork(sessions), actor=CONSOLE), list)
    finally:
        engine.dispose()
