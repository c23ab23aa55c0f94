"""The approval lock: no time changes in an approved week.

Every writer of a person's time (logging, editing and moving entries, deleting them or their
task, a timer's stop, the week grid) holds that person's row lock (timelog.lock_time_of)
before it reads the weeks here, and so does every approval, return and reopening. A save
racing an approval therefore runs wholly before it (and the approval sees its result) or
wholly after it (and is refused here): never after it unnoticed.

A change of time in a submitted week withdraws the submission (the week is a draft again):
what a manager approves is what was submitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sprintsync.domain import monday_of
from sprintsync.errors import WeekLocked
from sprintsync.models import TimesheetWeek, User
from sprintsync.services.common import audit
from sprintsync.services.views import Actor
from sprintsync.workweek import WeekState, week_label


def refuse_locked_weeks(session: Session, me: Actor, user_id: int, days: Iterable[dt.date]) -> None:
    """WeekLocked if any of these days lies in an approved week of `user_id`'s. The caller
    holds lock_time_of(user_id)."""
    weeks = sorted({monday_of(day) for day in days})
    if not weeks:
        return
    locked = session.scalars(
        select(TimesheetWeek.week)
        .where(
            TimesheetWeek.user_id == user_id,
            TimesheetWeek.week.in_(weeks),
            TimesheetWeek.state == WeekState.APPROVED.value,
        )
        .order_by(TimesheetWeek.week)
    ).all()
    if not locked:
        return
    whose = "Your" if user_id == me.id else f"{_name(session, user_id)}'s"
    named = ", ".join(week_label(week) for week in locked)
    raise WeekLocked(
        f"{whose} {named} {'is' if len(locked) == 1 else 'are'} approved, so "
        f"{'its' if len(locked) == 1 else 'their'} time cannot change and nothing was saved. "
        "An admin can reopen an approved week, with a reason."
    )


def withdraw_submissions(
    session: Session, me: Actor, user_id: int, days: Iterable[dt.date]
) -> list[dt.date]:
    """After time changed on these days: submitted weeks among them become drafts again (the
    submission is withdrawn, and audited). Returns the weeks withdrawn."""
    weeks = sorted({monday_of(day) for day in days})
    if not weeks:
        return []
    withdrawn = session.scalars(
        update(TimesheetWeek)
        .where(
            TimesheetWeek.user_id == user_id,
            TimesheetWeek.week.in_(weeks),
            TimesheetWeek.state == WeekState.SUBMITTED.value,
        )
        .values(
            state=WeekState.DRAFT.value,
            version=TimesheetWeek.version + 1,
            updated_at=func.now(),
        )
        .returning(TimesheetWeek.week)
    ).all()
    for week in withdrawn:
        audit(session, me, "week.withdraw", f"user:{user_id}", week=week.isoformat())
    return list(withdrawn)


def _name(session: Session, user_id: int) -> str:
    return session.scalar(select(User.username).where(User.id == user_id)) or f"user #{user_id}"
