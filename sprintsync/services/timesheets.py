"""Timesheets: one person's week as a grid of minutes, tasks by days, summed in SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from sprintsync.clock import today
from sprintsync.db import UnitOfWork
from sprintsync.domain import Status, check_day, monday_of
from sprintsync.models import Task, TimeEntry
from sprintsync.services.common import acting_user, whose
from sprintsync.services.views import Actor, Timesheet, TimesheetRow


def weekly_timesheet(
    uow: UnitOfWork,
    *,
    actor: Actor,
    week_start: dt.date | None = None,
    user_id: int | None = None,
) -> Timesheet:
    """The week (Monday to Sunday) holding `week_start`, this week by default: a row per task
    with minutes per day. Your own, or anyone's for managers and admins."""
    monday = monday_of(check_day(week_start or today(), "The week"))
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    with uow:
        s = uow.session
        who = whose(acting_user(s, actor), user_id, "timesheet")
        per_day = [
            func.coalesce(func.sum(TimeEntry.minutes).filter(TimeEntry.spent_on == day), 0)
            for day in days
        ]
        rows = s.execute(
            select(Task.id, Task.title, Task.status, *per_day)
            .select_from(TimeEntry)
            .join(Task, Task.id == TimeEntry.task_id)
            .where(TimeEntry.user_id == who, TimeEntry.spent_on.between(days[0], days[-1]))
            .group_by(Task.id)
            .order_by(func.lower(Task.title), Task.id)
        ).all()
        return Timesheet(
            user_id=who,
            week_start=monday,
            rows=tuple(
                TimesheetRow(task_id, title, Status(status), tuple(int(m) for m in minutes))
                for task_id, title, status, *minutes in rows
            ),
        )
