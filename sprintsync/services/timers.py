"""Timers: one running timer per user, kept in the database; stopping one logs its time.

Every timer change of a user takes that user's row lock first, so two tabs starting timers at
the same moment take turns; the primary key on timers.user_id is the database's own guarantee.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Interval, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session

from sprintsync.clock import today, tz
from sprintsync.db import UnitOfWork
from sprintsync.domain import TIMER_LIMIT, entry_minutes, format_duration
from sprintsync.errors import Conflict, NotFound, TimerTooLong
from sprintsync.models import Task, Timer, User
from sprintsync.services.common import acting_user, audit
from sprintsync.services.task_fields import check_open_for_work
from sprintsync.services.task_query import changeable_task
from sprintsync.services.timelog import add_entry, check_day_total, clean_note, load_entry
from sprintsync.services.views import (
    Actor,
    TimeEntryView,
    TimerStarted,
    TimerView,
)
from sprintsync.services.week_lock import refuse_locked_weeks, withdraw_submissions


def timer_minutes(elapsed: dt.timedelta) -> int:
    """Whole minutes, rounded to the nearest: a timer stopped within 30 seconds (a start
    clicked by mistake, a quick switch back) logs nothing, where it used to log a whole
    minute each time."""
    return max(0, int((elapsed.total_seconds() + 30) // 60))


def _lock_timers_of(session: Session, me: Actor) -> None:
    # FOR NO KEY UPDATE: serialises this user's timer changes without blocking the foreign-key
    # checks of inserts that reference the user (time entries, audit-free reads).
    session.execute(select(User.id).where(User.id == me.id).with_for_update(key_share=True))


def _running(session: Session, me: Actor) -> TimerView | None:
    row = session.execute(
        select(
            Timer.task_id,
            Task.title,
            Timer.started_at,
            type_coerce(func.now() - Timer.started_at, Interval()),
        )
        .join(Task, Task.id == Timer.task_id)
        .where(Timer.user_id == me.id)
    ).one_or_none()
    if row is None:
        return None
    task_id, title, started_at, elapsed = row
    return TimerView(task_id, title, started_at, max(elapsed, dt.timedelta(0)))


def _lock_timed_task(session: Session, task_id: int) -> None:
    # No permission check here: it was made when the timer started, and a task reassigned
    # since must not trap the time already tracked on it. The lock only makes a task deleted
    # meanwhile (its timer goes with it) a NotFound rather than a foreign-key error.
    found = session.scalar(
        select(Task.id).where(Task.id == task_id).with_for_update(key_share=True)
    )
    if found is None:
        raise NotFound(f"Task #{task_id} does not exist.")


def _stop(
    session: Session, me: Actor, timer: TimerView, corrected: int | None, note: str
) -> TimeEntryView | None:
    """Turn the running timer into the owner's time entry on the day it started, and remove
    it; None when it ran under 30 seconds (nothing to log). The owner may always stop their
    own timer, even on a task reassigned since it started."""
    elapsed = int(timer.elapsed.total_seconds() // 60)
    day = timer.started_at.astimezone(tz()).date()
    if corrected or timer_minutes(timer.elapsed):
        # The time lands on the day the timer started: refused if that week is approved
        # (approvals refuse a week with a timer running in it, so this is a timer that
        # started in a week approved later all the same: reopened and approved again, or a
        # clock far off). Said before anything else: no correction could help.
        refuse_locked_weeks(session, me, me.id, [day])
    minutes = corrected
    if minutes is None:
        if timer.too_long:
            raise TimerTooLong(
                f"Your timer on task #{timer.task_id} has run for {format_duration(elapsed)}, "
                f"longer than {format_duration(int(TIMER_LIMIT.total_seconds() // 60))}, "
                "so it was not logged. Stop it with the time you actually spent, or discard it."
            )
        minutes = timer_minutes(timer.elapsed)
    _lock_timed_task(session, timer.task_id)
    entry_id = None
    if minutes:
        check_day_total(session, me.id, day, minutes)
        entry_id = add_entry(session, me, timer.task_id, minutes, day, note)
        withdraw_submissions(session, me, me.id, [day])
    session.execute(delete(Timer).where(Timer.user_id == me.id))
    audit(
        session,
        me,
        "timer.stop",
        f"task:{timer.task_id}",
        entry_id=entry_id,
        minutes=minutes,
        elapsed_seconds=int(timer.elapsed.total_seconds()),
        elapsed_minutes=elapsed,
        corrected=corrected is not None,
    )
    return load_entry(session, entry_id) if entry_id is not None else None


def _locked_timer(session: Session, actor: Actor) -> tuple[Actor, TimerView]:
    me = acting_user(session, actor)
    _lock_timers_of(session, me)
    current = _running(session, me)
    if current is None:
        raise NotFound("You have no running timer.")
    return me, current


def running_timer(uow: UnitOfWork, *, actor: Actor) -> TimerView | None:
    with uow:
        s = uow.session
        return _running(s, acting_user(s, actor))


def start_timer(uow: UnitOfWork, *, actor: Actor, task_id: int) -> TimerStarted:
    """Start a timer on one of your tasks. A timer running on another task is stopped and
    logged first; one running too long must be corrected first (TimerTooLong)."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        _lock_timers_of(s, me)
        current = _running(s, me)
        if current is not None and current.task_id == task_id:
            return TimerStarted(current)
        logged = _stop(s, me, current, None, "") if current is not None else None
        # Its time will land today: not in an approved week.
        refuse_locked_weeks(s, me, me.id, [today()])
        check_open_for_work(s, changeable_task(s, me, task_id).project_id)
        s.execute(insert(Timer).values(user_id=me.id, task_id=task_id))
        audit(
            s,
            me,
            "timer.start",
            f"task:{task_id}",
            **({"stopped_task_id": logged.task_id, "logged_entry_id": logged.id} if logged else {}),
        )
        timer = _running(s, me)
        assert timer is not None
        uow.commit()
        return TimerStarted(timer, logged)


