"""Saving the week grid: what each cell becomes in entries, all or nothing, conflicts that
keep nothing half-saved, the daily cap and the tasks a person may log on."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError
from sprintsync.models import AuditLog
from sprintsync.services import tasks, timelog, timesheets
from sprintsync.services.timesheet_grid import save_grid
from sprintsync.services.timesheet_views import GridCell

MONDAY = monday_of(today()) - dt.timedelta(days=7)  # last week: every day of it has begun
TUESDAY = MONDAY + dt.timedelta(days=1)


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Grid work")


def entries(uow, member, day=None):
    found = timelog.user_entries(
        uow(), actor=member, start=MONDAY, end=MONDAY + dt.timedelta(days=6)
    )
    return [
        (e.task_id, e.spent_on, e.minutes, e.note, e.span)
        for e in found
        if day is None or e.spent_on == day
    ]


def cell(uow, member, task_id, day):
    sheet = timesheets.weekly_timesheet(uow(), actor=member, week_start=MONDAY)
    return next((r.minutes[day] for r in sheet.rows if r.task_id == task_id), 0)


def save(uow, member, *cells):
    return save_grid(uow(), actor=member, week_start=MONDAY, cells=[GridCell(*c) for c in cells])


def test_typing_into_an_empty_cell_adds_one_entry_and_counts_it_into_the_task(uow, member, task):
    saved = save(uow, member, (task.id, 1, "1h30m", 0))
    assert (saved.cells_changed, saved.entries_added) == (1, 1)
    assert entries(uow, member) == [(task.id, TUESDAY, 90, "", "")]
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 90


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2h", [(120, "design")]),  # more: the newest entry without times grows, note kept
        ("1h", [(60, "design")]),  # less: it shrinks
        ("", []),  # emptied: its entries go
        ("0", []),
        ("90", [(90, "design")]),  # unchanged: nothing happens
        ("1:30", [(90, "design")]),
    ],
)
def test_changing_a_cell_changes_its_entry_and_keeps_the_note(uow, member, task, typed, expected):
    timelog.log_time(
        uow(), actor=member, task_id=task.id, duration="90", spent_on=TUESDAY, note="design"
    )
    save(uow, member, (task.id, 1, typed, 90))
    assert [(m, n) for _, _, m, n, _ in entries(uow, member)] == expected
    total = tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes
    assert total == sum(m for m, _ in expected)


def test_cutting_a_cell_takes_the_newest_entries_first_and_reports_a_removed_note(
    uow, member, task
):
    for duration, note in (("1h", "first"), ("30m", "second")):
        timelog.log_time(
            uow(), actor=member, task_id=task.id, duration=duration, spent_on=TUESDAY, note=note
        )
    saved = save(uow, member, (task.id, 1, "45m", 90))
    assert [(m, n) for _, _, m, n, _ in entries(uow, member)] == [(45, "first")]
    assert saved.removed_notes == ("second",)
    assert "Removed notes: 'second'" in saved.summary


def test_timed_entries_are_never_cut_by_the_grid_but_go_when_the_cell_is_emptied(uow, member, task):
    timelog.log_time(
        uow(), actor=member, task_id=task.id, spent_on=TUESDAY, start="09:00", end="10:00"
    )
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m", spent_on=TUESDAY)
    with pytest.raises(ValidationError, match="start and end times, which the grid does not cut"):
        save(uow, member, (task.id, 1, "20m", 90))
    save(uow, member, (task.id, 1, "1h", 90))  # the 30m without times absorbs the cut
    assert [(m, s) for _, _, m, _, s in entries(uow, member)] == [(60, "09:00–10:00")]
    save(uow, member, (task.id, 1, "2h", 60))  # growth goes to a new entry without times
    assert sorted(m for _, _, m, _, _ in entries(uow, member)) == [60, 60]
    save(uow, member, (task.id, 1, "", 120))
    assert entries(uow, member) == []


def test_one_save_is_one_transaction_a_bad_cell_saves_nothing(uow, member, task):
    with pytest.raises(ValidationError, match=r"Nothing was saved\. task #\d+ on Wed"):
        save(uow, member, (task.id, 0, "1h", 0), (task.id, 2, "lots", 0))
    assert entries(uow, member) == []


def test_a_cell_changed_elsewhere_meanwhile_is_a_conflict_and_nothing_is_saved(uow, member, task):
    other = tasks.create_task(uow(), actor=member, title="Other")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", spent_on=TUESDAY)
    # The grid was drawn showing nothing on Tuesday; this cell was logged elsewhere since.
    with pytest.raises(Conflict, match="changed elsewhere after the grid was drawn"):
        save(uow, member, (other.id, 0, "2h", 0), (task.id, 1, "3h", 0))
    assert entries(uow, member) == [(task.id, TUESDAY, 60, "", "")]


def test_time_logged_elsewhere_on_another_cell_does_not_conflict(uow, member, task):
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", spent_on=TUESDAY)
    save(uow, member, (task.id, 0, "2h", 0))
    assert cell(uow, member, task.id, 0) == 120
    assert cell(uow, member, task.id, 1) == 60


def test_the_daily_cap_counts_every_cell_of_the_day(uow, member, task, env):
    env(SPRINTSYNC_MAX_DAY_HOURS="8")
    other = tasks.create_task(uow(), actor=member, title="Other")
    with pytest.raises(ValidationError, match="more than 8h, the most one person logs a day"):
        save(uow, member, (task.id, 0, "5h", 0), (other.id, 0, "4h", 0))
    save(uow, member, (task.id, 0, "5h", 0), (other.id, 0, "3h", 0))
    save(uow, member, (task.id, 0, "3h", 300), (other.id, 0, "5h", 180))  # moved between rows


def test_a_row_can_only_be_for_a_task_the_person_may_log_on(uow, member, other_member):
    theirs = tasks.create_task(uow(), actor=other_member, title="Theirs")
    with pytest.raises(PermissionDenied):
        save(uow, member, (theirs.id, 0, "1h", 0))
    with pytest.raises(NotFound):
        save(uow, member, (999_999, 0, "1h", 0))


def test_a_save_is_audited_once_with_every_cell(uow, member, task, db_session_factory):
    save(uow, member, (task.id, 0, "1h", 0), (task.id, 3, "2h", 0))
    with db_session_factory() as s:
        (details,) = s.scalars(
            select(AuditLog.details).where(AuditLog.action == "timesheet.save")
        ).all()
        assert s.scalar(select(func.count()).where(AuditLog.action == "time.log")) == 0
    assert [(c["day"], c["from"], c["to"]) for c in details["cells"]] == [
        (MONDAY.isoformat(), 0, 60),
        ((MONDAY + dt.timedelta(days=3)).isoformat(), 0, 120),
    ]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ([(1, 7, "1h", 0)], "not a day of the week"),
        ([(1, 0, "1h", 0), (1, 0, "2h", 0)], "twice"),
        ([(1, 0, "25h", 0)], "more than a day"),
        ([(1, 0, "-1h", 0)], "must be positive"),
        ([(1, 0, "x" * 100_000, 0)], "too long to be a duration"),
    ],
)
def test_bad_cells_are_refused_with_a_clear_message(uow, member, cells, message):
    with pytest.raises(ValidationError, match=message):
        save(uow, member, *cells)
