"""Migration 0006 on demo data: the backfill puts every task in the default project, the
rollups start equal to the entries, downgrade and upgrade keep every task and entry, and a
replica still on the old code keeps working (and is counted) while and after it runs."""

from __future__ import annotations

import threading

from alembic import command
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.db import UnitOfWork
from sprintsync.services import demo
from tests.hardening.test_migrations_keep_data import _wait_for_a_lock_wait_on

CORE = """
SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM time_entries),
       (SELECT sum(minutes) FROM time_entries),
       (SELECT string_agg(md5(title || status || total_minutes), '' ORDER BY id) FROM tasks)
"""
ROLLUP_DIFFERS = """
SELECT count(*) FROM (
    (SELECT t.project_id, t.sprint_id, e.user_id, e.spent_on, sum(e.minutes), count(*)
     FROM time_entries e JOIN tasks t ON t.id = e.task_id GROUP BY 1, 2, 3, 4
     EXCEPT SELECT project_id, sprint_id, user_id, spent_on, minutes, entries
     FROM project_day_totals)
    UNION ALL
    (SELECT project_id, sprint_id, user_id, spent_on, minutes, entries FROM project_day_totals
     EXCEPT SELECT t.project_id, t.sprint_id, e.user_id, e.spent_on, sum(e.minutes), count(*)
     FROM time_entries e JOIN tasks t ON t.id = e.task_id GROUP BY 1, 2, 3, 4)
) differences
"""


def _scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).one()


def test_downgrade_drops_planning_and_upgrade_backfills_every_task_into_general(fresh_db):
    demo.seed(UnitOfWork(sessionmaker(bind=fresh_db)), password="demo-password")
    core = _scalar(fresh_db, CORE)
    assert _scalar(fresh_db, "SELECT count(DISTINCT project_id) FROM tasks")[0] > 1
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0003")
        conn.commit()
        for table in ("projects", "sprints", "tags", "sprint_changes", "project_day_totals"):
            assert conn.scalar(text(f"SELECT to_regclass('{table}')")) is None, table
        # An old replica files a task while the database is back at 0003.
        conn.execute(
            text("INSERT INTO tasks (title, created_by_id) SELECT 'Old', min(id) FROM users")
        )
        conn.commit()
    assert _scalar(fresh_db, CORE)[1:3] == core[1:3]
    db.migrate(fresh_db)
    general, unfiled, priorities = _scalar(
        fresh_db,
        "SELECT (SELECT id FROM projects WHERE is_default AND key = 'GEN' AND name = 'General'), "
        "(SELECT count(*) FROM tasks WHERE project_id IS DISTINCT FROM "
        " (SELECT id FROM projects WHERE is_default) OR sprint_id IS NOT NULL), "
        "(SELECT array_agg(DISTINCT priority) FROM tasks)",
    )
    rollup_off = _scalar(fresh_db, ROLLUP_DIFFERS)[0]
    assert general is not None and unfiled == 0 and priorities == ["normal"]
    assert rollup_off == 0
    assert _scalar(fresh_db, CORE)[0] == core[0] + 1
    assert _scalar(fresh_db, "SELECT count(*) FROM sprint_changes")[0] == 0
    # The old code keeps filing tasks after the upgrade: they go to the default project.
    with fresh_db.begin() as conn:
        conn.execute(
            text("INSERT INTO tasks (title, created_by_id) SELECT 'Older', min(id) FROM users")
        )
        assert conn.scalar(text("SELECT project_id FROM tasks WHERE title = 'Older'")) == general


def test_demo_data_passes_down_to_0003_and_up_again_with_its_tasks_and_entries(fresh_db):
    demo.seed(UnitOfWork(sessionmaker(bind=fresh_db)), password="demo-password")
    core = _scalar(fresh_db, CORE)
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0003")
        conn.commit()
    db.migrate(fresh_db)
    assert _scalar(fresh_db, CORE) == core
    assert _scalar(fresh_db, ROLLUP_DIFFERS)[0] == 0


def test_an_entry_an_old_replica_writes_during_the_upgrade_is_counted(fresh_db):
    """0006 backfills project_day_totals and then adds the triggers that keep it: it must
    wait for a writer mid-transaction before the backfill, or that entry is counted by neither.
    From the revision just before 0006, so the wait seen is 0006's own."""
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0006-1")
        conn.execute(text("INSERT INTO users (username, password_hash) VALUES ('old', 'x')"))
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
        writer.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
                "SELECT id, created_by_id, 45, current_date FROM tasks"
            )
        )
        worker = threading.Thread(target=upgrade)
        worker.start()
        _wait_for_a_lock_wait_on(fresh_db, "time_entries")
        writer.commit()
    finally:
        writer.close()
    worker.join(timeout=60)
    assert not worker.is_alive() and errors == []
    assert _scalar(fresh_db, "SELECT sum(minutes), sum(entries) FROM project_day_totals") == (45, 1)
