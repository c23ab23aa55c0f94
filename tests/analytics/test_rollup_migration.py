"""Migration 0003: the per-user daily totals, their triggers and a working downgrade."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from sprintsync import db
from sprintsync.models import Base

ROLLUP_MATCHES_ENTRIES = """
SELECT count(*) FROM (
    (SELECT user_id, spent_on, sum(minutes), count(*) FROM time_entries GROUP BY 1, 2
     EXCEPT SELECT user_id, spent_on, minutes, entries FROM user_day_totals)
    UNION ALL
    (SELECT user_id, spent_on, minutes, entries FROM user_day_totals
     EXCEPT SELECT user_id, spent_on, sum(minutes), count(*) FROM time_entries GROUP BY 1, 2)
) differences
"""


def test_autogenerate_finds_no_difference_between_models_and_migrations(fresh_db):
    with fresh_db.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(
                conn, opts={"compare_type": True, "compare_server_default": True}
            ),
            Base.metadata,
        )
    assert diff == []


def _seed_entries(conn) -> None:
    conn.execute(
        text(
            "INSERT INTO users (id, username, password_hash) "
            "VALUES (1, 'ann', 'x'), (2, 'bob', 'x');"
            "INSERT INTO tasks (id, title, created_by_id) VALUES (1, 'T', 1);"
            "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) VALUES "
            "(1, 1, 30, '2025-03-03'), (1, 1, 45, '2025-03-03'), (1, 2, 60, '2025-03-04')"
        )
    )


def test_downgrade_drops_the_rollups_and_upgrade_rebuilds_them_from_entries_and_events(fresh_db):
    with fresh_db.begin() as conn:
        _seed_entries(conn)
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0003-1")
        conn.commit()
        assert conn.scalar(text("SELECT to_regclass('user_day_totals')")) is None
        assert conn.scalar(text("SELECT to_regclass('task_flow')")) is None
        conn.execute(
            text(
                EVENT + "(1, NULL, 'todo', '2025-03-03 09:00Z'),"
                "(1, 'todo', 'in_progress', '2025-03-03 10:00Z')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
                "VALUES (1, 2, 15, '2025-03-05')"
            )
        )
        conn.commit()
        command.upgrade(db.alembic_config(conn), "head")
        conn.commit()
        assert conn.scalar(text(ROLLUP_MATCHES_ENTRIES)) == 0
        assert conn.scalar(text("SELECT count(*) FROM user_day_totals")) == 3
        assert conn.scalar(text("SELECT todo_seconds FROM task_flow")) == 3600


def test_triggers_keep_the_rollup_equal_to_the_entries_through_every_kind_of_write(fresh_db):
    with fresh_db.begin() as conn:
        _seed_entries(conn)
    steps = [
        "UPDATE time_entries SET minutes = minutes + 5 WHERE user_id = 1",
        "UPDATE time_entries SET spent_on = '2025-03-10' WHERE minutes = 60",
        "UPDATE time_entries SET note = 'only the note'",
        "DELETE FROM time_entries WHERE minutes = 35",
        "DELETE FROM time_entries WHERE user_id = 2",
        "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
        "SELECT 1, 2, 10, d FROM generate_series('2025-01-01'::date, '2025-01-31', '1 day') d",
    ]
    for step in steps:
        with fresh_db.begin() as conn:
            conn.execute(text(step))
            assert conn.scalar(text(ROLLUP_MATCHES_ENTRIES)) == 0, step
    with fresh_db.begin() as conn:
        conn.execute(text("TRUNCATE time_entries"))
        assert conn.scalar(text("SELECT count(*) FROM user_day_totals")) == 0


def test_truncating_entries_with_their_users_in_one_statement_empties_the_totals(fresh_db):
    with fresh_db.begin() as conn:
        _seed_entries(conn)
        conn.execute(text("TRUNCATE time_entries, task_events, tasks, users CASCADE"))
        assert conn.scalar(text("SELECT count(*) FROM user_day_totals")) == 0
        assert conn.scalar(text("SELECT count(*) FROM task_flow")) == 0


FLOW = (
    "SELECT first_started_at, todo_seconds, in_progress_seconds, done_seconds, finished_at "
    "FROM task_flow WHERE task_id = 1"
)
EVENT = "INSERT INTO task_events (task_id, from_status, to_status, at) VALUES "


def test_task_flow_sums_each_status_up_to_the_latest_event_even_out_of_order(fresh_db):
    with fresh_db.begin() as conn:
        _seed_entries(conn)
        conn.execute(
            text(
                EVENT + "(1, NULL, 'todo', '2025-03-03 09:00Z'),"
                "(1, 'todo', 'in_progress', '2025-03-03 10:00Z')"
            )
        )
        conn.execute(text(EVENT + "(1, 'done', 'in_progress', '2025-03-03 14:00Z')"))
        # The first finish arrives after the reopening that followed it.
        conn.execute(text(EVENT + "(1, 'in_progress', 'done', '2025-03-03 12:00Z')"))
        conn.execute(text(EVENT + "(1, 'in_progress', 'done', '2025-03-03 15:00Z')"))
        started, todo, in_progress, done, finished = conn.execute(text(FLOW)).one()
        assert started.isoformat() == "2025-03-03T10:00:00+00:00"
        assert (todo, in_progress, done) == (3600, 2 * 3600 + 3600, 2 * 3600)
        assert finished.isoformat() == "2025-03-03T15:00:00+00:00"
        conn.execute(text("DELETE FROM task_events WHERE at > '2025-03-03 11:00Z'"))
        assert conn.execute(text(FLOW)).one()[1:] == (3600, 0, 0, None)
        conn.execute(text("DELETE FROM task_events"))
        assert conn.execute(text(FLOW)).one_or_none() is None
