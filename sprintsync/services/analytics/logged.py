"""Time logged, grouped in SQL over the per-user daily totals (one row per user per day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Date, Integer, SQLColumnExpression, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, FromClause
from sqlalchemy.sql.elements import Label

from sprintsync.db import UnitOfWork
from sprintsync.domain import check_day, monday_of
from sprintsync.errors import ValidationError
from sprintsync.models import Task, TimeEntry, User, UserDayTotal
from sprintsync.services.analytics.scope import (
    Scope,
    answer,
    run,
    user_names,
)
from sprintsync.services.analytics.work import by_period_query, by_work_query, work
from sprintsync.services.views import Actor

Grouping = Literal["user", "day", "week", "project", "sprint", "tag"]
GROUPINGS = ("user", "day", "week", "project", "sprint", "tag")
Period = Literal["day", "week"]

_day = UserDayTotal.spent_on
_minutes = func.sum(UserDayTotal.minutes)


def _period(by: str) -> SQLColumnExpression[dt.date]:
    if by == "day":
        return _day
    if by == "week":
        return UserDayTotal.week
    raise ValidationError("Group by day or week.")


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    return scope.days(_day) & scope.who(UserDayTotal.user_id)


def minutes_by_query(session: Session, scope: Scope, by: str) -> pd.DataFrame:
    key: Label[Any]
    if by == "user":
        key = User.username.label("user")
        query = select(key, _minutes).join(User, User.id == UserDayTotal.user_id)
    else:
        key = _period(by).label(by)
        query = select(key, _minutes)
    query = query.where(_in_scope(scope)).group_by(key).order_by(key)
    return run(session, query, [by, "minutes"], ints=["minutes"])


def minutes_by(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Grouping = "user",
    user_ids: Sequence[int] | None = None,
    project_ids: Sequence[int] | None = None,
    sprint_ids: Sequence[int] | None = None,
    tag_id: int | None = None,
) -> pd.DataFrame:
    """Minutes logged from start to end (inclusive) per user, day or week (weeks start Monday),
    project, sprint or tag, of the chosen projects, sprints and tag (any, when not given).
    Columns: `by` (username, the day, the week's Monday, project key, tag name) and minutes;
    by sprint: project, sprint (its name, None for tasks in no sprint) and minutes."""
    if by not in GROUPINGS:
        raise ValidationError("Group by user, day, week, project, sprint or tag.")
    chosen = work(project_ids, sprint_ids, tag_id)
    if by in ("project", "sprint", "tag"):
        return answer(uow, actor, start, end, user_ids, by_work_query, by, chosen)
    if chosen.narrowed:
        return answer(uow, actor, start, end, user_ids, by_period_query, by, chosen)
    return answer(uow, actor, start, end, user_ids, minutes_by_query, by)


def totals_query(session: Session, scope: Scope) -> tuple[int, int]:
    """(minutes logged, people who logged any) in the scope."""
    # Per user first: a hashed GROUP BY, where count(DISTINCT) would sort every day's row.
    per_user = (
        select(_minutes.label("minutes"))
        .where(_in_scope(scope))
        .group_by(UserDayTotal.user_id)
        .subquery("per_user")
    )
    minutes, people = session.execute(
        select(func.coalesce(func.sum(per_user.c.minutes), 0), func.count())
    ).one()
    return int(minutes), int(people)


def per_user_query(session: Session, scope: Scope, by: str, top: int | None) -> pd.DataFrame:
    """period, user, minutes: the `top` users by minutes in the range by name and the rest
    summed as OTHERS (all by name when top is None); users ordered by their total."""
    period: Label[dt.date] = _period(by).label("period")
    rows: FromClause
    if by == "week":
        # Per person per week first, on integer keys: names then meet a fifth of the rows.
        rows = (
            select(UserDayTotal.user_id, period, _minutes.label("minutes"))
            .where(_in_scope(scope))
            .group_by(UserDayTotal.user_id, period)
            .cte("per_week")
        )
    else:
        rows = (
            select(UserDayTotal.user_id, period, UserDayTotal.minutes)
            .where(_in_scope(scope))
            .subquery("per_day")
        )
    weights = (
        select(rows.c.user_id, func.sum(rows.c.minutes).label("weight"))
        .group_by(rows.c.user_id)
        .subquery("weights")
    )
    names = user_names(weights, top)
    query = select(rows.c.period, names.c.user).join(names, names.c.user_id == rows.c.user_id)
    if top is None:  # one row per person and period already
        query = query.add_columns(rows.c.minutes).order_by(rows.c.period, names.c.rank)
    else:
        query = (
            query.add_columns(func.sum(rows.c.minutes))
            .group_by(rows.c.period, names.c.user)
            .order_by(rows.c.period, func.min(names.c.rank))
        )
    return run(session, query, ["period", "user", "minutes"], ints=["minutes"])


def time_per_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Period = "week",
    user_ids: Sequence[int] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Minutes per user per day or week (the week's Monday). Columns: period, user, minutes."""
    _period(by)
    return answer(uow, actor, start, end, user_ids, per_user_query, by, top)


def team_per_day_query(session: Session, scope: Scope) -> pd.DataFrame:
    """day, minutes for every day of the range, zero where nobody logged time."""
    offsets = (
        func.generate_series(0, (scope.end - scope.start).days)
        .table_valued("n")
        .render_derived(name="offsets")
    )
    day = (literal(scope.start, Date) + offsets.c.n).label("day")
    query = (
        select(day, func.coalesce(_minutes, 0))
        .select_from(offsets)
        .outerjoin(
            UserDayTotal,
            (_day == literal(scope.start, Date) + offsets.c.n) & _in_scope(scope),
        )
        .group_by(offsets.c.n)
        .order_by(offsets.c.n)
    )
    return run(session, query, ["day", "minutes"], ints=["minutes"])


def team_per_day(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The team's minutes per day, every day of the range. Columns: day, minutes."""
    return answer(uow, actor, start, end, user_ids, team_per_day_query)


def top_users_query(session: Session, scope: Scope, limit: int) -> pd.DataFrame:
    minutes = _minutes.label("minutes")
    query = (
        select(User.username, minutes)
        .join(User, User.id == UserDayTotal.user_id)
        .where(_in_scope(scope))
        .group_by(User.id)
        .order_by(minutes.desc(), User.username)
        .limit(limit)
    )
    return run(session, query, ["user", "minutes"], ints=["minutes"])


def top_users(
    uow: UnitOfWork,
    *,
    actor: Actor,
    week_of: dt.date,
    limit: int = 5,
    user_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The `limit` users with the most minutes in the week (Monday to Sunday) holding
    `week_of`, most first. Columns: user, minutes."""
    monday = monday_of(check_day(week_of, "The week"))
    sunday = monday + dt.timedelta(days=6)
    return answer(uow, actor, monday, sunday, user_ids, top_users_query, limit)


def week_by_day_query(session: Session, scope: Scope) -> pd.DataFrame:
    """weekday, this_week, last_week: a two-week scope (last Monday to this Sunday) folded
    onto the seven weekdays."""
    monday = scope.start + dt.timedelta(days=7)
    weekday = func.extract("isodow", _day).cast(Integer).label("weekday")
    query = (
        select(
            weekday,
            func.sum(UserDayTotal.minutes).filter(_day >= monday),
            func.sum(UserDayTotal.minutes).filter(_day < monday),
        )
        .where(_in_scope(scope))
        .group_by(weekday)
    )
    weeks = ["this_week", "last_week"]
    found = run(session, query, ["weekday", *weeks], ints=weeks)
    days = pd.DataFrame({"weekday": range(1, 8)})
    result = days.merge(found, on="weekday", how="left").fillna(0)
    result["weekday"] = [(monday + dt.timedelta(days=i)).strftime("%a") for i in range(7)]
    return result.astype({"this_week": "int64", "last_week": "int64"})


def week_by_task_query(session: Session, scope: Scope) -> pd.DataFrame:
    """task_id, task, this_week, last_week over a two-week scope, from the raw entries of
    one person (a few dozen rows through the (user_id, spent_on) index)."""
    monday = scope.start + dt.timedelta(days=7)
    this_week = func.coalesce(func.sum(TimeEntry.minutes).filter(TimeEntry.spent_on >= monday), 0)
    last_week = func.coalesce(func.sum(TimeEntry.minutes).filter(TimeEntry.spent_on < monday), 0)
    query = (
        select(Task.id, Task.title, this_week.label("this_week"), last_week.label("last_week"))
        .join(Task, Task.id == TimeEntry.task_id)
        .where(scope.days(TimeEntry.spent_on), scope.who(TimeEntry.user_id))
        .group_by(Task.id)
        .order_by(this_week.desc(), last_week.desc(), Task.id)
    )
    weeks = ["this_week", "last_week"]
    return run(session, query, ["task_id", "task", *weeks], ints=weeks)
