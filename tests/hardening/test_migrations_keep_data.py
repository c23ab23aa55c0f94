"""Schema changes never lose the rows the schema keeps."""

import threading
import time

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.db import UnitOfWork
from sprintsync.services import demo

CORE = ("users", "tasks", "time_entries", "task_events", "audit_log")


def _counts(engine):
    with engine.connect() as conn:
        return {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in CORE}  # noqa: S608


def _fingerprint(engine):
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT (SELECT sum(minutes) FROM time_entries), "
                "(SELECT string_agg(md5(title || status || total_minutes), '' ORDER BY id) "
                " FROM tasks), (SELECT string_agg(password_hash, '' ORDER BY id) FROM users)"
            )
        ).one()


def test_down_to_the_first_revision_and_up_again_keeps_every_demo_row(fresh_db):
    demo.seed(UnitOfWork(sessionmaker(bind=fresh_db)), password="demo-password")
    before, print_before = _counts(fresh_db), _fingerprint(fresh_db)
    assert before["time_entries"] > 500
    scripts = ScriptDirectory.from_config(db.alembic_config())
    first = next(r.revision for r in scripts.walk_revisions() if r.down_revision is None)
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), first)
        conn.commit()
    assert _counts(fresh_db) == before
    db.migrate(fresh_db)
    assert db.current_revision(fresh_db) == scripts.get_current_head()
    assert _counts(fresh_db) == before
    assert _fingerprint(fresh_db) == print_before


# (table an old replica writes to, its insert, the 0003 summary that must count it)
OLD_REPLICA_WRITES = {
    "time_entries": (
        "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
        "SELECT id, created_by_id, 30, current_date FROM tasks",
        "SELECT sum(minutes) = 30 AND sum(entries) = 1 FROM user_day_totals",
    ),
    "task_events": (
        "INSERT INTO task_events (task_id, to_status) SELECT id, 'todo' FROM tasks",
        "SELECT count(*) = 1 FROM task_flow",
    ),
}


def _wait_for_a_lock_wait_on(engine, table: str) -> None:
    with engine.connect() as conn:
        for _ in range(600):
            waiting = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = :t ::regclass"
                ),
                {"t": table},
            )
            if waiting:
                return
            conn.rollback()
            time.sleep(0.05)
    raise AssertionError(f"the migration never waited for {table}")


@pytest.mark.parametrize("table", sorted(OLD_REPLICA_WRITES))
def test_a_write_by_an_old_replica_during_the_analytics_migration_is_counted(fresh_db, table):
    """0003 backfills its summaries and then adds the triggers that keep them. A replica still
    running the old code may be mid-transaction: the migration must wait for it before the
    backfill (not only before the triggers), or that write is counted by neither."""
    write, counted = OLD_REPLICA_WRITES[table]
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0002")
        conn.execute(
            text("INSERT INTO users (username, password_hash, role) VALUES ('old', 'x', 'member')")
        )
        conn.execute(text("INSERT INTO tasks (title, created_by_id) SELECT 'Old', id FROM users"))
        conn.commit()
    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            db.migrate(fresh_db)
        except BaseException as error:  # reported by the assert below
            errors.append(error)

    writer = fresh_db.connect()
    try:
        writer.execute(text(write))  # uncommitted, holding its row-exclusive lock
        worker = threading.Thread(target=upgrade)
        worker.start()
        _wait_for_a_lock_wait_on(fresh_db, table)
        writer.commit()
    finally:
        writer.close()
    worker.join(timeout=60)
    assert not worker.is_alive() and errors == []
    with fresh_db.connect() as conn:
        assert conn.scalar(text(counted))
