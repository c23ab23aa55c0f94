"""Whatever a user types into a form, through the real Streamlit runtime: no exception and no
incident id ever reaches them; a refusal is one clear message and changes nothing in the
database; accepted text is stored exactly as typed (trimmed) and shown as text, never read as
Markdown or HTML. Tables of cases per form, the same kinds as test_hostile_input.py. This file
holds the task and time forms; test_hostile_account_forms.py the account forms."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from sprintsync.services import tasks, timelog, timers
from tests.hardening.hostile_forms import (
    BAD_DURATIONS,
    HUGE,
    KINDS,
    MANY_LINES,
    ONE_LINE,
    TEXTS,
    TOO_LONG_TIMER,
    assert_no_incident,
    assert_refused,
    assert_shown_as_text,
    counts,
    outcome,
)
from tests.ui.page_runner import (
    correction_key,
    errors,
    k,
    open_page,
    open_tab,
    with_new_task_open,
    with_week_charts_open,
)

# -- My tasks: the new-task form ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("where", "rules"), [("title", ONE_LINE), ("description", MANY_LINES)], ids=["title", "desc"]
)
def test_new_task_form(uow, member, db_session_factory, kind, where, rules):
    text = TEXTS[kind]
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input(text if where == "title" else "Plain title")
    at.text_area(key=k(at, "new_task.description")).input(text if where == "description" else "")
    before = counts(db_session_factory)
    at.button(key=k(at, "new_task.submit")).click().run()
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        typed = at.text_input if where == "title" else at.text_area
        assert typed(key=k(at, f"new_task.{where}")).value == text  # kept to correct
        if kind == "huge" and where == "title":  # no max_chars: a long paste is not dropped
            assert "Title must be at most 200 characters (got 100000)." in errors(at)
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
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Estimated")
    at.text_input(key=k(at, "new_task.estimate")).input(duration)
    before = counts(db_session_factory)
    at.button(key=k(at, "new_task.submit")).click().run()
    assert_refused(at, "duration|estimate", before, db_session_factory)


# -- an open task: edit it, log time on it, edit an entry --------------------------------


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Target", description="As it was")


@pytest.fixture
def entry(uow, member, task):
    return timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", note="first")


def opened(member, task, tab: str | None = None) -> AppTest:
    at = open_page("my_tasks.py", member, task=str(task.id))
    return at if tab is None else open_tab(at, task.id, tab)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("where", "rules"), [("title", ONE_LINE), ("description", MANY_LINES)], ids=["title", "desc"]
)
def test_edit_task_form(uow, member, task, db_session_factory, kind, where, rules):
    text = TEXTS[kind]
    at = opened(member, task, "Edit")
    widget = at.text_area if where == "description" else at.text_input
    widget(key=k(at, f"edit.{task.id}.{where}")).input(text)
    before = counts(db_session_factory)
    at.button(key=k(at, f"edit.{task.id}.submit")).click().run()
    refused = outcome(kind, rules)
    if kind == "huge" and where == "title":  # no max_chars: the browser would drop it whole
        assert "Title must be at most 200 characters (got 100000)." in errors(at)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert widget(key=k(at, f"edit.{task.id}.{where}")).value == text  # what they typed stays
        return
    assert_no_incident(at)
    assert getattr(tasks.get_task(uow(), actor=member, task_id=task.id), where) == text.strip()
    assert_shown_as_text(at, text)


@pytest.mark.parametrize("kind", KINDS)
def test_log_time_note(uow, member, task, db_session_factory, kind):
    text = TEXTS[kind]
    at = opened(member, task)
    at.text_input(key=k(at, f"log.{task.id}.duration")).input("15m")
    at.text_input(key=k(at, f"log.{task.id}.note")).input(text)
    before = counts(db_session_factory)
    at.button(key=k(at, f"log.{task.id}.submit")).click().run()
    refused = outcome(kind, MANY_LINES)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    [logged] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (logged.minutes, logged.note) == (15, text.strip())
    assert_shown_as_text(open_tab(at, task.id, "Time entries"), text)


@pytest.mark.parametrize("duration", BAD_DURATIONS)
def test_log_time_duration_that_cannot_be_logged_is_refused(
    member, task, db_session_factory, duration
):
    at = opened(member, task)
    at.text_input(key=k(at, f"log.{task.id}.duration")).input(duration)
    before = counts(db_session_factory)
    at.button(key=k(at, f"log.{task.id}.submit")).click().run()
    assert_refused(at, "duration|between 1 minute and 24 hours", before, db_session_factory)


@pytest.mark.parametrize("day", [dt.date(9999, 12, 31), dt.date(1, 1, 1), dt.date(1999, 12, 31)])
def test_log_time_on_a_far_date_never_stores_it(uow, member, task, day):
    """The date picker keeps its value within its bounds; the service refuses the rest."""
    at = opened(member, task)
    at.text_input(key=k(at, f"log.{task.id}.duration")).input("15m")
    at.date_input(key=k(at, f"log.{task.id}.date")).set_value(day)
    at.button(key=k(at, f"log.{task.id}.submit")).click().run()
    assert_no_incident(at)
    for logged in timelog.task_entries(uow(), actor=member, task_id=task.id):
        assert dt.date(2000, 1, 1) <= logged.spent_on <= dt.date.today() + dt.timedelta(days=1)


@pytest.mark.parametrize("value", [*KINDS, *(f"duration {d}" for d in BAD_DURATIONS[:5])])
def test_edit_entry_form(uow, member, task, entry, db_session_factory, value):
    at = opened(member, task, "Time entries")
    at.button(key=f"entry.{entry.id}.edit").click().run()
    if value.startswith("duration "):
        at.text_input(key=k(at, f"entry.{entry.id}.duration")).input(
            value.removeprefix("duration ")
        )
        refused = "duration|between 1 minute and 24 hours"
    else:
        at.text_input(key=k(at, f"entry.{entry.id}.note")).input(TEXTS[value])
        refused = outcome(value, MANY_LINES)
    before = counts(db_session_factory)
    at.button(key=k(at, f"entry.{entry.id}.submit")).click().run()
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
    at.text_input(key=correction_key(at, "duration")).input(duration)
    at.text_input(key=correction_key(at, "note")).input(note)
    before = counts(db_session_factory)
    at.button(key=correction_key(at, "submit")).click().run()
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert timers.running_timer(uow(), actor=member) is not None
        return
    assert_no_incident(at)
    [logged] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert logged.note == note.strip()
    assert timers.running_timer(uow(), actor=member) is None


@pytest.mark.parametrize("kind", KINDS)
def test_ai_draft_title(member, db_session_factory, kind):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input(TEXTS[kind])
    before = counts(db_session_factory)
    at.button(key=k(at, "new_task.draft")).click().run()
    refused = outcome(kind, ONE_LINE)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert at.text_area(key=k(at, "new_task.description")).value == ""
        return
    assert_no_incident(at)
    assert at.text_area(key=k(at, "new_task.description")).value.startswith("Goal: ")
    assert counts(db_session_factory) == before  # a draft is not saved until Create


def test_a_task_title_is_a_plain_label_in_my_charts(uow, member):
    task = tasks.create_task(uow(), actor=member, title="<a href='https://evil.example'>x</a>")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    at = with_week_charts_open(open_page("my_time.py", member))
    assert_no_incident(at)
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    labels = [label for spec in specs for trace in spec["data"] for label in trace.get("y", [])]
    assert f"#{task.id} &lt;a href='https://evil.example'&gt;x&lt;/a&gt;" in labels
    assert not [label for label in labels if "<a" in str(label)]


UI_EXAMPLES = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@UI_EXAMPLES
@given(title=st.text(max_size=60), estimate=st.text(max_size=8))
def test_any_new_task_is_created_as_typed_or_refused_with_a_message(
    uow, member, db_session_factory, title, estimate
):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input(title)
    at.text_input(key=k(at, "new_task.estimate")).input(estimate)
    before = counts(db_session_factory)
    at.button(key=k(at, "new_task.submit")).click().run()
    assert_no_incident(at)
    if errors(at):
        assert counts(db_session_factory) == before
        return
    assert title.strip() in [t.title for t in tasks.list_tasks(uow(), actor=member).items]
