"""What the pages show, each gathered in one transaction: the team dashboard for managers and
admins, and a person's own week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.orm import Session

from sprintsync import clock
from sprintsync.db import UnitOfWork
from sprintsync.domain import check_day, monday_of
from sprintsync.errors import ValidationError
from sprintsync.services import common
from sprintsync.services.analytics.logged import (
    Period,
    per_user_query,
    team_per_day_query,
    top_users_query,
    totals_query,
    week_by_day_query,
    week_by_task_query,
)
from sprintsync.services.analytics.scope import Scope, answer, person, resolve
from sprintsync.services.analytics.taskflow import Flow, flow_query
from sprintsync.services.views import Actor

TOP_USERS = 5
NAMED_PEOPLE = 10  # charts by person name this many and sum the rest as OTHERS
WEEK = dt.timedelta(days=7)
SIX_DAYS = dt.timedelta(days=6)


@dataclass(frozen=True, slots=True)
class Headline:
    total_minutes: int
    active_people: int  # logged any time in the range
    tasks_done: int
    median_cycle_hours: float | None  # first in_progress to final done; None without tasks

    @property
    def total_hours(self) -> float:
        return self.total_minutes / 60


def headline_query(session: Session, scope: Scope, flow: Flow | None = None) -> Headline:
    minutes, people = totals_query(session, scope)
    flow = flow or flow_query(session, scope)
    return Headline(minutes, people, flow.done, flow.median_cycle_hours)


def headline(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
) -> Headline:
    """Total time, active people, tasks finished and their median cycle time."""
    return answer(uow, actor, start, end, user_ids, headline_query)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What every view of the Analytics page shows: the headline and the team's time, with
    time in status (the headline's pass over finished tasks yields it). Tasks by status,
    the page's costliest query, is read only when its section is open (tasks_by_status).
    Frames hold minutes (time logged) or hours (time in status)."""

    start: dt.date
    end: dt.date
    by: Period
    week: dt.date  # Monday of the current week, for top_users
    headline: Headline
    per_user: pd.DataFrame  # period, user, minutes
    team_per_day: pd.DataFrame  # day, minutes (every day of the range)
    top_users: pd.DataFrame  # user, minutes (this week)
    time_in_status: pd.DataFrame  # status, hours, tasks

    @property
    def is_empty(self) -> bool:
        """No time logged and no task finished in the range (open tasks aside)."""
        return self.headline.total_minutes == 0 and self.headline.tasks_done == 0


def dashboard(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Period = "week",
    user_ids: Sequence[int] | None = None,
    today: dt.date | None = None,
    top: int = NAMED_PEOPLE,
) -> Dashboard:
    """The Analytics page's headline and team time, for managers and admins. Without a
    choice of users, charts by person name the `top` busiest and sum the rest as OTHERS."""
    if by not in ("day", "week"):
        raise ValidationError("Group by day or week.")
    monday = monday_of(check_day(today or clock.today(), "Today"))
    with uow:
        s = uow.session
        common.require_lead(
            s, actor, "Team analytics are for managers and admins; your own time is on My time."
        )
        scope = resolve(s, actor, start, end, user_ids)
        fold = scope.named(top)
        flow = flow_query(s, scope)
        return Dashboard(
            start=start,
            end=end,
            by=by,
            week=monday,
            headline=headline_query(s, scope, flow),
            per_user=per_user_query(s, scope, by, fold),
            team_per_day=team_per_day_query(s, scope),
            top_users=top_users_query(s, scope.with_days(monday, monday + SIX_DAYS), TOP_USERS),
            time_in_status=flow.time_in_status,
        )


def _two_weeks(today: dt.date | None) -> tuple[dt.date, dt.date]:
    """Last week's Monday to this week's Sunday."""
    monday = monday_of(check_day(today or clock.today(), "The week"))
    return monday - WEEK, monday + SIX_DAYS


def week_by_day(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One person's minutes per weekday, this week and last. Columns: weekday (Mon..Sun),
    this_week, last_week. Members may only ask about themselves."""
    start, end = _two_weeks(today)
    return answer(uow, actor, start, end, person(actor, user_id), week_by_day_query)


def week_by_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """One person's minutes per task, this week and last, busiest first.
    Columns: task_id, task, this_week, last_week."""
    start, end = _two_weeks(today)
    return answer(uow, actor, start, end, person(actor, user_id), week_by_task_query)


@dataclass(frozen=True, slots=True)
class MyWeek:
    monday: dt.date
    days: pd.DataFrame  # weekday, this_week, last_week (minutes)
    tasks: pd.DataFrame  # task_id, task, this_week, last_week (minutes)

    @property
    def is_empty(self) -> bool:
        return self.tasks.empty


def _my_week_query(session: Session, scope: Scope) -> MyWeek:
    return MyWeek(
        scope.start + WEEK, week_by_day_query(session, scope), week_by_task_query(session, scope)
    )


def my_week(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> MyWeek:
    """A person's week against the last, by day and by task, in one transaction."""
    start, end = _two_weeks(today)
    return answer(uow, actor, start, end, person(actor, user_id), _my_week_query)
