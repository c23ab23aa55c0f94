"""Fixtures for the ops tests: JSON logs captured in memory, a sidecar on a free port,
settings from a scratch environment, and the external tools CI must have."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import sessionmaker

from sprintsync import config, db
from sprintsync.domain import Role
from sprintsync.observability import logs, sidecar
from sprintsync.services import tasks, timelog, users
from sprintsync.services.views import CONSOLE
from tests.ops.opskit import ROOT, JsonLogs


@pytest.fixture
def json_logs() -> Iterator[JsonLogs]:
    captured = JsonLogs()
    logs.configure("DEBUG", stream=captured.stream)
    try:
        yield captured
    finally:
        logs.reset()


@pytest.fixture
def settings_env(monkeypatch) -> Iterator[Callable[..., config.Settings]]:
    """Set SPRINTSYNC_* variables (None removes one) and get fresh Settings read from them."""

    def apply(**env: str | None) -> config.Settings:
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        config.get_settings.cache_clear()
        return config.get_settings()

    # A developer's .env must not leak into these tests.
    monkeypatch.chdir(ROOT / "tests")
    yield apply
    monkeypatch.undo()
    config.get_settings.cache_clear()


@pytest.fixture
def running_sidecar(engine) -> Iterator[sidecar.Sidecar]:
    """A sidecar on a free port whose /healthz pings the test database."""
    server = sidecar.start("127.0.0.1", 0, lambda: db.ping(engine))
    assert server is not None
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def workspace(fresh_db):
    """Committed data in a database of its own: psql and Grafana's login see it."""
    uow = lambda: db.UnitOfWork(sessionmaker(bind=fresh_db, expire_on_commit=False))  # noqa: E731
    mia = users.create_user(uow(), actor=CONSOLE, username="mia", role=Role.MEMBER).user
    otto = users.create_user(uow(), actor=CONSOLE, username="otto", role=Role.MEMBER).user
    by = {u.username: users.actor_for(uow(), username=u.username) for u in (mia, otto)}
    for name, durations in {"mia": ["2h", "1h30m"], "otto": ["45m"]}.items():
        task = tasks.create_task(uow(), actor=by[name], title=f"{name}'s work")
        for duration in durations:
            timelog.log_time(uow(), actor=by[name], task_id=task.id, duration=duration)
    return fresh_db.url.render_as_string(hide_password=False)
