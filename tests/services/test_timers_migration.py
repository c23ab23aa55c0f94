"""Revision 0002 (timers) downgrades and upgrades cleanly and matches models.py."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from sprintsync import db
from sprintsync.models import Base


def test_the_timers_revision_downgrades_and_upgrades_back_to_the_models(fresh_db):
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0001")
        conn.commit()
        assert "timers" not in inspect(conn).get_table_names()
        command.upgrade(db.alembic_config(conn), "head")
        conn.commit()
        assert "timers" in inspect(conn).get_table_names()
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        assert compare_metadata(context, Base.metadata) == []
    assert db.current_revision(fresh_db) == "0002"
