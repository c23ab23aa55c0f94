"""How tasks flow: finished tasks, cycle time and time per status (from task_events, through
the per-task task_flow the triggers of migration 0003 keep).

A task counts as finished in a range when its latest event is the move to done and that
falls in the range, with day boundaries in the configured time zone (the same instant as the
task's done_at, which tasks by status reads). A task reopened and finished again counts once,
at its final finish; one reopened and still open does not count. Tasks belong to their
assignee, or to their creator while unassigned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from sprintsync.db import UnitOfWork
from sprintsync.domain import Status
from sprintsync.models import Task, TaskFlow
from sprintsync.services.analytics.scope import Scope, answer, run, user_names
from sprintsync.services.views import Actor

_owner = Task.owner_id
STATUSES = [s.value for s in Status]


def _hours(interval: ColumnElement[Any]) -> ColumnElement[Any]:
    return func.extract("epoch", interval) / 3600.0


_STATUS_SECONDS = {
    Status.TODO.value: TaskFlow.todo_seconds,
    Status.IN_PROGRESS.value: TaskFlow.in_progress_seconds,
    Status.DONE.value: TaskFlow.done_seconds,
}


@dataclass(frozen=True, slots=True)
class Flow:
    """The tasks finished in a scope: how many, their median cycle time in hours (from the
    first move to in_progress to the final move to done, so time reopened counts), and
    time_in_status: status, hours, tasks (see flow_query)."""

    done: int
    median_cycle_hours: float | None
    time_in_status: pd.DataFrame


def flow_query(session: Session, scope: Scope) -> Flow:
    """One pass over the finished tasks. time_in_status holds the average hours a finished
    task spent in each status before its final move to done (zero for tasks that skipped a
    status; time in done is time before being reopened) and how many spent any time in it.
    Averaged over all finished tasks, the hours add up to the mean creation-to-done time."""
    cycle = _hours(TaskFlow.finished_at - TaskFlow.first_started_at)
    per_status = []
    for seconds in _STATUS_SECONDS.values():
        per_status += [func.avg(seconds) / 3600.0, func.count().filter(seconds > 0)]
    query = select(func.count(), func.percentile_cont(0.5).within_group(cycle), *per_status).where(
        scope.instants(TaskFlow.finished_at)
    )
    if scope.users is not None:
        query = query.where(TaskFlow.task_id.in_(select(Task.id).where(scope.who(_owner))))
    done, median, *figures = session.execute(query).one()
    statuses = list(_STATUS_SECONDS) if done else []
    in_status = pd.DataFrame(
        {
            "status": statuses,
            "hours": [float(h) for h in figures[0::2]] if done else [],
            "tasks": [int(n) for n in figures[1::2]] if done else [],
        }
    ).astype({"hours": "float64", "tasks": "int64"})
    return Flow(int(done), None if median is None else float(median), in_status)


def time_in_status_query(session: Session, scope: Scope) -> pd.DataFrame:
    return flow_query(session, scope).time_in_status


def tasks_by_status_query(session: Session, scope: Scope, top: int | None) -> pd.DataFrame:
    """user, todo, in_progress, done per owner: open tasks as they are now, done ones
    finished in the range. Beyond the `top` owners by task count (unless people were
    chosen: Scope.named), summed as OTHERS."""
    in_range = scope.instants(Task.done_at)
    rows = (
        select(
            _owner.label("user_id"),
            func.count().filter(Task.status == Status.TODO.value).label("todo"),
            func.count().filter(Task.status == Status.IN_PROGRESS.value).label("in_progress"),
            func.count().filter(and_(Task.status == Status.DONE.value, in_range)).label("done"),
        )
        .where(
            or_(Task.status != Status.DONE.value, (Task.status == Status.DONE.value) & in_range),
            scope.who(_owner),
        )
        .group_by(_owner)
        .cte("per_owner")
    )
    weights = select(
        rows.c.user_id, (rows.c.todo + rows.c.in_progress + rows.c.done).label("weight")
    ).subquery("weights")
    names = user_names(weights, scope.named(top))
    query = (
        select(names.c.user, *[func.sum(rows.c[status]) for status in STATUSES])
        .join(names, names.c.user_id == rows.c.user_id)
        .group_by(names.c.user)
        .order_by(func.min(names.c.rank))
    )
    return run(session, query, ["user", *STATUSES], ints=STATUSES)


def time_in_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Average hours in each status before done, for tasks finished in the range.
    Columns: status, hours, tasks. Empty when no task was finished."""
    return answer(uow, actor, start, end, user_ids, time_in_status_query)


def tasks_by_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Tasks per owner by status: to do and in progress now, done within the range. Without
    a choice of users, beyond the `top` owners they are summed as OTHERS. Columns: user,
    todo, in_progress, done."""
    return answer(uow, actor, start, end, user_ids, tasks_by_status_query, top)
