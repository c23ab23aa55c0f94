"""The weekly timesheet: tasks by days, Monday to Sunday, totals per day and week."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.clock import today
from sprintsync.domain import Status, monday_of
from sprintsync.errors import PermissionDenied
from sprintsync.services import tasks, timelog
from sprintsync.services.timesheets import weekly_timesheet

MONDAY = monday_of(today()) - dt.timedelta(days=14)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


@pytest.fixture
def logged(uow, member, other_member):
    """Two tasks with time across the week, plus time just outside it and someone else's."""
    alpha = tasks.create_task(uow(), actor=member, title="alpha")
    beta = tasks.create_task(uow(), actor=member, title="Beta")
    theirs = tasks.create_task(uow(), actor=other_member, title="theirs")
    for task, spent_on, duration in [
        (alpha, day(0), "1h"),
        (alpha, day(0), "30m"),
        (alpha, day(2), "2h"),
        (beta, day(2), "15m"),
        (beta, day(6), "45m"),
        (alpha, day(-1), "8h"),  # the Sunday before
        (beta, day(7), "8h"),  # the Monday after
    ]:
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration, spent_on=spent_on)
    timelog.log_time(uow(), actor=other_member, task_id=theirs.id, duration="3h", spent_on=day(1))
    return alpha, beta


def test_the_timesheet_sums_each_task_per_day_within_monday_to_sunday(uow, member, logged):
    alpha, beta = logged
    sheet = weekly_timesheet(uow(), actor=member, week_start=MONDAY)
    assert sheet.week_start == MONDAY
    assert sheet.days == tuple(day(i) for i in range(7))
    assert [(r.task_id, r.title, r.status, r.minutes, r.total) for r in sheet.rows] == [
        (alpha.id, "alpha", Status.TODO, (90, 0, 120, 0, 0, 0, 0), 210),
        (beta.id, "Beta", Status.TODO, (0, 0, 15, 0, 0, 0, 45), 60),
    ]
    assert sheet.day_totals == (90, 0, 135, 0, 0, 0, 45)
    assert sheet.total == 270


@pytest.mark.parametrize("offset", range(7))
def test_any_day_of_a_week_opens_that_week(uow, member, logged, offset):
    sheet = weekly_timesheet(uow(), actor=member, week_start=day(offset))
    assert (sheet.week_start, sheet.total) == (MONDAY, 270)
    assert (sheet.previous_week, sheet.next_week) == (day(-7), day(7))


def test_the_timesheet_defaults_to_this_week(uow, member):
    sheet = weekly_timesheet(uow(), actor=member)
    assert sheet.week_start == monday_of(today())
    assert today() in sheet.days


def test_a_week_without_time_has_no_rows_and_zero_totals(uow, member, logged):
    sheet = weekly_timesheet(uow(), actor=member, week_start=day(-14))
    assert (sheet.rows, sheet.day_totals, sheet.total) == ((), (0,) * 7, 0)


def test_a_member_cannot_open_someone_elses_timesheet(uow, member, other_member):
    with pytest.raises(PermissionDenied):
        weekly_timesheet(uow(), actor=member, user_id=other_member.id)


def test_a_manager_can_open_a_members_timesheet(uow, member, manager, logged):
    sheet = weekly_timesheet(uow(), actor=manager, week_start=MONDAY, user_id=member.id)
    assert (sheet.user_id, sheet.total) == (member.id, 270)
