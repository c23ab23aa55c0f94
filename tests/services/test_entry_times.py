"""Entries with a start and end time of day (the duration follows from them, one person's
never overlap) and the daily cap on everyone's time."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from sprintsync.clock import today
from sprintsync.errors import ValidationError
from sprintsync.services import tasks, timelog
from sprintsync.workweek import parse_time_of_day

DAY = today() - dt.timedelta(days=1)


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Timed work")


def log(uow, actor, task, **values):
    return timelog.log_time(uow(), actor=actor, task_id=task.id, spent_on=DAY, **values)


def test_times_of_day_set_the_duration(uow, member, task):
    entry = log(uow, member, task, start="9:15", end="10:45")
    assert (entry.minutes, entry.span) == (90, "09:15–10:45")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 90
    late = log(uow, member, task, start="23:00", end="24:00")
    assert late.minutes == 60


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start": "10:00"}, "both a start and an end time, or neither"),
        ({"start": "10:00", "end": "09:00"}, "must be after the start time"),
        ({"start": "10:00", "end": "11:00", "duration": "2h"}, "is 1h, not 2h"),
        ({"start": "25:00", "end": "26:00"}, "is not a time of day"),
        ({"start": "24:00", "end": "24:00"}, "is not a time of day"),
        ({"start": "9:5", "end": "10:00"}, "is not a time of day"),
        ({"start": "x" * 100_000, "end": "10:00"}, "too long to be a time of day"),
    ],
)
def test_bad_times_are_refused_and_nothing_is_logged(uow, member, task, values, message):
    with pytest.raises(ValidationError, match=message):
        log(uow, member, task, **values)
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []


def test_a_duration_that_agrees_with_the_times_is_fine(uow, member, task):
    assert log(uow, member, task, start="10:00", end="11:30", duration="1h30m").minutes == 90


@pytest.mark.parametrize(
    ("start", "end"),
    [("09:30", "10:30"), ("08:00", "12:00"), ("09:15", "09:45"), ("08:00", "09:01")],
)
def test_overlapping_timed_entries_of_one_person_are_refused(uow, member, task, start, end):
    log(uow, member, task, start="09:00", end="10:00")
    with pytest.raises(ValidationError, match="overlaps 09:00–10:00"):
        log(uow, member, task, start=start, end=end)


def test_touching_entries_other_days_and_other_people_do_not_overlap(
    uow, member, other_member, task
):
    log(uow, member, task, start="09:00", end="10:00")
    log(uow, member, task, start="10:00", end="11:00")
    timelog.log_time(
        uow(),
        actor=member,
        task_id=task.id,
        start="09:00",
        end="10:00",
        spent_on=DAY - dt.timedelta(days=1),
    )
    theirs = tasks.create_task(uow(), actor=other_member, title="Theirs")
    log(uow, other_member, theirs, start="09:00", end="10:00")
    log(uow, member, task, duration="3h")  # an entry without times overlaps nothing


def test_the_database_refuses_an_overlap_whatever_writes_it(db_session_factory, member, task, uow):
    log(uow, member, task, start="09:00", end="10:00")
    with db_session_factory() as s, pytest.raises(IntegrityError, match="ex_time_entries_overlap"):
        s.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on, start_minute,"
                " end_minute) VALUES (:t, :u, 30, :d, 570, 600)"
            ),
            {"t": task.id, "u": member.id, "d": DAY},
        )


def test_editing_times_moves_the_duration_and_a_new_duration_moves_the_end(uow, member, task):
    entry = log(uow, member, task, start="09:00", end="10:00")
    moved = timelog.edit_entry(uow(), actor=member, entry_id=entry.id, start="13:00", end="15:00")
    assert (moved.minutes, moved.span) == (120, "13:00–15:00")
    longer = timelog.edit_entry(uow(), actor=member, entry_id=entry.id, duration="2h30m")
    assert (longer.minutes, longer.span) == (150, "13:00–15:30")
    plain = timelog.edit_entry(uow(), actor=member, entry_id=entry.id, start="", end="")
    assert (plain.minutes, plain.span) == (150, "")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 150


def test_an_edit_into_another_entrys_time_is_refused(uow, member, task):
    log(uow, member, task, start="09:00", end="10:00")
    later = log(uow, member, task, start="11:00", end="12:00")
    with pytest.raises(ValidationError, match="overlaps 09:00–10:00"):
        timelog.edit_entry(
            uow(), actor=member, entry_id=later.id, duration="3h", start="09:30", end="12:30"
        )


@pytest.mark.parametrize(("typed", "minutes"), [("9", 540), ("09:30", 570), (" 0:00 ", 0)])
def test_times_of_day_read_as_people_type_them(typed, minutes):
    assert parse_time_of_day(typed, "The start time") == minutes


def test_the_daily_cap_refuses_more_time_on_one_day_however_it_is_logged(uow, member, task, env):
    env(SPRINTSYNC_MAX_DAY_HOURS="10")
    log(uow, member, task, duration="8h")
    with pytest.raises(ValidationError, match="more than 10h, the most one person logs a day"):
        log(uow, member, task, duration="2h30m")
    entry = log(uow, member, task, duration="2h")
    with pytest.raises(ValidationError, match="the most one person logs a day"):
        timelog.edit_entry(uow(), actor=member, entry_id=entry.id, duration="2h01m")


def test_the_default_cap_is_sixteen_hours(uow, member, task):
    log(uow, member, task, duration="16h")
    with pytest.raises(ValidationError, match="more than 16h"):
        log(uow, member, task, duration="1m")


def test_two_tabs_logging_at_once_cannot_pass_the_daily_cap(fresh_db):
    """Twelve writers at once, 3h each, on one person's day under the default 16h cap: five
    land (15h), the rest are refused, and the day holds exactly what landed."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy.orm import sessionmaker

    from sprintsync.db import UnitOfWork
    from sprintsync.services import users
    from sprintsync.services.views import CONSOLE

    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)
    uow = lambda: UnitOfWork(sessions)  # noqa: E731
    users.create_user(uow(), actor=CONSOLE, username="busy", role="member")
    busy = users.actor_for(uow(), username="busy")
    ids = [tasks.create_task(uow(), actor=busy, title=f"Task {n}").id for n in range(3)]
    start = threading.Barrier(12)

    def log_three_hours(n: int) -> str:
        start.wait()
        try:
            timelog.log_time(uow(), actor=busy, task_id=ids[n % 3], duration="3h", spent_on=DAY)
        except ValidationError:
            return "refused"
        return "logged"

    with ThreadPoolExecutor(12) as pool:
        outcomes = list(pool.map(log_three_hours, range(12)))
    assert outcomes.count("logged") == 5
    with fresh_db.connect() as conn:
        assert conn.scalar(text("SELECT sum(minutes) FROM time_entries")) == 15 * 60
