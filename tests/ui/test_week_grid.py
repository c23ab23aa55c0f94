"""The My time grid in the real Streamlit runtime: typed cells (the editor's own edit state,
as the browser sends it) change the totals at once and the database on Save; a conflict keeps
what was typed; rows are added or copied from last week; submitting; an approved week is
read-only."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog, timesheets, weeks
from tests.ui.apptest_helpers import week_totals
from tests.ui.page_runner import click, errors, open_page, toasts

MONDAY = monday_of(today())
DAY = today().weekday()


def editor_key(at: AppTest, actor) -> str:
    return at.data_editor[0].key  # it carries the grid's generation


def type_cells(at: AppTest, actor, cells: dict[int, dict[str, str]]) -> AppTest:
    """Put typed cells in the editor's edit state (what the browser sends) and rerun."""
    at.session_state[editor_key(at, actor)] = {
        "edited_rows": cells,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    return at


def column(day: int) -> str:
    return f"{MONDAY + dt.timedelta(days=day):%a %d}"


def cell(uow, actor, task_id: int, day: int) -> int:
    sheet = timesheets.weekly_timesheet(uow(), actor=actor, week_start=MONDAY)
    return next((r.minutes[day] for r in sheet.rows if r.task_id == task_id), 0)


@pytest.fixture
def task(uow, member):
    made = tasks.create_task(uow(), actor=member, title="Grid task")
    timelog.log_time(uow(), actor=member, task_id=made.id, duration="1h", note="kept")
    return made


def test_typed_cells_update_the_totals_and_save_in_one_go(uow, member, task):
    at = open_page("my_time.py", member)
    type_cells(at, member, {0: {column(DAY): "2h30m"}})
    week, (by_day, by_task) = week_totals(at)  # the totals follow what is typed
    assert (week, by_task) == ("2h30m", f"By task: #{task.id} Grid task 2h30m")
    assert f"{column(DAY)} 2h30m" in by_day
    assert cell(uow, member, task.id, DAY) == 60  # nothing saved yet
    assert "1 unsaved cell." in [c.value for c in at.caption]
    click(at, next(b.key for b in at.button if b.label == "Save week"))
    assert toasts(at) == ["Saved 1 cell (entries: 1 changed)."]
    assert cell(uow, member, task.id, DAY) == 150
    (entry,) = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert entry.note == "kept"
    assert at.data_editor[0].value.iloc[0, DAY + 1] == "2h30m"


def test_an_unreadable_cell_is_flagged_and_refused_with_nothing_saved(uow, member, task):
    at = open_page("my_time.py", member)
    type_cells(at, member, {0: {column(DAY): "lots"}})
    assert any("Not a duration yet" in w.value for w in at.warning)
    click(at, next(b.key for b in at.button if b.label == "Save week"))
    assert any("Could not read 'lots' as a duration" in e for e in errors(at))
    assert cell(uow, member, task.id, DAY) == 60


def test_a_conflict_keeps_what_was_typed_and_reloading_carries_it_over(uow, member, task):
    at = open_page("my_time.py", member)
    type_cells(at, member, {0: {column(DAY): "3h"}})
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="15m")  # another tab
    click(at, next(b.key for b in at.button if b.label == "Save week"))
    assert any("changed elsewhere after the grid was drawn" in e for e in errors(at))
    assert cell(uow, member, task.id, DAY) == 75
    click(at, next(b.key for b in at.button if b.label.startswith("Reload the week")))
    assert at.data_editor[0].value.iloc[0, DAY + 1] == "3h"  # what was typed, redrawn
    click(at, next(b.key for b in at.button if b.label == "Save week"))
    assert cell(uow, member, task.id, DAY) == 180


def test_a_row_is_added_for_an_open_task_and_last_weeks_rows_are_copied(uow, member, task):
    fresh = tasks.create_task(uow(), actor=member, title="Fresh task")
    old = tasks.create_task(uow(), actor=member, title="Last week's task")
    timelog.log_time(
        uow(), actor=member, task_id=old.id, duration="1h", spent_on=MONDAY - dt.timedelta(days=5)
    )
    at = open_page("my_time.py", member)
    type_cells(at, member, {0: {column(DAY): "2h"}})
    at.selectbox[0].set_value(fresh.id).run()
    click(at, next(b.key for b in at.button if b.label == "Add row"))
    click(at, next(b.key for b in at.button if b.label == "Copy last week's rows"))
    frame = at.data_editor[0].value
    assert list(frame["Task"]) == [
        f"#{task.id} Grid task",
        f"#{fresh.id} Fresh task",
        f"#{old.id} Last week's task",
    ]
    assert frame.iloc[0, DAY + 1] == "2h"  # typed before the rows were added: kept
    type_cells(at, member, {1: {column(DAY): "45m"}})
    click(at, next(b.key for b in at.button if b.label == "Save week"))
    assert (cell(uow, member, task.id, DAY), cell(uow, member, fresh.id, DAY)) == (120, 45)


def test_submitting_shows_the_state_and_an_approved_week_is_read_only(uow, member, manager, task):
    at = open_page("my_time.py", member)
    click(at, next(b.key for b in at.button if b.label == "Submit week for approval"))
    assert any("Submitted, waiting for approval" in i.value for i in at.info)
    weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY, comment="Fine")
    at.run()
    assert any("Approved by manny" in s.value and "locked" in s.value for s in at.success)
    assert not [b for b in at.button if b.label in ("Save week", "Add row")]


def test_a_week_sent_back_shows_who_and_why(uow, member, manager, task):
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    weeks.return_week(
        uow(), actor=manager, user_id=member.id, week_start=MONDAY, comment="Split Monday"
    )
    at = open_page("my_time.py", member)
    assert any("Sent back by manny" in w.value and "Split Monday" in w.value for w in at.warning)
