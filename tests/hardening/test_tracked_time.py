"""Time someone tracked never vanishes as a side effect, and no day holds more than a day
(the daily cap, SPRINTSYNC_MAX_DAY_HOURS, at its highest here: 24; its default of 16 is
tested in tests/services/test_entry_times.py)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from sprintsync.clock import today
from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, ValidationError
from sprintsync.models import Task, Timer
from sprintsync.services import audit, tasks, timelog, timers, users
from sprintsync.services.views import CONSOLE


@pytest.fixture(autouse=True)
def _whole_days(env) -> None:
    env(SPRINTSYNC_MAX_DAY_HOURS="24")


@pytest.fixture
def handed_over(uow, member, other_member, admin):
    """Otto's timer runs on a task that was his and is now Mia's."""
    task = tasks.create_task(uow(), actor=other_member, title="Handed over")
    timers.start_timer(uow(), actor=other_member, task_id=task.id)
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=1, assignee_id=member.id
    )
    return task


@pytest.mark.parametrize("who", ["member", "admin"])
def test_nobody_deletes_a_task_while_someone_elses_timer_runs_on_it(
    request, uow, other_member, handed_over, who
):
    deleter = request.getfixturevalue(who)
    with pytest.raises(Conflict, match=r"timer is running on task #\d+ \(otto\)"):
        tasks.delete_task(uow(), actor=deleter, task_id=handed_over.id, delete_entries=True)
    assert timers.running_timer(uow(), actor=other_member).task_id == handed_over.id


def test_once_the_timer_is_stopped_its_time_is_an_entry_the_deletion_must_confirm(
    uow, age_timer, other_member, admin, handed_over
):
    age_timer(other_member.id, dt.timedelta(minutes=40))
    entry = timers.stop_timer(uow(), actor=other_member)
    assert entry.minutes == 40
    with pytest.raises(Conflict, match="1 time entry"):
        tasks.delete_task(uow(), actor=admin, task_id=handed_over.id)
    tasks.delete_task(uow(), actor=admin, task_id=handed_over.id, delete_entries=True)
    record = audit.list_audit(uow(), actor=admin, action="task.delete").items[0]
    assert (record.details["entries_deleted"], record.details["minutes_deleted"]) == (1, 40)


def test_the_database_itself_keeps_a_task_with_a_running_timer(
    uow, db_session_factory, other_member, handed_over
):
    with db_session_factory() as s, pytest.raises(IntegrityError, match="timers"):
        s.execute(text("DELETE FROM tasks WHERE id = :id"), {"id": handed_over.id})
    with db_session_factory() as s:
        assert s.get(Task, handed_over.id) is not None
        assert s.scalar(select(func.count()).select_from(Timer)) == 1


def test_a_day_holds_at_most_24_hours_of_ones_time(uow, member):
    first = tasks.create_task(uow(), actor=member, title="First")
    second = tasks.create_task(uow(), actor=member, title="Second")
    day = today() - dt.timedelta(days=2)
    timelog.log_time(uow(), actor=member, task_id=first.id, duration="20h", spent_on=day)
    timelog.log_time(uow(), actor=member, task_id=second.id, duration="4h", spent_on=day)
    with pytest.raises(ValidationError, match="already has 24h logged; 1m more"):
        timelog.log_time(uow(), actor=member, task_id=second.id, duration="1m", spent_on=day)
    other_day = day - dt.timedelta(days=1)
    timelog.log_time(uow(), actor=member, task_id=second.id, duration="24h", spent_on=other_day)
    assert tasks.get_task(uow(), actor=member, task_id=second.id).total_minutes == 28 * 60


def test_edits_count_against_the_day_they_land_on(uow, member):
    task = tasks.create_task(uow(), actor=member, title="Edited")
    day, full = today() - dt.timedelta(days=1), today() - dt.timedelta(days=2)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="10h", spent_on=day)
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="20h", spent_on=full)
    assert timelog.edit_entry(uow(), actor=member, entry_id=entry.id, duration="24h").minutes
    with pytest.raises(ValidationError, match="more than 24h"):
        timelog.edit_entry(uow(), actor=member, entry_id=entry.id, spent_on=full)
    with pytest.raises(ValidationError, match="more than 24h"):
        timelog.edit_entry(uow(), actor=member, entry_id=entry.id, duration="5h", spent_on=full)
    timelog.edit_entry(uow(), actor=member, entry_id=entry.id, duration="4h", spent_on=full)


def test_a_timer_cannot_overfill_its_day_and_keeps_running(uow, age_timer, member):
    task = tasks.create_task(uow(), actor=member, title="Timed")
    timers.start_timer(uow(), actor=member, task_id=task.id)
    started = timers.running_timer(uow(), actor=member).started_at.date()
    other = tasks.create_task(uow(), actor=member, title="Full day")
    timelog.log_time(uow(), actor=member, task_id=other.id, duration="24h", spent_on=started)
    age_timer(member.id, dt.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="more than 24h"):
        timers.stop_timer(uow(), actor=member)
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    timers.discard_timer(uow(), actor=member)


def test_concurrent_loggers_cannot_push_a_day_past_24_hours(fresh_db):
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    created = users.create_user(uow(), actor=CONSOLE, username="busy", role="member").user
    busy = users.actor_for(uow(), username=created.username)
    ids = [tasks.create_task(uow(), actor=busy, title=f"Task {n}").id for n in range(4)]
    start = threading.Barrier(12)
    day = today() - dt.timedelta(days=1)

    def log(n: int) -> str:
        start.wait()
        try:
            timelog.log_time(uow(), actor=busy, task_id=ids[n % 4], duration="3h", spent_on=day)
        except ValidationError:
            return "refused"
        return "logged"

    with ThreadPoolExecutor(12) as pool:
        outcomes = list(pool.map(log, range(12)))
    assert outcomes.count("logged") == 8  # 8 x 3h = 24h, and not a minute more
    with fresh_db.connect() as conn:
        assert conn.scalar(text("SELECT sum(minutes) FROM time_entries")) == 24 * 60
