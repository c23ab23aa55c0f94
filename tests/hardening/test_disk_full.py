"""A database whose disk is full, for real: the tasks table on a tablespace on an 8 MB tmpfs,
filled up. Users are told the database cannot save (no "unexpected" incident), /healthz turns
503 although SELECT 1 still answers, and both recover once there is room again."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.db import UnitOfWork
from sprintsync.errors import DatabaseUnavailable, DiskFull
from sprintsync.observability import sidecar
from sprintsync.services import tasks, users
from sprintsync.services.views import CONSOLE
from tests.ops.opskit import http_get, tools_required


def _cannot(reason: str) -> None:
    if tools_required():
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def small_disk() -> Path:
    """An 8 MB filesystem the embedded PostgreSQL's user owns (needs root, as in CI)."""
    if os.geteuid() != 0:
        _cannot("mounting a small filesystem needs root")
    base = Path(tempfile.mkdtemp(prefix="sprintsync-disk-"))
    base.chmod(0o755)  # PostgreSQL's own user must reach the mount point
    mount = base / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode:
        _cannot(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        shutil.chown(mount, "pgserver", "pgserver")
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        shutil.rmtree(base, ignore_errors=True)


def _fill(mount: Path) -> Path:
    filler = mount / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_full_disk_is_reported_as_such_and_writes_resume_once_there_is_room(
    small_disk, own_server
):
    _, engine, _ = own_server
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE TABLESPACE small LOCATION '{small_disk}'"))
        conn.execute(text("ALTER TABLE tasks SET TABLESPACE small"))
    sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    creator = users.create_user(uow(), actor=CONSOLE, username="writer").user
    writer = users.actor_for(uow(), username=creator.username)
    health = sidecar.start("127.0.0.1", 0, lambda: db.ping(engine))
    assert health is not None
    try:
        assert http_get(f"{health.url}/healthz")[0] == 200
        filler = _fill(small_disk)

        def until_the_table_needs_a_page() -> None:
            for n in range(2000):
                tasks.create_task(uow(), actor=writer, title=f"Task {n} " + "x" * 150)

        with pytest.raises(DiskFull) as refused:
            until_the_table_needs_a_page()
        assert isinstance(refused.value, DatabaseUnavailable)
        assert "run out of disk space" in refused.value.message
        status, body = http_get(f"{health.url}/healthz")
        assert (status, json.loads(body)["database"]) == (503, "DiskFull")

        filler.unlink()
        tasks.create_task(uow(), actor=writer, title="There is room again")
        assert http_get(f"{health.url}/healthz")[0] == 200
    finally:
        health.stop()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ALTER TABLE tasks SET TABLESPACE pg_default"))
            conn.execute(text("DROP TABLESPACE small"))
