from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from sprintsync import db
from sprintsync.models import Base


def test_the_models_and_the_migrations_agree(fresh_db):
    with fresh_db.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_the_database_is_at_the_newest_revision(fresh_db):
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    assert db.current_revision(fresh_db) == head


def test_downgrade_to_base_and_upgrade_again_works(fresh_db):
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "base")
        conn.commit()
        assert set(inspect(conn).get_table_names()) == {"alembic_version"}
    db.migrate(fresh_db)
    with fresh_db.connect() as conn:
        assert {"users", "tasks", "time_entries", "task_events", "audit_log"} <= set(
            inspect(conn).get_table_names()
        )


def test_migrating_twice_is_harmless(fresh_db):
    db.migrate(fresh_db)
    db.migrate(fresh_db)
    assert db.current_revision(fresh_db) is not None


def _migration_lock_waiters(conn) -> int:
    """Sessions waiting (not granted) for the migration's advisory lock, as PostgreSQL sees
    them: a bigint key shows as classid (high 32 bits) and objid (low 32 bits), objsubid 1."""
    return conn.execute(
        text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND classid = :high AND objid = :low AND objsubid = 1"
        ),
        {"high": db.MIGRATION_LOCK_KEY >> 32, "low": db.MIGRATION_LOCK_KEY & 0xFFFF_FFFF},
    ).scalar_one()


def test_two_processes_migrating_at_once_take_turns(fresh_db):
    """Hold the advisory lock from another connection: migrate must queue for it (seen as a
    waiter in pg_locks, not guessed from a sleep) and go ahead once it is released."""
    import threading
    import time

    holder = fresh_db.connect()
    holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": db.MIGRATION_LOCK_KEY})
    holder.commit()
    finished = threading.Event()
    worker = threading.Thread(target=lambda: (db.migrate(fresh_db), finished.set()))
    worker.start()
    deadline = time.monotonic() + 30
    while _migration_lock_waiters(holder) == 0:
        assert not finished.is_set(), "migrate finished without waiting for the lock"
        assert time.monotonic() < deadline, "migrate never queued for the lock"
        time.sleep(0.05)
    assert not finished.is_set()  # queued behind the lock
    holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": db.MIGRATION_LOCK_KEY})
    holder.close()
    worker.join(timeout=30)
    assert finished.is_set()


def test_the_schema_has_the_indexes_the_queries_need(fresh_db):
    with fresh_db.connect() as conn:
        inspector = inspect(conn)
        indexed = {
            table: [tuple(ix["column_names"]) for ix in inspector.get_indexes(table)]
            for table in ("tasks", "time_entries", "task_events")
        }
    assert ("assignee_id", "status") in indexed["tasks"]
    assert ("updated_at", "id") in indexed["tasks"]  # task lists' default order
    assert ("user_id", "spent_on") in indexed["time_entries"]
    assert ("spent_on",) in indexed["time_entries"]
    assert ("task_id", "at") in indexed["task_events"]
