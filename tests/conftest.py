"""One real PostgreSQL for the whole run; every test in a transaction that is rolled back.

The embedded server starts in a temporary directory. The schema is migrated once into a
template database; `db` is a copy of it that tests share through savepoints, and `fresh_db`
gives a test (threads, migrations) a whole database of its own, cloned from the template.

No network: pytest-socket (options in pyproject's addopts) refuses any socket connect except
to 127.0.0.1, ::1, localhost and unix sockets (PostgreSQL's). A refused connect also fails the
test at teardown, so code that catches the error (a fallback, a retry loop) cannot hide it.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import importlib.util
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
import pytest_socket
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

# Settings are read once per process, so the test environment is fixed before any import.
os.environ.setdefault("SPRINTSYNC_BCRYPT_ROUNDS", "4")
os.environ["SPRINTSYNC_ENV"] = "dev"
# A data directory of this run's own: the dev secret key is generated there, never in the
# checkout (and never the same for two runs).
os.environ["SPRINTSYNC_DATA_DIR"] = tempfile.mkdtemp(prefix="sprintsync-data-")
atexit.register(shutil.rmtree, os.environ["SPRINTSYNC_DATA_DIR"], ignore_errors=True)
os.environ.pop("GEMINI_API_KEY", None)
os.environ.pop("GOOGLE_API_KEY", None)
for _name in ("SPRINTSYNC_ADMIN_USERNAME", "SPRINTSYNC_ADMIN_PASSWORD"):
    os.environ.pop(_name, None)

from sprintsync import config, db  # noqa: E402
from sprintsync.domain import Role  # noqa: E402
from sprintsync.models import User  # noqa: E402
from sprintsync.services.auth import hash_password  # noqa: E402
from sprintsync.services.views import Actor  # noqa: E402
from tests.downloads import Downloads  # noqa: E402

# The browser suite needs the e2e extra; without it, leave tests/e2e out of collection.
collect_ignore = [] if importlib.util.find_spec("playwright") else ["e2e"]

if TYPE_CHECKING:
    from tests.ai.gemini_fake import FakeGemini

BLOCKED_CONNECTS: list[str] = []


class _RecordedBlock(pytest_socket.SocketConnectBlockedError):
    def __init__(self, allowed: list[str], host: str | None, *args: object, **kwargs: object):
        BLOCKED_CONNECTS.append(str(host))
        super().__init__(allowed, host, *args, **kwargs)


# pytest-socket looks the class up when it refuses a connect; ours also remembers the host.
pytest_socket.SocketConnectBlockedError = _RecordedBlock  # type: ignore[misc]


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--allow-hosts", None):
        raise pytest.UsageError("The network guard is off: run with pytest-socket's --allow-hosts.")


@pytest.fixture(autouse=True, scope="session")
def _scan_streamlit_components_once() -> Iterator[None]:
    """Each new AppTest reads the metadata of every installed distribution to look for
    Streamlit components (0.2-0.5 s, half of a small page test). The installed packages cannot
    change during a run, so the first scan's answer serves every AppTest after it."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(autouse=True)
def _no_json_logs_left_behind() -> Iterator[None]:
    """app.py sends JSON logs to stdout once per process. A later test in the same worker must
    not inherit that: for a CLI run, stdout is the command's output (its --json, say)."""
    yield
    from sprintsync.observability import logs

    logs.reset()


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """What each download button serves (tests/downloads.py)."""
    return Downloads().install(monkeypatch)


@pytest.fixture
def blocked_connects() -> list[str]:
    """The hosts this test was refused so far; a test that expects a refusal clears it."""
    return BLOCKED_CONNECTS


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    BLOCKED_CONNECTS.clear()
    yield
    if BLOCKED_CONNECTS:
        hosts = ", ".join(sorted(set(BLOCKED_CONNECTS)))
        BLOCKED_CONNECTS.clear()
        pytest.fail(f"The test tried to connect to {hosts}; tests must not use the network.")


def _forget_gemini_clients() -> None:
    # Only if some test imported it: google.genai takes a second to import.
    gemini = sys.modules.get("sprintsync.services.ai.gemini")
    if gemini is not None:
        gemini.forget_clients()


@pytest.fixture(autouse=True)
def _fresh_ai_clients() -> Iterator[None]:
    """The SDK clients live in the process: each test starts without one. (The AI cache and
    rate limit are in the database, so each test's rollback empties them.)"""
    _forget_gemini_clients()
    yield
    _forget_gemini_clients()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """env(NAME=value, ...): set environment variables for this test and re-read Settings."""
    names: list[str] = []

    def set_env(**values: Any) -> None:
        for name, value in values.items():
            names.append(name)
            monkeypatch.setenv(name, str(value))
        config.get_settings.cache_clear()

    yield set_env
    for name in names:
        monkeypatch.delenv(name, raising=False)
    config.get_settings.cache_clear()


