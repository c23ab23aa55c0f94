"""AppTest helpers: the real Streamlit runtime against the test's PostgreSQL transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.services.views import Actor
from tests.ui.page_runner import page_test

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(db_session_factory) -> Callable[..., AppTest]:
    """An AppTest of app.py (or of one page file), optionally already signed in as `actor`.
    Depends on db_session_factory so every service call lands in the test's transaction."""

    def make(actor: Actor | None = None, script: str = "app.py") -> AppTest:
        if script != "app.py":  # one page, drawn as app.py draws it
            return page_test(ROOT / script, actor, default_timeout=60)
        at = AppTest.from_file(str(ROOT / script), default_timeout=60)
        if actor is not None:
            at.session_state["actor"] = actor
        return at

    return make
