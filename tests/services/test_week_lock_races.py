"""A change of time racing an approval, on a real database from real threads: it lands
before the approval (which then refuses, since the change withdrew the submission) or is
refused after it; never after it unnoticed. The first of the two holds its commit, so the
other is seen waiting on the lock (pg_stat_activity) before it is let go."""

from __future__ import annotations

import datetime as dt
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync.clock import today
from sprintsync.db import UnitOfWork
from sprintsync.domain import monday_of
from sprintsync.errors import Conflict, WeekLocked
from sprintsync.services import tasks, timelog, timers, users, weeks
from sprintsync.services.timesheet_grid import save_grid
from sprintsync.services.timesheet_views import GridCell
from sprintsync.services.views import CONSOLE
from sprintsync.workweek import WeekState
from tests.services.test_concurrency import HeldCommit

MONDAY = monday_of(today())
DAY = today().weekday()


@pytest.fixture
def world(fresh_db):
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)
    uow = lambda: UnitOfWork(sessions)  # noqa: E731
    for name, role in (("worker", "member"), ("boss", "manager")):
        users.create_user(uow(), actor=CONSOLE, username=name, role=role)
    worker, boss = (users.actor_for(uow(), username=n) for n in ("worker", "boss"))
    task = tasks.create_task(uow(), actor=worker, title="Raced")
    other = tasks.create_task(uow(), actor=worker, title="Other")
    entry = timelog.log_time(uow(), actor=worker, task_id=task.id, duration="1h")
    earlier = timelog.log_time(
        uow(), actor=worker, task_id=task.id, duration="30m", spent_on=MONDAY - dt.timedelta(days=3)
    )
    return {
        "engine": fresh_db,
        "sessions": sessions,
        "uow": uow,
        "worker": worker,
        "boss": boss,
        "task": task,
        "other": other,
        "entry": entry,
        "earlier": earlier,
    }


def _waiting_on_a_lock(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        ).scalar_one()


def race(w, first, second):
    """Run first(uow) holding its commit, then second(uow) until it waits on a lock, then let
    the first commit. Returns both outcomes: "ok" or the error's class name."""
    holding, release = threading.Event(), threading.Event()

    def run(call, uow):
        try:
            call(uow)
        except (Conflict, WeekLocked) as error:
            return type(error).__name__
        return "ok"

    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(run, first, HeldCommit(w["sessions"], holding, release))
        assert holding.wait(30), one.result(1) if one.done() else "the first never committed"
        two = pool.submit(run, second, w["uow"]())
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(w["engine"]):
            assert not two.done(), f"the second finished without waiting: {two.result()}"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        release.set()
        return one.result(30), two.result(30)


def approve(w):
    return lambda uow: weeks.approve_week(
        uow, actor=w["boss"], user_id=w["worker"].id, week_start=MONDAY
    )


def minutes(w) -> list[tuple[int, int]]:
    found = timelog.user_entries(
        w["uow"](),
        actor=w["worker"],
        start=MONDAY - dt.timedelta(days=7),
        end=MONDAY + dt.timedelta(days=6),
    )
    return sorted((e.task_id, e.minutes) for e in found)


CHANGES = {
    "log_time": lambda w: (
        lambda u: timelog.log_time(u, actor=w["worker"], task_id=w["task"].id, duration="2h")
    ),
    "edit_entry": lambda w: (
        lambda u: timelog.edit_entry(u, actor=w["worker"], entry_id=w["entry"].id, duration="3h")
    ),
    "edit_entry(move in)": lambda w: (
        lambda u: timelog.edit_entry(
            u, actor=w["worker"], entry_id=w["earlier"].id, spent_on=today()
        )
    ),
    "delete_entry": lambda w: (
        lambda u: timelog.delete_entry(u, actor=w["worker"], entry_id=w["entry"].id)
    ),
    "delete_task": lambda w: (
        lambda u: tasks.delete_task(u, actor=w["worker"], task_id=w["task"].id, delete_entries=True)
    ),
    "save_grid": lambda w: (
        lambda u: save_grid(
            u, actor=w["worker"], week_start=MONDAY, cells=[GridCell(w["other"].id, DAY, "2h", 0)]
        )
    ),
    "start_timer": lambda w: (
        lambda u: timers.start_timer(u, actor=w["worker"], task_id=w["task"].id)
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=CHANGES.keys())
def test_a_change_racing_an_approval_that_got_the_lock_first_is_refused(world, change):
    w = world
    weeks.submit_week(w["uow"](), actor=w["worker"], week_start=MONDAY)
    before = minutes(w)
    outcomes = race(w, approve(w), CHANGES[change](w))
    assert outcomes == ("ok", "WeekLocked")
    assert minutes(w) == before
    assert timers.running_timer(w["uow"](), actor=w["worker"]) is None
    status = weeks.week_status(w["uow"](), actor=w["worker"], week_start=MONDAY)
    assert status.state == WeekState.APPROVED


LANDING = {
    "log_time": CHANGES["log_time"],
    "save_grid": CHANGES["save_grid"],
    "stop_timer": lambda w: lambda u: timers.stop_timer(u, actor=w["worker"], duration="45m"),
    "start_timer(replacing)": lambda w: (
        lambda u: timers.start_timer(u, actor=w["worker"], task_id=w["other"].id)
    ),
}


@pytest.mark.parametrize("change", LANDING, ids=LANDING.keys())
def test_a_change_that_got_the_lock_first_lands_and_the_approval_refuses(
    world, change, age_timer_fresh
):
    w = world
    if "timer" in change:
        timers.start_timer(w["uow"](), actor=w["worker"], task_id=w["task"].id)
        age_timer_fresh(w["engine"], w["worker"].id)
    weeks.submit_week(w["uow"](), actor=w["worker"], week_start=MONDAY)
    before = minutes(w)
    outcomes = race(w, LANDING[change](w), approve(w))
    assert outcomes == ("ok", "Conflict")  # the change withdrew the submission first
    assert minutes(w) != before
    status = weeks.week_status(w["uow"](), actor=w["worker"], week_start=MONDAY)
    assert status.state == WeekState.DRAFT


@pytest.fixture
def age_timer_fresh():
    """A timer aged 45 minutes (on its own database), so stopping it logs time."""

    def age(engine, user_id):
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE timers SET started_at = started_at - interval '45 minutes' "
                    "WHERE user_id = :u"
                ),
                {"u": user_id},
            )

    return age
