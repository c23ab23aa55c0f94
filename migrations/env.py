"""Alembic environment: the URL comes from Settings, or a connection handed in by sprintsync.db."""

from alembic import context
from sqlalchemy import Connection

from sprintsync.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    from sprintsync.db import get_engine

    with get_engine().connect() as conn:
        run(conn)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run them online.")
main()
