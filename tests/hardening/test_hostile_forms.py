"""Whatever a user types into a form, through the real Streamlit runtime: no exception and no
incident id ever reaches them; a refusal is one clear message and changes nothing in the
database; accepted text is stored exactly as typed (trimmed) and shown as text, never read as
Markdown or HTML. Tables of cases per form; the same kinds as test_hostile_input.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from sprintsync.models import AuditLog, Task, TimeEntry, Timer, User
from sprintsync.services import auth, tasks, timelog, timers, users
from tests.conftest import PASSWORD
from tests.ui.apptest_helpers import field, is_sign_in_page, press
from tests.ui.page_runner import errors, open_page, texts

HUGE = "x" * 100_000
TEXTS = {
    "sql": "'; DROP TABLE tasks; --",
    "html": "<img src=x onerror=alert(1)><script>alert(1)</script>",
    "markdown": "**bold** [x](javascript:alert(1)) :red[x] $x$",
    "unicode": "\u202eevil e\u0301 🧨 Ünïcødé",
    "control": "esc\x1b[31m bell\x07",
    "nul": "nul\x00byte",
    "huge": HUGE,
}
SAFE = ["sql", "html", "markdown", "unicode"]  # accepted everywhere text is free
ONE_LINE = {"control": "single line without control", "nul": "NUL", "huge": "."}
MANY_LINES = {"nul": "NUL", "huge": "at most"}
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


def assert_dropped_by_the_widget(at: AppTest, stored: str) -> None:
    """A text input with max_chars keeps no more than that (the browser does not even let one
    type more): the huge text never arrives, and what was stored stays."""
    assert_no_incident(at)
    assert stored != HUGE.strip()


KINDS = sorted(TEXTS)


# -- My tasks: the new-task form ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("where", "rules"), [("title", ONE_LINE), ("description", MANY_LINES)], ids=["title", "desc"]
)
def test_new_task_form(uow, member, db_session_factory, kind, where, rules):
    text = TEXTS[kind]
    at = open_page("my_tasks.py", member)
    at.text_input(key="new_task.title").input(text if where == "title" else "Plain title")
    at.text_area(key="new_task.description").input(text if where == "description" else "")
    before = counts(db_session_factory)
    at.button(key="new_task.create").click().run()
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    [task] = tasks.list_tasks(uow(), actor=member).items
    assert getattr(task, where) == text.strip()
    if where == "title":
        assert_shown_as_text(at, text)


@pytest.mark.parametrize(
    "duration", ["abc", "0", "-5", "1e3", "１２", "9" * 30, "1:99", "43201", "999h", "1.5.5h"]
)
def test_new_task_estimate_that_cannot_be_read_is_refused(member, db_session_factory, duration):
    at = open_page("my_tasks.py", member)
    at.text_input(key="new_task.title").input("Estimated")
    at.text_input(key="new_task.estimate").input(duration)
    before = counts(db_session_factory)
    at.button(key="new_task.create").click().run()
    assert_refused(at, "duration|estimate", before, db_session_factory)


# -- an open task: edit it, log time on it, edit an entry --------------------------------


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Target", description="As it was")


@pytest.fixture
def entry(uow, member, task):
    return timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", note="first")


def opened(member, task) -> AppTest:
    return open_page("my_tasks.py", member, task=str(task.id))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("where", "rules"), [("title", ONE_LINE), ("description", MANY_LINES)], ids=["title", "desc"]
)
def test_edit_task_form(uow, member, task, db_session_factory, kind, where, rules):
    text = TEXTS[kind]
    at = opened(member, task)
    widget = at.text_area if where == "description" else at.text_input
    widget(key=f"edit.{task.id}.{where}").input(text)
    before = counts(db_session_factory)
    at.button(key=f"edit.{task.id}.save").click().run()
    refused = outcome(kind, rules)
    if kind == "huge" and where == "title":  # a text_input with max_chars=200
        saved = tasks.get_task(uow(), actor=member, task_id=task.id)
        assert_dropped_by_the_widget(at, saved.title)
        return
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert widget(key=f"edit.{task.id}.{where}").value in (text, "")  # what they typed stays
        return
    assert_no_incident(at)
    assert getattr(tasks.get_task(uow(), actor=member, task_id=task.id), where) == text.strip()
    assert_shown_as_text(at, text)


@pytest.mark.parametrize("kind", KINDS)
def test_log_time_note(uow, member, task, db_session_factory, kind):
    text = TEXTS[kind]
    at = opened(member, task)
    at.text_input(key=f"log.{task.id}.duration").input("15m")
    at.text_input(key=f"log.{task.id}.note").input(text)
    before = counts(db_session_factory)
    at.button(key=f"log.{task.id}.submit").click().run()
    refused = outcome(kind, MANY_LINES)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    [logged] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (logged.minutes, logged.note) == (15, text.strip())
    assert_shown_as_text(at, text)


@pytest.mark.parametrize("duration", BAD_DURATIONS)
def test_log_time_duration_that_cannot_be_logged_is_refused(
    member, task, db_session_factory, duration
):
    at = opened(member, task)
    at.text_input(key=f"log.{task.id}.duration").input(duration)
    before = counts(db_session_factory)
    at.button(key=f"log.{task.id}.submit").click().run()
    assert_refused(at, "duration|between 1 minute and 24 hours", before, db_session_factory)


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1999, 12, 31)])
def test_log_time_on_a_far_date_never_stores_it(uow, member, task, day):
    """The date picker keeps its value within its bounds; the service refuses the rest."""
    at = opened(member, task)
    at.text_input(key=f"log.{task.id}.duration").input("15m")
    at.date_input(key=f"log.{task.id}.date").set_value(day)
    at.button(key=f"log.{task.id}.submit").click().run()
    assert_no_incident(at)
    for logged in timelog.task_entries(uow(), actor=member, task_id=task.id):
        assert dt.date(2000, 1, 1) <= logged.spent_on <= dt.date.today() + dt.timedelta(days=1)


@pytest.mark.parametrize("value", [*KINDS, *(f"duration {d}" for d in BAD_DURATIONS[:5])])
def test_edit_entry_form(uow, member, task, entry, db_session_factory, value):
    at = opened(member, task)
    at.button(key=f"entry.{entry.id}.edit").click().run()
    if value.startswith("duration "):
        at.text_input(key=f"entry.{entry.id}.duration").input(value.removeprefix("duration "))
        refused = "duration|between 1 minute and 24 hours"
    else:
        at.text_input(key=f"entry.{entry.id}.note").input(TEXTS[value])
        refused = outcome(value, MANY_LINES)
    before = counts(db_session_factory)
    at.button(key=f"entry.{entry.id}.save").click().run()
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        [kept] = timelog.task_entries(uow(), actor=member, task_id=task.id)
        assert (kept.minutes, kept.note) == (60, "first")
        return
    assert_no_incident(at)
    [saved] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert saved.note == TEXTS[value].strip()
    assert_shown_as_text(at, TEXTS[value])


# -- the timer that ran too long ----------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "note", "refused"),
    [
        ("abc", "", "as a duration"),
        ("0", "", "between 1 minute"),
        ("25h", "", "between 1 minute"),
        ("", "", "ran for|longer than"),
        ("2h", TEXTS["nul"], "NUL"),
        ("2h", HUGE, "at most 2000"),
        ("2h", TEXTS["html"], None),
        ("1:30", TEXTS["unicode"], None),
    ],
)
def test_timer_correction_form(
    uow, member, task, age_timer, db_session_factory, duration, note, refused
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, TOO_LONG_TIMER)
    at = open_page("my_tasks.py", member)
    at.text_input(key="timer.corrected").input(duration)
    at.text_input(key="timer.corrected_note").input(note)
    before = counts(db_session_factory)
    at.button(key="timer.stop_corrected").click().run()
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert timers.running_timer(uow(), actor=member) is not None
        return
    assert_no_incident(at)
    [logged] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert logged.note == note.strip()
    assert timers.running_timer(uow(), actor=member) is None


# -- signing in and up (through app.py, signed out) ---------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sign_in_form(app, member, db_session_factory, kind):
    at = app().run()
    field(at, "Username").input(TEXTS[kind])
    field(at, "Password").input(TEXTS[kind])
    users_tasks_time, audit_rows = counts(db_session_factory)[:-1], counts(db_session_factory)[-1]
    at = press(at, "Sign in")
    assert not at.exception
    assert errors(at) == [auth.INVALID]
    assert is_sign_in_page(at)
    # Nothing changes but the audit trail's record of a failed sign-in (of an unknown name).
    assert counts(db_session_factory) == (*users_tasks_time, audit_rows + 1)


SIGN_UP_FIELDS = {
    "username": ("Username", {k: "Username must be" for k in KINDS}),
    "first name": ("First name", {"control": "single line", "nul": "NUL", "huge": "at most 120"}),
    "email": ("Email (optional)", {k: "email|NUL|at most" for k in KINDS}),
    "password": ("Password", {"nul": "NUL", "huge": "8 to 128"}),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", sorted(SIGN_UP_FIELDS))
def test_sign_up_form(app, uow, db_session_factory, which, kind):
    label, rules = SIGN_UP_FIELDS[which]
    typed = {"Username": "newt", "Password": "a long enough passphrase"}
    typed[label] = TEXTS[kind]
    at = app().run()
    at.switch_page("pages/sign_up.py").run()
    for name in ("First name", "Last name", "Email (optional)", "Username", "Password"):
        field(at, name).input(typed.get(name, ""))
    field(at, "Repeat password").input(typed["Password"])
    before = counts(db_session_factory)
    at = press(at, "Create account")
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    created = users.get_user(uow(), actor=None, username="newt")
    if which == "first name":
        assert created.full_name == TEXTS[kind].strip()
    if which == "password":
        assert auth.authenticate(uow(), username="newt", password=TEXTS[kind]).username == "newt"


# -- an admin creating a user -------------------------------------------------------------

ADMIN_FIELDS = {
    "username": ("Username", {k: "Username must be" for k in KINDS}),
    "full name": ("Full name", {"control": "single line", "nul": "NUL", "huge": "at most 120"}),
    "email": ("Email (optional)", {k: "email|NUL|at most" for k in KINDS}),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", sorted(ADMIN_FIELDS))
def test_admin_create_user_form(app, uow, admin, db_session_factory, which, kind):
    label, rules = ADMIN_FIELDS[which]
    at = app(admin, "pages/admin.py").run()
    field(at, "Username").input(TEXTS[kind] if which == "username" else "newt")
    if which != "username":
        field(at, label).input(TEXTS[kind])
    before = counts(db_session_factory)
    at = press(at, "Create user")
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    created = users.get_user(uow(), actor=admin, username="newt")
    if which == "full name":
        assert created.full_name == TEXTS[kind].strip()
        assert_shown_as_text(at, TEXTS[kind])


# -- the account page: profile and password -----------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["Full name", "Email"])
def test_account_profile_form(app, uow, member, db_session_factory, which, kind):
    rules = ADMIN_FIELDS["full name" if which == "Full name" else "email"][1]
    at = app(member, "pages/account.py").run()
    field(at, which).input(TEXTS[kind])
    before = counts(db_session_factory)
    at = press(at, "Save profile")
    refused = outcome(kind, rules)
    me = users.get_user(uow(), actor=member, username="mia")
    if kind == "huge":  # both inputs have max_chars
        assert_dropped_by_the_widget(at, me.full_name if which == "Full name" else me.email or "")
        return
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    assert me.full_name == TEXTS[kind].strip()


@pytest.mark.parametrize(
    ("new", "refused"),
    [
        (TEXTS["nul"] + "-long-enough", "NUL"),
        (HUGE, "8 to 128"),
        ("short", "8 to 128"),
        (PASSWORD, "must differ"),
        (TEXTS["sql"], None),
        (TEXTS["unicode"], None),
        ("  spaces kept  ", None),
    ],
    ids=["nul", "huge", "short", "same", "sql", "unicode", "spaces"],
)
def test_account_password_form(app, uow, member, db_session_factory, new, refused):
    at = app(member, "pages/account.py").run()
    field(at, "Current password").input(PASSWORD)
    field(at, "New password").input(new)
    field(at, "Repeat the new password").input(new)
    before = counts(db_session_factory)
    at = press(at, "Change password")
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert auth.authenticate(uow(), username="mia", password=PASSWORD).username == "mia"
        return
    assert_no_incident(at)
    assert auth.authenticate(uow(), username="mia", password=new).username == "mia"


# -- searching and filtering --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_team_search(uow, manager, member, kind):
    tasks.create_task(uow(), actor=member, title=f"Holds {TEXTS['sql']} inside")
    at = open_page("team.py", manager)
    at.text_input(key=at.text_input[0].key).input(TEXTS[kind]).run()
    assert_no_incident(at)
    assert not errors(at)
    found = at.dataframe[0].value["Title"].tolist() if at.dataframe else []
    assert found == ([f"Holds {TEXTS['sql']} inside"] if kind == "sql" else [])


@pytest.mark.parametrize(
    "dates",
    [
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
        (dt.date(1, 1, 1), dt.date(1, 1, 31)),
        (dt.date(2020, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
    ],
    ids=["far future", "far past", "too long", "backwards"],
)
def test_analytics_filters(manager, dates):
    at = AppTest.from_file("../../pages/analytics.py", default_timeout=30)
    at.session_state["actor"] = manager
    at.run()
    at.date_input(key="dates").set_value(dates).run()
    assert_no_incident(at)
    assert all("two years" in e or "end date" in e for e in errors(at))


@pytest.mark.parametrize("kind", KINDS)
def test_ai_draft_title(member, db_session_factory, kind):
    at = open_page("my_tasks.py", member)
    at.text_input(key="new_task.title").input(TEXTS[kind])
    before = counts(db_session_factory)
    at.button(key="new_task.draft").click().run()
    refused = outcome(kind, ONE_LINE)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert at.text_area(key="new_task.description").value == ""
        return
    assert_no_incident(at)
    assert at.text_area(key="new_task.description").value.startswith("Goal: ")
    assert counts(db_session_factory) == before  # a draft is not saved until Create


def test_a_task_title_is_a_plain_label_in_my_charts(uow, member):
    task = tasks.create_task(uow(), actor=member, title="<a href='https://evil.example'>x</a>")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    at = open_page("my_time.py", member)
    assert_no_incident(at)
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    labels = [label for spec in specs for trace in spec["data"] for label in trace.get("y", [])]
    assert "&lt;a href='https://evil.example'&gt;x&lt;/a&gt;" in labels
    assert not [label for label in labels if "<a" in str(label)]


UI_EXAMPLES = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@UI_EXAMPLES
@given(title=st.text(max_size=60), estimate=st.text(max_size=8))
def test_any_new_task_is_created_as_typed_or_refused_with_a_message(
    uow, member, db_session_factory, title, estimate
):
    at = open_page("my_tasks.py", member)
    at.text_input(key="new_task.title").input(title)
    at.text_input(key="new_task.estimate").input(estimate)
    before = counts(db_session_factory)
    at.button(key="new_task.create").click().run()
    assert_no_incident(at)
    if errors(at):
        assert counts(db_session_factory) == before
        return
    assert title.strip() in [t.title for t in tasks.list_tasks(uow(), actor=member).items]
