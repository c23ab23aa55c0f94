"""The baselines benchmarks/analytics.py compares the rollups against, made fair:

- raw SQL: the GROUP BY over time_entries (joined to tasks, projects, sprints, tags, users as
  the figure needs) that a careful peer writes without rollups;
- pandas: the range's entries loaded with just the columns the figure needs, grouped there.

Both fetch through the same fast path as the services (analytics.scope.run: the driver's own
rows, no SQLAlchemy Row per row), run as many times as the figure they stand for, and their
whole result frame is compared with the service's (sorted by the figure's keys).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Date, cast, func, select, text

from sprintsync.db import unit_of_work
from sprintsync.models import Project, Sprint, Tag, Task, TaskTag, TimeEntry, User
from sprintsync.services import analytics
from sprintsync.services.analytics.scope import run

Frame = Callable[[dt.date, dt.date], pd.DataFrame]


@dataclass(frozen=True)
class Baseline:
    ours: Frame  # the service, as the page or CLI calls it
    sql: Frame  # a plain GROUP BY over the raw entries
    pandas: Frame | None  # the raw entries into pandas, grouped there
    keys: list[str]  # what identifies a row, for comparing frames in one order


def _fetch(query, columns: list[str], ints: tuple[str, ...] = ("minutes",)) -> pd.DataFrame:
    with unit_of_work() as uow:
        # The memory the services give their grouping (analytics.scope.resolve), so the
        # baseline's hash aggregates do not spill to disk where the services' would not.
        uow.session.execute(text("SET LOCAL work_mem = '64MB'"))
        return run(uow.session, query, columns, ints=list(ints))


_week = cast(func.date_trunc("week", TimeEntry.spent_on), Date)
_sum = func.sum(TimeEntry.minutes)


def _in(start: dt.date, end: dt.date):
    return TimeEntry.spent_on.between(start, end)


def _monday(days: pd.Series) -> pd.Series:
    stamps = pd.to_datetime(days)
    return (stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")).dt.date


def per_user_week_sql(start: dt.date, end: dt.date) -> pd.DataFrame:
    query = (
        select(_week, User.username, _sum)
        .join(User, User.id == TimeEntry.user_id)
        .where(_in(start, end))
        .group_by(_week, User.username)
    )
    return _fetch(query, ["period", "user", "minutes"])


def per_user_week_pandas(start: dt.date, end: dt.date) -> pd.DataFrame:
    entries = _fetch(
        select(User.username, TimeEntry.spent_on, TimeEntry.minutes)
        .join(User, User.id == TimeEntry.user_id)
        .where(_in(start, end)),
        ["user", "spent_on", "minutes"],
    )
    entries["period"] = _monday(entries["spent_on"])
    return entries.groupby(["period", "user"], as_index=False)["minutes"].sum()


def _by_project(*columns):
    return (
        select(*columns)
        .select_from(TimeEntry)
        .join(Task, Task.id == TimeEntry.task_id)
        .join(Project, Project.id == Task.project_id)
    )


def per_project_week_sql(start: dt.date, end: dt.date) -> pd.DataFrame:
    query = (
        _by_project(_week, Project.key, _sum).where(_in(start, end)).group_by(_week, Project.key)
    )
    return _fetch(query, ["period", "project", "minutes"])


def per_project_week_pandas(start: dt.date, end: dt.date) -> pd.DataFrame:
    entries = _fetch(
        _by_project(Project.key, TimeEntry.spent_on, TimeEntry.minutes).where(_in(start, end)),
        ["project", "spent_on", "minutes"],
    )
    entries["period"] = _monday(entries["spent_on"])
    return entries.groupby(["period", "project"], as_index=False)["minutes"].sum()


def person_project_sql(start: dt.date, end: dt.date) -> pd.DataFrame:
    query = (
        _by_project(User.username, Project.key, _sum)
        .join(User, User.id == TimeEntry.user_id)
        .where(_in(start, end))
        .group_by(User.username, Project.key)
    )
    return _fetch(query, ["user", "project", "minutes"])


def person_project_pandas(start: dt.date, end: dt.date) -> pd.DataFrame:
    entries = _fetch(
        _by_project(User.username, Project.key, TimeEntry.minutes)
        .join(User, User.id == TimeEntry.user_id)
        .where(_in(start, end)),
        ["user", "project", "minutes"],
    )
    return entries.groupby(["user", "project"], as_index=False)["minutes"].sum()


def by_sprint_sql(start: dt.date, end: dt.date) -> pd.DataFrame:
    query = (
        _by_project(Project.key, Sprint.name, _sum)
        .outerjoin(Sprint, Sprint.id == Task.sprint_id)
        .where(_in(start, end))
        .group_by(Project.key, Sprint.id)
    )
    return _fetch(query, ["project", "sprint", "minutes"])


def by_tag_sql(start: dt.date, end: dt.date) -> pd.DataFrame:
    query = (
        select(Tag.name, _sum)
        .select_from(TimeEntry)
        .join(TaskTag, TaskTag.task_id == TimeEntry.task_id)
        .join(Tag, Tag.id == TaskTag.tag_id)
        .where(_in(start, end))
        .group_by(Tag.name)
    )
    return _fetch(query, ["tag", "minutes"])


def baselines(manager) -> dict[str, Baseline]:
    """The figures with baselines, named as in the benchmark's tables."""
    m = {"actor": manager}
    return {
        "time_per_user(week, everyone)": Baseline(
            lambda s, e: analytics.time_per_user(unit_of_work(), **m, start=s, end=e, by="week"),
            per_user_week_sql,
            per_user_week_pandas,
            ["period", "user"],
        ),
        "time_per_project(week)": Baseline(
            lambda s, e: analytics.time_per_project(unit_of_work(), **m, start=s, end=e),
            per_project_week_sql,
            per_project_week_pandas,
            ["period", "project"],
        ),
        "time_per_person_per_project(everyone)": Baseline(
            lambda s, e: analytics.time_per_person_per_project(unit_of_work(), **m, start=s, end=e),
            person_project_sql,
            person_project_pandas,
            ["user", "project"],
        ),
        "minutes_by(sprint)": Baseline(
            lambda s, e: analytics.minutes_by(unit_of_work(), **m, start=s, end=e, by="sprint"),
            by_sprint_sql,
            None,
            ["project", "sprint"],
        ),
        "minutes_by(tag)": Baseline(
            lambda s, e: analytics.minutes_by(unit_of_work(), **m, start=s, end=e, by="tag"),
            by_tag_sql,
            None,
            ["tag"],
        ),
    }


def same_frame(ours: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]) -> bool:
    """Equal as whole frames: same columns, rows and values, once sorted by the keys."""

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[list(ours.columns)].astype({"minutes": "int64"})
        return frame.sort_values(keys, na_position="first").reset_index(drop=True)

    try:
        pd.testing.assert_frame_equal(tidy(ours), tidy(theirs), check_dtype=False)
    except (AssertionError, KeyError):
        return False
    return True
