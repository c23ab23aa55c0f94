"""Reminders about missing and short weeks: recorded for everyone who needs one (by
`sprintsync remind`, from cron), shown in the app until dismissed, and e-mailed by the caller
after the transaction (sprintsync/mail.py) when SMTP is configured."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.errors import NotFound, PermissionDenied
from sprintsync.models import Reminder, TimesheetWeek, User
from sprintsync.services.common import acting_user, audit, check_id, require_admin
from sprintsync.services.timesheet_views import ReminderView
from sprintsync.services.views import Actor
from sprintsync.services.weeks import everyones_week
from sprintsync.workweek import WeekState, week_of

DONE = (WeekState.SUBMITTED.value, WeekState.APPROVED.value)


def remind_week(uow: UnitOfWork, *, actor: Actor, week_start: dt.date) -> list[ReminderView]:
    """Record a reminder for every active person whose week (the one holding week_start) is
    missing or short of their expected hours and not submitted: a new one, or the last one
    refreshed and shown again. Admins and the console; returns who was reminded."""
    monday = week_of(week_start)
    with uow:
        s = uow.session
        me = require_admin(s, actor)
        active = set(s.scalars(select(User.id).where(User.is_active)))
        due = [
            w
            for w in everyones_week(s, monday)
            if w.short and w.state.value not in DONE and w.user_id in active
        ]
        for week in due:
            values = {
                "logged_minutes": week.logged_minutes,
                "expected_minutes": week.expected_minutes,
            }
            s.execute(
                insert(Reminder)
                .values(user_id=week.user_id, week=monday, **values)
                .on_conflict_do_update(
                    index_elements=[Reminder.user_id, Reminder.week],
                    set_={
                        **values,
                        "times": Reminder.times + 1,
                        "reminded_at": func.now(),
                        "dismissed_at": None,
                    },
                )
            )
        audit(s, me, "reminders.record", f"week:{monday.isoformat()}", people=len(due))
        found = _reminders(s, [w.user_id for w in due], monday)
        uow.commit()
        return found


def _reminders(s: Session, user_ids: list[int], monday: dt.date | None) -> list[ReminderView]:
    query = (
        select(Reminder, User.username, User.full_name, User.email)
        .join(User, User.id == Reminder.user_id)
        .where(Reminder.user_id.in_(user_ids))
        .order_by(Reminder.week, func.lower(User.username))
        .execution_options(populate_existing=True)
    )
    if monday is not None:
        query = query.where(Reminder.week == monday)
    return [
        ReminderView(
            r.id,
            r.user_id,
            name,
            full,
            email,
            r.week,
            r.logged_minutes,
            r.expected_minutes,
            r.times,
        )
        for r, name, full, email in s.execute(query).all()
    ]


def my_reminders(uow: UnitOfWork, *, actor: Actor) -> list[ReminderView]:
    """Your reminders not dismissed yet, for weeks you have not submitted since."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        found = _reminders(s, [me.id], None)
        settled = set(
            s.scalars(
                select(TimesheetWeek.week).where(
                    TimesheetWeek.user_id == me.id, TimesheetWeek.state.in_(DONE)
                )
            )
        )
        dismissed = set(
            s.scalars(
                select(Reminder.id).where(
                    Reminder.user_id == me.id, Reminder.dismissed_at.is_not(None)
                )
            )
        )
        return [r for r in found if r.week_start not in settled and r.id not in dismissed]


def dismiss_reminder(uow: UnitOfWork, *, actor: Actor, reminder_id: int) -> None:
    """Hide one of your reminders (until the next reminder about that week)."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        owner = s.scalar(
            select(Reminder.user_id).where(Reminder.id == check_id(reminder_id, "Reminder"))
        )
        if owner is None:
            raise NotFound(f"Reminder #{reminder_id} does not exist.")
        if owner != me.id:
            raise PermissionDenied("You can only dismiss your own reminders.")
        s.execute(
            update(Reminder).where(Reminder.id == reminder_id).values(dismissed_at=func.now())
        )
        audit(s, me, "reminder.dismiss", f"user:{me.id}", reminder_id=reminder_id)
        uow.commit()