def stop_timer(
    uow: UnitOfWork, *, actor: Actor, duration: str | int | None = None, note: str = ""
) -> TimeEntryView | None:
    """Stop your timer and log its time in whole minutes, rounded to the nearest (None: it ran
    under 30 seconds and nothing was logged). A timer that ran longer than the limit needs
    `duration`, the time actually spent; any timer accepts one."""
    minutes = None if duration is None or duration == "" else entry_minutes(duration)
    note = clean_note(note)
    with uow:
        s = uow.session
        me, current = _locked_timer(s, actor)
        entry = _stop(s, me, current, minutes, note)
        uow.commit()
        return entry


def discard_timer(uow: UnitOfWork, *, actor: Actor) -> TimerView:
    """Throw your running timer away without logging anything."""
    with uow:
        s = uow.session
        me, current = _locked_timer(s, actor)
        s.execute(delete(Timer).where(Timer.user_id == me.id))
        audit(
            s,
            me,
            "timer.discard",
            f"task:{current.task_id}",
            elapsed_minutes=int(current.elapsed.total_seconds() // 60),
        )
        uow.commit()
        return current


def refuse_while_timed(session: Session, me: Actor, task_id: int) -> None:
    """A running timer is time someone is tracking: the task stays until it is stopped (which
    keeps the time as an entry) or discarded by its owner. Timers start under the task's
    lock, which the caller holds, so none can start meanwhile."""
    timing = session.execute(
        select(Timer.user_id, User.username)
        .join(User, User.id == Timer.user_id)
        .where(Timer.task_id == task_id)
        .order_by(User.username)
    ).all()
    if not timing:
        return
    if [user_id for user_id, _ in timing] == [me.id]:
        raise Conflict(
            f"Your timer is running on task #{task_id}: stop it (to keep the time) or discard "
            "it, then delete the task."
        )
    names = ", ".join(name for _, name in timing)
    raise Conflict(
        f"A timer is running on task #{task_id} ({names}): the task can be deleted once it is "
        "stopped, so the time being tracked is not lost. Move the task to done instead."
    )
