"""Deleting a task: its time entries never cascade (the caller confirms them), other
people's time is for admins only, running timers and approved weeks keep it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import format_duration
from sprintsync.errors import Conflict, PermissionDenied
from sprintsync.models import Task, TimeEntry, User
from sprintsync.services.common import acting_user, audit, check_id
from sprintsync.services.task_query import changeable_task
from sprintsync.services.timelog import lock_time_of
from sprintsync.services.timers import refuse_while_timed
from sprintsync.services.views import Actor
from sprintsync.services.week_lock import refuse_locked_weeks, withdraw_submissions


def delete_task(
    uow: UnitOfWork, *, actor: Actor, task_id: int, delete_entries: bool = False
) -> None:
    """Delete a task. If time was logged on it, the caller must confirm deleting those entries
    too (delete_entries=True); otherwise Conflict and nothing changes. Time other people logged
    is theirs: only an admin may delete a task that holds it. Refused while any of its time
    lies in an approved week."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        # The time of everyone with entries on it is locked first (people before tasks, the
        # order every writer of time keeps), so no approval of theirs can land meanwhile.
        holders = _time_holders(s, check_id(task_id, "Task"))
        for user_id in holders:
            lock_time_of(s, user_id)
        task = changeable_task(s, me, task_id)
        if set(_time_holders(s, task_id)) - set(holders):
            raise Conflict(
                f"Someone logged time on task #{task_id} just now, so nothing was deleted; "
                "try again."
            )
        refuse_while_timed(s, me, task_id)
        if not me.is_admin:
            others = s.scalars(
                select(User.username)
                .join(TimeEntry, TimeEntry.user_id == User.id)
                .where(TimeEntry.task_id == task_id, TimeEntry.user_id != me.id)
                .group_by(User.username)
                .order_by(User.username)
            ).all()
            if others:
                raise PermissionDenied(
                    f"Task #{task_id} holds time logged by {', '.join(others)}; only an admin "
                    "can delete other people's time. Move the task to done instead."
                )
        count, minutes = s.execute(
            select(func.count(), func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
                TimeEntry.task_id == task_id
            )
        ).one()
        if count and not delete_entries:
            raise Conflict(
                f"Task #{task_id} has {count} time "
                f"entr{'y' if count == 1 else 'ies'} ({format_duration(minutes)}). "
                "Confirm to delete them together with the task."
            )
        days = s.execute(
            select(TimeEntry.user_id, TimeEntry.spent_on)
            .where(TimeEntry.task_id == task_id)
            .group_by(TimeEntry.user_id, TimeEntry.spent_on)
        ).all()
        by_person: dict[int, set[dt.date]] = {}
        for user_id, day in days:
            by_person.setdefault(user_id, set()).add(day)
        for user_id, spent in sorted(by_person.items()):
            refuse_locked_weeks(s, me, user_id, spent)
        s.execute(delete(TimeEntry).where(TimeEntry.task_id == task_id))
        s.execute(delete(Task).where(Task.id == task_id))
        for user_id, spent in sorted(by_person.items()):
            withdraw_submissions(s, me, user_id, spent)
        audit(
            s,
            me,
            "task.delete",
            f"task:{task_id}",
            title=task.title,
            entries_deleted=int(count),
            minutes_deleted=int(minutes),
        )
        uow.commit()


def _time_holders(session: Session, task_id: int) -> list[int]:
    return list(
        session.scalars(
            select(TimeEntry.user_id)
            .where(TimeEntry.task_id == task_id)
            .group_by(TimeEntry.user_id)
            .order_by(TimeEntry.user_id)
        )
    )
