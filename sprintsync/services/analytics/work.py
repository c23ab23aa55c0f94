"""Time by project, sprint and tag, grouped in SQL over project_day_totals (tag_day_totals
when a tag is chosen): rollups of the entries by their task's current project, sprint and
tags, kept by the triggers of migration 0006. A task moved to another project or sprint, or
tagged, takes its time along. By tag, an entry counts once for each tag of its task.

Estimates against time logged read the tasks finished in the range, like "tasks done".
Members may ask about their own time and tasks only, as everywhere in analytics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Select, exists, func, nulls_last, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import Label

from sprintsync.db import UnitOfWork
from sprintsync.domain import Status
from sprintsync.errors import ValidationError
from sprintsync.models import (
    Project,
    ProjectDayTotal,
    Sprint,
    Tag,
    TagDayTotal,
    Task,
    TaskTag,
    User,
)
from sprintsync.services.analytics.scope import Scope, answer, run, user_names
from sprintsync.services.common import check_id
from sprintsync.services.views import Actor

WorkGrouping = Literal["project", "sprint", "tag"]
NO_SPRINT = None  # the sprint column's value for time on tasks in no sprint


@dataclass(frozen=True, slots=True)
class Work:
    """Which work a figure is about: these projects and sprints (None: any), one tag."""

    projects: tuple[int, ...] | None = None
    sprints: tuple[int, ...] | None = None
    tag: int | None = None

    @property
    def narrowed(self) -> bool:
        return bool(self.projects or self.sprints or self.tag is not None)

    @property
    def rollup(self) -> type[ProjectDayTotal] | type[TagDayTotal]:
        return ProjectDayTotal if self.tag is None else TagDayTotal

    def rows(
        self, scope: Scope, table: type[ProjectDayTotal] | type[TagDayTotal] | None = None
    ) -> ColumnElement[bool]:
        """The rollup rows in the scope's days and people and this work."""
        t = table or self.rollup
        condition = scope.days(t.spent_on) & scope.who(t.user_id)
        if self.tag is not None:
            condition &= TagDayTotal.tag_id == self.tag  # the rollup is TagDayTotal then
        if self.projects:
            condition &= t.project_id.in_(self.projects)
        if self.sprints:
            condition &= t.sprint_id.in_(self.sprints)
        return condition

    def tasks(self) -> ColumnElement[bool]:
        """The same filter on tasks (for figures read from tasks)."""
        condition: ColumnElement[bool] = true()
        if self.projects:
            condition &= Task.project_id.in_(self.projects)
        if self.sprints:
            condition &= Task.sprint_id.in_(self.sprints)
        if self.tag is not None:
            condition &= exists().where(TaskTag.task_id == Task.id, TaskTag.tag_id == self.tag)
        return condition


def work(
    project_ids: Sequence[int] | None = None,
    sprint_ids: Sequence[int] | None = None,
    tag_id: int | None = None,
) -> Work:
    def ids(values: Sequence[int] | None, what: str) -> tuple[int, ...] | None:
        return tuple(sorted({check_id(int(v), what) for v in values})) if values else None

    tag = None if tag_id is None else check_id(int(tag_id), "Tag")
    return Work(ids(project_ids, "Project"), ids(sprint_ids, "Sprint"), tag)


def by_work_query(session: Session, scope: Scope, by: str, chosen: Work) -> pd.DataFrame:
    """Minutes per project (project), per project and sprint (project, sprint: its name, or
    None for tasks in no sprint) or per tag (tag)."""
    query: Select[*tuple[Any, ...]]
    if by == "tag":
        query = (
            select(Tag.name, func.sum(TagDayTotal.minutes))
            .join(Tag, Tag.id == TagDayTotal.tag_id)
            .where(chosen.rows(scope, TagDayTotal))
            .group_by(Tag.name)
            .order_by(func.lower(Tag.name))
        )
        return run(session, query, ["tag", "minutes"], ints=["minutes"])
    t = chosen.rollup
    if by == "project":
        query = (
            select(Project.key, func.sum(t.minutes))
            .join(Project, Project.id == t.project_id)
            .where(chosen.rows(scope))
            .group_by(Project.key)
            .order_by(Project.key)
        )
        return run(session, query, ["project", "minutes"], ints=["minutes"])
    query = (
        select(Project.key, Sprint.name, func.sum(t.minutes))
        .join(Project, Project.id == t.project_id)
        .outerjoin(Sprint, Sprint.id == t.sprint_id)
        .where(chosen.rows(scope))
        .group_by(Project.key, Sprint.id)
        .order_by(Project.key, nulls_last(Sprint.starts_on))
    )
    return run(session, query, ["project", "sprint", "minutes"], ints=["minutes"])


def by_period_query(session: Session, scope: Scope, by: str, chosen: Work) -> pd.DataFrame:
    """What minutes_by gives by user, day or week, for narrowed work."""
    t = chosen.rollup
    key: Label[Any]
    query: Select[*tuple[Any, ...]]
    if by == "user":
        key = User.username.label("user")
        query = select(key, func.sum(t.minutes)).join(User, User.id == t.user_id)
    else:
        key = (t.week if by == "week" else t.spent_on).label(by)
        query = select(key, func.sum(t.minutes))
    query = query.where(chosen.rows(scope)).group_by(key).order_by(key)
    return run(session, query, [by, "minutes"], ints=["minutes"])


