"""The backup and restore commands of docs/OPERATIONS.md, run for real."""

from __future__ import annotations

import os
import subprocess
import uuid

from sqlalchemy import text

from sprintsync import db
from tests.ops.opskit import ROOT, libpq_env, pg_tool

DOC = (ROOT / "docs/OPERATIONS.md").read_text()
DUMP = "pg_dump --format=custom --no-owner --file=sprintsync.dump"
RESTORE = "pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="


def run(command: list[str], url: str, cwd) -> None:
    subprocess.run(command, env=os.environ | libpq_env(url), cwd=cwd, check=True, timeout=120)


def test_a_dump_restores_into_an_empty_database_with_everything(
    workspace, pg_admin_url, drop_database, tmp_path
):
    assert DUMP in DOC
    assert RESTORE in DOC
    run([str(pg_tool("pg_dump")), *DUMP.split()[1:]], workspace, tmp_path)
    target = f"restore_{uuid.uuid4().hex[:8]}"
    target_url = db.ensure_database(pg_admin_url, target)
    try:
        run(
            [
                str(pg_tool("pg_restore")),
                *RESTORE.split()[1:-1],
                f"--dbname={libpq_env(target_url)['PGDATABASE']}",
                "sprintsync.dump",
            ],
            target_url,
            tmp_path,
        )
        counts = {}
        for url in (workspace, target_url):
            engine = db.make_engine(url)
            with engine.connect() as conn:
                counts[url] = [
                    conn.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                    for table in ("users", "tasks", "time_entries", "audit_log")
                ] + [db.current_revision(engine)]
            engine.dispose()
    finally:
        drop_database(target)

    assert counts[target_url] == counts[workspace]
    assert counts[workspace][2] == 3
