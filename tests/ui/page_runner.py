"""Running one page in the real Streamlit runtime (AppTest) as a signed-in user."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sprintsync.services import tasks
from sprintsync.services.views import Actor

PAGES = Path(__file__).resolve().parents[2] / "pages"


def open_page(name: str, actor: Actor, **query_params: str) -> AppTest:
    """The page after its first run, signed in as `actor` (the session contract of app.py);
    query_params are in the URL it is opened with, as after following a link."""
    at = AppTest.from_file(str(PAGES / name), default_timeout=30)
    at.session_state["actor"] = actor
    at.query_params.update(query_params)
    at.run()
    assert not at.exception
    return at


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def toasts(at: AppTest) -> list[str]:
    """Toast messages as the user reads them (they are Markdown-escaped on the wire)."""
    return [re.sub(r"\\(.)", r"\1", t.value) for t in at.toast]


def errors(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def create_task(uow, actor: Actor, title: str = "Write the onboarding guide", **fields):
    return tasks.create_task(uow(), actor=actor, title=title, **fields)


def open_task(at: AppTest, task_id: int) -> AppTest:
    """Click the task's Open button in the list."""
    return click(at, f"list.open.{task_id}")


def banner_key(at: AppTest, what: str) -> str | None:
    """The key of the timer banner's `what` button (stop, discard, stop_corrected), if shown:
    it names the timer it was drawn for, so tests look it up."""
    keys = [b.key for b in at.button if b.key and b.key.startswith(f"timer.{what}.")]
    assert len(keys) <= 1, keys
    return keys[0] if keys else None


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at