@pytest.fixture
def fake_gemini(env, monkeypatch: pytest.MonkeyPatch) -> FakeGemini:
    """A Gemini key is set and the SDK client is this fake; retries do not wait."""
    from sprintsync.services.ai import gemini
    from tests.ai.gemini_fake import FakeGemini

    env(GEMINI_API_KEY="test-key")
    fake = FakeGemini()

    def make_client(settings: config.Settings) -> FakeGemini:
        fake.built_with.append(settings)
        return fake

    monkeypatch.setattr(gemini, "make_client", make_client)
    monkeypatch.setattr(gemini, "RETRY_DELAY_SECONDS", 0)
    return fake


TEMPLATE = "sprintsync_template"
PASSWORD = "correct-horse-battery"


def _admin_conn(admin_url: str) -> psycopg.Connection:
    url = make_url(admin_url)
    return psycopg.connect(
        dbname=url.database or "postgres",
        user=url.username or "postgres",
        host=url.query["host"],
        autocommit=True,
    )


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    data_dir = Path(tempfile.mkdtemp(prefix="sprintsync-test-"))
    admin_url = db.start_embedded_postgres(data_dir, cleanup_mode="delete")
    template_url = db.ensure_database(admin_url, TEMPLATE)
    engine = db.make_engine(template_url)
    db.migrate(engine)
    engine.dispose()
    return admin_url


@pytest.fixture(scope="session")
def clone_database(pg_admin_url: str) -> Callable[[str], str]:
    """Create a database copied from the migrated template; returns its URL."""

    def clone(name: str) -> str:
        with _admin_conn(pg_admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
        return make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)

    return clone


@pytest.fixture(scope="session")
def drop_database(pg_admin_url: str) -> Callable[[str], None]:
    def drop(name: str) -> None:
        with _admin_conn(pg_admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return drop


@pytest.fixture(scope="session")
def db_url(clone_database: Callable[[str], str]) -> str:
    url = clone_database("sprintsync_test")
    # Code that builds its own engine from Settings (the CLI, the app) lands here too.
    os.environ["SPRINTSYNC_DATABASE_URL"] = url
    config.get_settings.cache_clear()
    db._default_engine.cache_clear()
    db._default_sessions.cache_clear()
    return url


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    engine = db.make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session_factory(engine: Engine) -> Iterator[Callable[[], Session]]:
    """Sessions joined to one outer transaction that is rolled back after the test."""
    conn = engine.connect()
    outer = conn.begin()

    def factory() -> Session:
        return Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)

    db.use_session_factory(factory)
    try:
        yield factory
    finally:
        db.use_session_factory(None)
        outer.rollback()
        conn.close()


@pytest.fixture
def uow(db_session_factory: Callable[[], Session]) -> Callable[[], db.UnitOfWork]:
    """A factory of units of work inside the test's transaction: call uow() per service call."""
    return lambda: db.UnitOfWork(db_session_factory)


@pytest.fixture
def make_user(db_session_factory: Callable[[], Session]) -> Callable[..., Actor]:
    """Insert a user directly (fast, no audit) and return them as an Actor."""

    def make(
        username: str | None = None,
        role: Role | str = Role.MEMBER,
        *,
        password: str = PASSWORD,
        active: bool = True,
    ) -> Actor:
        name = username or f"user-{uuid.uuid4().hex[:8]}"
        with db_session_factory() as s:
            user = User(
                username=name,
                password_hash=hash_password(password),
                role=Role(role).value,
                is_active=active,
                full_name=name.title(),
            )
            s.add(user)
            s.commit()
            return Actor(user.id, user.username, Role(user.role), 0)

    return make


@pytest.fixture
def member(make_user) -> Actor:
    return make_user("mia", Role.MEMBER)


@pytest.fixture
def other_member(make_user) -> Actor:
    return make_user("otto", Role.MEMBER)


@pytest.fixture
def manager(make_user) -> Actor:
    return make_user("manny", Role.MANAGER)


@pytest.fixture
def admin(make_user) -> Actor:
    return make_user("ada", Role.ADMIN)


@pytest.fixture
def fresh_db(clone_database, drop_database) -> Iterator[Engine]:
    """A whole database of this test's own, for threads and migrations: real commits."""
    name = f"t_{uuid.uuid4().hex[:10]}"
    engine = db.make_engine(clone_database(name))
    try:
        yield engine
    finally:
        engine.dispose()
        drop_database(name)


@pytest.fixture
def age_timer(db_session_factory: Callable[[], Session]) -> Callable[[int, dt.timedelta], None]:
    """Move a user's running timer's start into the past (instead of sleeping)."""
    from sqlalchemy import update

    from sprintsync.models import Timer

    def age(user_id: int, delta: dt.timedelta) -> None:
        with db_session_factory() as s:
            started = Timer.started_at - delta
            s.execute(update(Timer).where(Timer.user_id == user_id).values(started_at=started))
            s.commit()

    return age


@pytest.fixture
def age_sign_in_failures(
    db_session_factory: Callable[[], Session],
) -> Callable[[dt.timedelta], None]:
    """Move every counted sign-in failure and lock into the past (instead of waiting)."""
    from sqlalchemy import update

    from sprintsync.models import SignInFailure

    def age(delta: dt.timedelta) -> None:
        with db_session_factory() as s:
            s.execute(
                update(SignInFailure).values(
                    last_failed_at=SignInFailure.last_failed_at - delta,
                    locked_until=SignInFailure.locked_until - delta,
                )
            )
            s.commit()

    return age
