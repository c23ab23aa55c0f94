"""Schema changes never lose the rows the schema keeps."""

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
