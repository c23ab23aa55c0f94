"""Migration 0007 on demo data: downgrade and upgrade keep every task and entry (times of
day and week states are what goes), existing entries come back without times, and an old
replica writing entries without times keeps working after it."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.db import UnitOfWork
from sprintsync.services import demo

CORE = (
    "SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM time_entries), "
    "(SELECT sum(minutes) FROM time_entries), (SELECT sum(total_minutes) FROM tasks)"
)


def test_0007_down_and_up_keeps_the_time_and_old_writers_still_work(fresh_db):
    demo.seed(UnitOfWork(sessionmaker(bind=fresh_db)), password="demo-password")
    with fresh_db.begin() as conn:
        core = conn.execute(text(CORE)).one()
        # A timed entry and a submitted week, which the downgrade drops (their data only).
        conn.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on, start_minute, "
                "end_minute) SELECT id, created_by_id, 60, DATE '2026-01-05', 540, 600 "
                "FROM tasks ORDER BY id LIMIT 1"
            )
        )
        conn.execute(
            text(
                "INSERT INTO timesheet_weeks (user_id, week, state) "
                "SELECT min(id), DATE '2026-01-05', 'submitted' FROM users"
            )
        )
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0006")
        conn.commit()
        for table in ("timesheet_weeks", "reminders"):
            assert conn.scalar(text(f"SELECT to_regclass('{table}')")) is None
        columns = conn.scalars(
            text(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'time_entries'"
            )
        ).all()
        assert "start_minute" not in columns
        assert conn.execute(text(CORE)).one()[1] == core[1] + 1
    db.migrate(fresh_db)
    with fresh_db.begin() as conn:
        assert (
            conn.scalar(text("SELECT count(*) FROM time_entries WHERE start_minute IS NOT NULL"))
            == 0
        )
        # An old replica's insert (no times) still works; times that disagree are refused.
        conn.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
                "SELECT id, created_by_id, 30, DATE '2026-01-06' FROM tasks ORDER BY id LIMIT 1"
            )
        )
    with fresh_db.begin() as conn, pytest.raises(IntegrityError, match="ck_time_entries_span"):
        conn.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on, start_minute, "
                "end_minute) SELECT id, created_by_id, 45, DATE '2026-01-06', 540, 600 "
                "FROM tasks ORDER BY id LIMIT 1"
            )
        )