def per_project_query(session: Session, scope: Scope, by: str, chosen: Work) -> pd.DataFrame:
    """period, project (its key), minutes: per day or week (its Monday)."""
    t = chosen.rollup
    period = (t.week if by == "week" else t.spent_on).label("period")
    rows = (
        select(period, t.project_id, func.sum(t.minutes).label("minutes"))
        .where(chosen.rows(scope))
        .group_by(period, t.project_id)
        .subquery("per_project")
    )
    query = (
        select(rows.c.period, Project.key, rows.c.minutes)
        .join(Project, Project.id == rows.c.project_id)
        .order_by(rows.c.period, Project.key)
    )
    return run(session, query, ["period", "project", "minutes"], ints=["minutes"])


def person_project_query(
    session: Session, scope: Scope, chosen: Work, top: int | None
) -> pd.DataFrame:
    """user, project, minutes: the `top` people by time in the range by name, the rest as
    OTHERS (everyone by name when top is None); people by their total, projects by key."""
    t = chosen.rollup
    rows = (
        select(t.user_id, t.project_id, func.sum(t.minutes).label("minutes"))
        .where(chosen.rows(scope))
        .group_by(t.user_id, t.project_id)
        .cte("per_person_project")
    )
    weights = (
        select(rows.c.user_id, func.sum(rows.c.minutes).label("weight"))
        .group_by(rows.c.user_id)
        .subquery("weights")
    )
    names = user_names(weights, top)
    query = (
        select(names.c.user, Project.key, func.sum(rows.c.minutes))
        .join(names, names.c.user_id == rows.c.user_id)
        .join(Project, Project.id == rows.c.project_id)
        .group_by(names.c.user, Project.key)
        .order_by(func.min(names.c.rank), Project.key)
    )
    return run(session, query, ["user", "project", "minutes"], ints=["minutes"])


ESTIMATE_COLUMNS = [
    "tasks",
    "estimated_tasks",
    "estimate_minutes",
    "actual_minutes",
    "unestimated_minutes",
]


def estimates_query(session: Session, scope: Scope, by: str, chosen: Work) -> pd.DataFrame:
    """For the tasks finished in the range (their final move to done), per project (or per
    project and sprint): how many, how many had an estimate, those estimates against the
    time logged on the same tasks, and the time on the unestimated ones."""
    estimated = Task.estimate_minutes.is_not(None)
    figures = [
        func.count(),
        func.count().filter(estimated),
        func.coalesce(func.sum(Task.estimate_minutes), 0),
        func.coalesce(func.sum(Task.total_minutes).filter(estimated), 0),
        func.coalesce(func.sum(Task.total_minutes).filter(~estimated), 0),
    ]
    keys = [Project.key] if by == "project" else [Project.key, Sprint.name]
    query = (
        select(*keys, *figures)
        .join(Project, Project.id == Task.project_id)
        .where(
            Task.status == Status.DONE.value,
            scope.instants(Task.done_at),
            scope.who(Task.owner_id),
            chosen.tasks(),
        )
    )
    if by == "sprint":
        query = query.outerjoin(Sprint, Sprint.id == Task.sprint_id).group_by(
            Project.key, Sprint.id
        )
        query = query.order_by(Project.key, nulls_last(Sprint.starts_on))
    else:
        query = query.group_by(Project.key).order_by(Project.key)
    names = ["project"] if by == "project" else ["project", "sprint"]
    return run(session, query, [*names, *ESTIMATE_COLUMNS], ints=ESTIMATE_COLUMNS)


def time_per_project(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Literal["day", "week"] = "week",
    user_ids: Sequence[int] | None = None,
    project_ids: Sequence[int] | None = None,
    sprint_ids: Sequence[int] | None = None,
    tag_id: int | None = None,
) -> pd.DataFrame:
    """Minutes per project per day or week. Columns: period, project (key), minutes."""
    if by not in ("day", "week"):
        raise ValidationError("Group by day or week.")
    chosen = work(project_ids, sprint_ids, tag_id)
    return answer(uow, actor, start, end, user_ids, per_project_query, by, chosen)


def time_per_person_per_project(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
    project_ids: Sequence[int] | None = None,
    sprint_ids: Sequence[int] | None = None,
    tag_id: int | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Minutes per person per project. Columns: user, project (key), minutes."""
    chosen = work(project_ids, sprint_ids, tag_id)
    return answer(uow, actor, start, end, user_ids, person_project_query, chosen, top)


def estimate_vs_actual(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Literal["project", "sprint"] = "project",
    user_ids: Sequence[int] | None = None,
    project_ids: Sequence[int] | None = None,
    sprint_ids: Sequence[int] | None = None,
    tag_id: int | None = None,
) -> pd.DataFrame:
    """Estimate against time logged for the tasks finished in the range, by project or by
    sprint. Columns: project[, sprint], then ESTIMATE_COLUMNS."""
    if by not in ("project", "sprint"):
        raise ValidationError("Compare by project or by sprint.")
    chosen = work(project_ids, sprint_ids, tag_id)
    return answer(uow, actor, start, end, user_ids, estimates_query, by, chosen)
