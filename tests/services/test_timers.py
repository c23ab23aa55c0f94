"""Timers: one per user in the database, whole minutes on stop, nothing silent past 12 hours."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from sprintsync.clock import tz
from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, NotFound, PermissionDenied, TimerTooLong
from sprintsync.models import TimeEntry, Timer
from sprintsync.services import audit, tasks, timelog, timers, users


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Fix the login page", estimate="2h")


@pytest.fixture
def other_task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Write release notes")


def test_a_started_timer_is_the_users_running_timer(uow, member, task):
    started = timers.start_timer(uow(), actor=member, task_id=task.id)
    running = timers.running_timer(uow(), actor=member)
    assert started.logged is None
    assert running == started.timer
    assert (running.task_id, running.task_title) == (task.id, "Fix the login page")


def test_a_user_without_a_timer_has_none_running(uow, member):
    assert timers.running_timer(uow(), actor=member) is None


@pytest.mark.parametrize(
    ("elapsed", "minutes"),
    [
        (dt.timedelta(seconds=30), 1),
        (dt.timedelta(seconds=89), 1),
        (dt.timedelta(seconds=90), 2),
        (dt.timedelta(minutes=45, seconds=10), 45),
        (dt.timedelta(hours=3), 180),
        (dt.timedelta(hours=11, minutes=59), 719),
        (dt.timedelta(hours=12), 720),  # "past 12 hours" means more than 12 hours
    ],
)
def test_stopping_logs_the_elapsed_time_in_whole_minutes_rounded_to_the_nearest(
    uow, age_timer, member, task, elapsed, minutes
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, elapsed)
    started_at = timers.running_timer(uow(), actor=member).started_at
    entry = timers.stop_timer(uow(), actor=member, note="pairing")
    assert (entry.task_id, entry.minutes, entry.note) == (task.id, minutes, "pairing")
    assert entry.spent_on == started_at.astimezone(tz()).date()
    assert timers.running_timer(uow(), actor=member) is None
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == minutes


def test_starting_a_timer_on_another_task_stops_and_logs_the_first(
    uow, age_timer, member, task, other_task
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=25))
    switched = timers.start_timer(uow(), actor=member, task_id=other_task.id)
    assert switched.timer.task_id == other_task.id
    assert (switched.logged.task_id, switched.logged.minutes) == (task.id, 25)
    assert [e.minutes for e in timelog.task_entries(uow(), actor=member, task_id=task.id)] == [25]


def test_starting_the_running_task_again_keeps_its_timer_going(uow, age_timer, member, task):
    first = timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=5))
    again = timers.start_timer(uow(), actor=member, task_id=task.id)
    assert again.logged is None
    assert again.timer.started_at == first.timer.started_at - dt.timedelta(minutes=5)
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []


@pytest.mark.parametrize("elapsed", [dt.timedelta(hours=12, minutes=1), dt.timedelta(days=3)])
def test_a_timer_past_twelve_hours_is_not_logged_without_a_correction(
    uow, age_timer, member, task, elapsed
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, elapsed)
    with pytest.raises(TimerTooLong, match="longer than 12h"):
        timers.stop_timer(uow(), actor=member)
    assert timers.running_timer(uow(), actor=member).too_long
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []


def test_a_corrected_duration_logs_the_time_actually_spent(uow, age_timer, member, admin, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=14))
    entry = timers.stop_timer(uow(), actor=member, duration="1h30m")
    assert entry.minutes == 90
    assert timers.running_timer(uow(), actor=member) is None
    stop = audit.list_audit(uow(), actor=admin, action="timer.stop").items[0]
    assert stop.details == {
        "entry_id": entry.id,
        "minutes": 90,
        "elapsed_seconds": 14 * 3600,
        "elapsed_minutes": 14 * 60,
        "corrected": True,
    }


def test_switching_away_from_a_timer_past_twelve_hours_asks_for_a_correction_first(
    uow, age_timer, member, task, other_task
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=13))
    with pytest.raises(TimerTooLong):
        timers.start_timer(uow(), actor=member, task_id=other_task.id)
    assert timers.running_timer(uow(), actor=member).task_id == task.id


def test_discarding_a_timer_logs_nothing(uow, age_timer, member, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=20))
    discarded = timers.discard_timer(uow(), actor=member)
    assert discarded.task_id == task.id
    assert timers.running_timer(uow(), actor=member) is None
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []


@pytest.mark.parametrize("verb", [timers.stop_timer, timers.discard_timer])
def test_stopping_or_discarding_without_a_running_timer_is_not_found(uow, member, verb):
    with pytest.raises(NotFound, match="no running timer"):
        verb(uow(), actor=member)


def test_a_member_cannot_time_anothers_task(uow, member, other_member, task):
    with pytest.raises(PermissionDenied):
        timers.start_timer(uow(), actor=other_member, task_id=task.id)
    assert timers.running_timer(uow(), actor=other_member) is None


def _reassign(uow, admin, task, to) -> None:
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, assignee_id=to.id
    )


def test_stopping_after_the_task_was_reassigned_logs_the_time_as_the_timer_owners(
    uow, age_timer, member, other_member, admin, task
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=40))
    _reassign(uow, admin, task, other_member)
    entry = timers.stop_timer(uow(), actor=member)
    assert (entry.task_id, entry.user_id, entry.minutes) == (task.id, member.id, 40)
    assert timers.running_timer(uow(), actor=member) is None
    assert tasks.get_task(uow(), actor=admin, task_id=task.id).total_minutes == 40
    assert [
        (e.user_id, e.minutes) for e in timelog.task_entries(uow(), actor=admin, task_id=task.id)
    ] == [(member.id, 40)]


def test_starting_another_timer_after_the_task_was_reassigned_logs_the_first(
    uow, age_timer, member, other_member, admin, task, other_task
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=15))
    _reassign(uow, admin, task, other_member)
    switched = timers.start_timer(uow(), actor=member, task_id=other_task.id)
    assert switched.timer.task_id == other_task.id
    assert (switched.logged.task_id, switched.logged.user_id, switched.logged.minutes) == (
        task.id,
        member.id,
        15,
    )
    assert tasks.get_task(uow(), actor=admin, task_id=task.id).total_minutes == 15


def test_a_reassigned_timer_past_twelve_hours_still_needs_a_correction(
    uow, age_timer, member, other_member, admin, task
):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=13))
    _reassign(uow, admin, task, other_member)
    with pytest.raises(TimerTooLong):
        timers.stop_timer(uow(), actor=member)
    entry = timers.stop_timer(uow(), actor=member, duration="2h")
    assert (entry.user_id, entry.minutes) == (member.id, 120)


def test_a_reassigned_task_still_cannot_get_a_new_timer_from_its_old_owner(
    uow, member, other_member, admin, task
):
    _reassign(uow, admin, task, other_member)
    with pytest.raises(PermissionDenied):
        timers.start_timer(uow(), actor=member, task_id=task.id)


def test_timer_actions_are_audited(uow, age_timer, member, admin, task, other_task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=3))
    switched = timers.start_timer(uow(), actor=member, task_id=other_task.id)
    age_timer(member.id, dt.timedelta(minutes=3))
    entry = timers.stop_timer(uow(), actor=member)
    timers.start_timer(uow(), actor=member, task_id=task.id)
    timers.discard_timer(uow(), actor=member)
    trail = list(reversed(audit.list_audit(uow(), actor=admin, by_username="mia").items))
    assert [a.action for a in trail] == [
        "task.create",
        "task.create",
        "timer.start",
        "time.log",
        "timer.stop",
        "timer.start",
        "time.log",
        "timer.stop",
        "timer.start",
        "timer.discard",
    ]
    assert trail[4].details["entry_id"] == trail[5].details["logged_entry_id"]
    assert trail[4].details["entry_id"] == switched.logged.id
    assert trail[7].details["entry_id"] == entry.id


def test_a_task_with_its_owners_timer_running_is_kept_until_the_timer_stops(uow, member, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    with pytest.raises(Conflict, match="Your timer is running"):
        tasks.delete_task(uow(), actor=member, task_id=task.id)
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    timers.discard_timer(uow(), actor=member)
    tasks.delete_task(uow(), actor=member, task_id=task.id)


def test_the_database_refuses_a_second_timer_for_one_user(
    db_session_factory, member, task, other_task
):
    with db_session_factory() as s:
        s.execute(insert(Timer).values(user_id=member.id, task_id=task.id))
        with pytest.raises(IntegrityError):
            s.execute(insert(Timer).values(user_id=member.id, task_id=other_task.id))


def test_concurrent_starts_leave_one_timer_and_stop_every_one_they_replaced(fresh_db, make_user):
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    with sessions() as s:  # make_user writes to the shared test database, not this one
        s.execute(
            text(
                "INSERT INTO users (username, password_hash, role) VALUES ('racer', 'x', 'member')"
            )
        )
        s.commit()
    racer = users.actor_for(uow(), username="racer")
    ids = [tasks.create_task(uow(), actor=racer, title=f"Task {i}").id for i in range(6)]
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []

    def start(task_id: int) -> None:
        barrier.wait()
        try:
            timers.start_timer(uow(), actor=racer, task_id=task_id)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    with Session(fresh_db) as s:
        assert s.scalar(select(func.count()).select_from(Timer)) == 1
        # Each replaced timer ran for a moment: stopped and audited, with nothing to log.
        assert s.scalar(select(func.count()).select_from(TimeEntry)) == 0
        running = s.scalar(select(Timer.task_id))
        stops = s.execute(
            text("SELECT target, details->>'entry_id' FROM audit_log WHERE action = 'timer.stop'")
        ).all()
    assert len(stops) == len(ids) - 1
    assert {int(t.split(":")[1]) for t, _ in stops} | {running} == set(ids)
    assert {entry for _, entry in stops} == {None}


@pytest.mark.parametrize("seconds", [0, 5, 29])
def test_a_timer_stopped_within_seconds_logs_nothing(uow, age_timer, member, task, seconds):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(seconds=seconds))
    assert timers.stop_timer(uow(), actor=member) is None
    assert timers.running_timer(uow(), actor=member) is None
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []


def test_switching_back_and_forth_logs_no_minute_per_switch(
    uow, age_timer, member, task, other_task
):
    for _ in range(5):
        timers.start_timer(uow(), actor=member, task_id=task.id)
        age_timer(member.id, dt.timedelta(seconds=10))
        switched = timers.start_timer(uow(), actor=member, task_id=other_task.id)
        assert switched.logged is None
    for t in (task, other_task):
        assert tasks.get_task(uow(), actor=member, task_id=t.id).total_minutes == 0
