"""`sprintsync db ...`: schema migrations."""

from __future__ import annotations

import click

from sprintsync import db


@click.group("db")
def group() -> None:
    """Database schema."""


@group.command("upgrade")
def upgrade() -> None:
    """Migrate the database to the newest schema (safe to run while others do)."""
    engine = db.prepare()
    click.echo(f"Database at revision {db.current_revision(engine)}.")


@group.command("current")
def current() -> None:
    """Print the schema revision the database is at."""
    engine = db.get_engine()
    db.wait_for_database(engine)
    click.echo(db.current_revision(engine) or "(empty: no migrations applied)")
