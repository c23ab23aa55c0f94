"""What the hostile-form tests share: the texts a user might type, and the checks that a form
refused it cleanly or kept it verbatim as text."""

from __future__ import annotations

import datetime as dt
import re
import string

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from sprintsync.models import AuditLog, Task, TimeEntry, Timer, User
from tests.ui.page_runner import errors, texts

HUGE = "x" * 100_000
TEXTS = {
    "sql": "'; DROP TABLE tasks; --",
    "html": "<img src=x onerror=alert(1)><script>alert(1)</script>",
    "markdown": "**bold** [x](javascript:alert(1)) :red[x] $x$",
    "unicode": "evil e\u0301 🧨 Ünïcødé",
    # A right-to-left override: the rest would show reversed ("Trojan Source").
    "bidi": "invoice \u202egnp.exe",
    "control": "esc\x1b[31m bell\x07",
    "nul": "nul\x00byte",
    "huge": HUGE,
}
SAFE = ["sql", "html", "markdown", "unicode"]  # accepted everywhere text is free
ONE_LINE = {
    "control": "single line without control",
    "nul": "NUL",
    "huge": "at most 200",
    "bidi": "invisible characters",
}
MANY_LINES = {"nul": "NUL", "huge": "at most", "bidi": "invisible characters"}
BAD_DURATIONS = ["abc", "0", "-5", "1441", "25h", "1e3", "NaN", "１２", "9" * 30, "1:99"]
TOO_LONG_TIMER = dt.timedelta(hours=13)


def counts(session_factory) -> tuple[int, ...]:
    with session_factory() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t))
            for t in (User, Task, TimeEntry, Timer, AuditLog)
        )


def rendered(at: AppTest) -> list[str]:
    """What went through Markdown on the page (titles, captions, messages, toasts)."""
    kinds = ("markdown", "caption", "title", "subheader", "error", "info", "warning", "success")
    return [e.value for kind in kinds for e in getattr(at, kind)] + [t.value for t in at.toast]


def assert_shown_as_text(at: AppTest, text: str) -> None:
    shown = text.strip()
    cells = {str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel()}
    assert shown in texts(at) or shown in cells
    if any(c in string.punctuation for c in shown):  # Markdown could read it: never raw there
        assert not any(shown in value for value in rendered(at))


def assert_refused(at: AppTest, says: str, before, session_factory) -> None:
    assert not at.exception
    said = errors(at)
    assert len(said) == 1, said
    assert re.search(says, said[0]), said
    assert "incident" not in said[0]
    assert counts(session_factory) == before


def assert_no_incident(at: AppTest) -> None:
    assert not at.exception
    assert not [e for e in errors(at) if "incident" in e]


def outcome(kind: str, rules: dict[str, str]) -> str | None:
    """What a refusal of TEXTS[kind] says, or None if that text is accepted."""
    return rules.get(kind)


KINDS = sorted(TEXTS)
