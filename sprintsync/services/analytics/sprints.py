"""How sprints went, read from the sprint ledger (sprint_changes, kept by the triggers of
migration 0006): a sprint's scope at an instant is each task's latest ledger row before it.
So a closed sprint's figures read its end and never move, whatever happens to its tasks
after (moved on, re-estimated, reopened, deleted).

- planned: in the sprint at the end of its first day, the planning day, when what the last
  sprint left open is carried in (for a sprint not started yet: in it now)
- added: in it at its end (or now) but not planned; removed: planned but not in it at the end
- done / open: in it at its end (or now), done or not; carried: a closed sprint's open tasks
- burndown: for each day, the estimate in the sprint and done by the end of that day
- velocity: the estimate done in each of a project's last closed sprints

Estimates are as they were at that instant; unestimated tasks count as tasks with no
minutes. Everyone who may see the project may see these (they name nobody). Days begin at
midnight in the workspace's time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ARRAY, Date, DateTime, case, func, literal, select, true
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from sprintsync import clock
from sprintsync.db import UnitOfWork
from sprintsync.errors import ValidationError
from sprintsync.models import Sprint, SprintChange
from sprintsync.planning import SprintState, sprint_state
from sprintsync.services.analytics.scope import run
from sprintsync.services.common import check_id, operator_or_user
from sprintsync.services.sprints import load_sprint, visible_project
from sprintsync.services.views import Actor, SprintView

TALLIES = ("planned", "added", "removed", "done", "open")
TALLY_COLUMNS = [f"{t}_{unit}" for t in TALLIES for unit in ("tasks", "minutes")]
VELOCITY_MAX = 24
BURNDOWN = ["day", "ideal_minutes", "scope_minutes", "done_minutes", "remaining_minutes"]


def _midnight(day: Any) -> Any:
    """The first instant of a date's day in the workspace's zone."""
    return func.timezone(clock.tz().key, func.cast(day, DateTime))


def _state(sprints: Any, instant: Any) -> Any:
    """Each (sprint, task) pair's latest ledger row before `instant` (a column of sprints)."""
    c = SprintChange
    return (
        select(c.sprint_id, c.task_id, c.in_sprint, c.estimate_minutes, c.done)
        .join(sprints, sprints.c.id == c.sprint_id)
        .where(c.at < instant)
        .ext(distinct_on(c.sprint_id, c.task_id))
        .order_by(c.sprint_id, c.task_id, c.at.desc(), c.id.desc())
    )


def tallies_query(session: Session, where: ColumnElement[bool], today: dt.date) -> pd.DataFrame:
    """sprint_id and the tasks and minutes of each of TALLIES, for every sprint `where`
    matches (in no particular order)."""
    # Ledger rows are dated by the clock when written, so "up to now" reads the clock too,
    # not now() (when this transaction began).
    now = func.clock_timestamp()
    sprints = (
        select(
            Sprint.id.label("id"),
            # A sprint not started has no plan to read yet: its plan is what it holds now.
            case(
                (Sprint.starts_on > today, now),
                else_=func.least(_midnight(Sprint.starts_on + 1), now),
            ).label("since"),
            func.least(_midnight(Sprint.ends_on + 1), now).label("until"),
        )
        .where(where)
        .cte("chosen")
    )
    start = _state(sprints, sprints.c.since).subquery("at_start")
    end = _state(sprints, sprints.c.until).subquery("at_end")
    pair = start.join(
        end, (start.c.sprint_id == end.c.sprint_id) & (start.c.task_id == end.c.task_id), full=True
    )
    was, is_in = start.c.in_sprint.is_(True), end.c.in_sprint.is_(True)
    conditions = [
        (was, start.c.estimate_minutes),  # planned
        (is_in & ~was, end.c.estimate_minutes),  # added
        (was & ~is_in, start.c.estimate_minutes),  # removed
        (is_in & end.c.done, end.c.estimate_minutes),  # done
        (is_in & ~end.c.done, end.c.estimate_minutes),  # open
    ]
    figures = []
    for condition, estimate in conditions:
        figures += [
            func.count().filter(condition),
            func.coalesce(func.sum(estimate).filter(condition), 0),
        ]
    which = func.coalesce(start.c.sprint_id, end.c.sprint_id)
    tallied = select(which.label("sprint_id"), *figures).select_from(pair).group_by(which)
    found = run(session, tallied, ["sprint_id", *TALLY_COLUMNS], ints=TALLY_COLUMNS)
    found["sprint_id"] = found["sprint_id"].astype("int64")
    ids = pd.DataFrame({"sprint_id": session.scalars(select(sprints.c.id)).all()}, dtype="int64")
    every = ids.merge(found, on="sprint_id", how="left").fillna(0)
    return every.astype({c: "int64" for c in TALLY_COLUMNS})


@dataclass(frozen=True, slots=True)
class Tally:
    tasks: int
    minutes: int  # their estimates

    def as_json(self) -> dict[str, int]:
        return {"tasks": self.tasks, "minutes": self.minutes}


@dataclass(frozen=True, slots=True)
class SprintReport:
    sprint: SprintView
    planned: Tally
    added: Tally  # scope added after the start
    removed: Tally
    done: Tally
    open: Tally  # not done yet (at the end, for a closed sprint)
    next_sprint: str | None  # where a closed sprint's open tasks carry over to
    burndown: pd.DataFrame  # BURNDOWN columns; actual figures only up to today

    @property
    def carried(self) -> Tally:
        """A closed sprint's open tasks, carried over; nothing while it runs."""
        return self.open if self.sprint.state == SprintState.CLOSED else Tally(0, 0)

    def as_json(self) -> dict[str, Any]:
        rows = self.burndown.astype(object).where(self.burndown.notna(), None)
        return {
            **self.sprint.as_json(),
            **{
                name: getattr(self, name).as_json()
                for name in ("planned", "added", "removed", "done", "open", "carried")
            },
            "carried_into": self.next_sprint if self.carried.tasks else None,
            "burndown": [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
                for row in rows.to_dict(orient="records")
            ],
        }


def _tally(row: pd.Series, name: str) -> Tally:
    return Tally(int(row[f"{name}_tasks"]), int(row[f"{name}_minutes"]))


def burndown_query(
    session: Session, sprint: SprintView, planned: int, today: dt.date
) -> pd.DataFrame:
    """Every day of the sprint: the ideal line (the plan, at the end of the first day, falling
    evenly to zero by the end of the last) and, up to today, the estimate in the sprint and
    done by the end of that day, and what remained."""
    days = [
        sprint.starts_on + dt.timedelta(days=i)
        for i in range((sprint.ends_on - sprint.starts_on).days + 1)
    ]
    count = len(days)
    ideal = [
        round(planned * (count - 1 - i) / (count - 1)) if count > 1 else 0 for i in range(count)
    ]
    shown = [d for d in days if d <= today]
    actual = pd.DataFrame(columns=["day", "scope_minutes", "done_minutes"])
    if shown:
        zone = clock.tz()
        untils = [dt.datetime.combine(d + dt.timedelta(days=1), dt.time(), zone) for d in shown]
        series = (
            select(
                func.unnest(literal(shown, ARRAY(Date))).label("day"),
                func.unnest(literal(untils, ARRAY(DateTime(timezone=True)))).label("until"),
            )
        ).subquery("days")
        c = SprintChange
        state = (
            select(c.in_sprint, c.estimate_minutes, c.done)
            .where(c.sprint_id == sprint.id, c.at < series.c.until)
            .ext(distinct_on(c.task_id))
            .order_by(c.task_id, c.at.desc(), c.id.desc())
            .lateral("state")
        )
        held = state.c.in_sprint.is_(True)
        query = (
            select(
                series.c.day,
                func.coalesce(func.sum(state.c.estimate_minutes).filter(held), 0),
                func.coalesce(func.sum(state.c.estimate_minutes).filter(held & state.c.done), 0),
            )
            .select_from(series)
            .outerjoin(state, true())
            .group_by(series.c.day)
        )
        actual = run(session, query, ["day", "scope_minutes", "done_minutes"])
    frame = pd.DataFrame({"day": days, "ideal_minutes": ideal}).merge(actual, on="day", how="left")
    frame["remaining_minutes"] = frame["scope_minutes"] - frame["done_minutes"]
    return frame[BURNDOWN].astype(
        {c: "Int64" for c in ("scope_minutes", "done_minutes", "remaining_minutes")}
    )


def _report(session: Session, sprint: SprintView, today: dt.date) -> SprintReport:
    [row] = tallies_query(session, Sprint.id == sprint.id, today).to_dict(orient="records")
    following = session.scalar(
        select(Sprint.name)
        .where(Sprint.project_id == sprint.project_id, Sprint.starts_on > sprint.ends_on)
        .order_by(Sprint.starts_on)
        .limit(1)
    )
    tally = pd.Series(row)
    planned = _tally(tally, "planned")
    return SprintReport(
        sprint,
        planned,
        _tally(tally, "added"),
        _tally(tally, "removed"),
        _tally(tally, "done"),
        _tally(tally, "open"),
        next_sprint=following,
        burndown=burndown_query(session, sprint, planned.minutes, today),
    )


def sprint_report(uow: UnitOfWork, *, actor: Actor, sprint_id: int) -> SprintReport:
    """Planned, added, removed, done, open and carried over, with the burndown."""
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        sprint = load_sprint(s, check_id(sprint_id, "Sprint"))
        visible_project(s, me, sprint.project_id)
        return _report(s, sprint, clock.today())


def project_sprints(uow: UnitOfWork, *, actor: Actor, project_id: int) -> pd.DataFrame:
    """One row per sprint of the project, earliest first: sprint_id, sprint, starts_on,
    ends_on, state, then the tasks and minutes planned, added, removed, done and open."""
    today = clock.today()
    with uow:
        s = uow.session
        project = visible_project(s, operator_or_user(s, actor), project_id)
        return _with_sprints(s, Sprint.project_id == project.id, today)


def _with_sprints(s: Session, where: ColumnElement[bool], today: dt.date) -> pd.DataFrame:
    query = select(Sprint.id, Sprint.name, Sprint.starts_on, Sprint.ends_on).where(where)
    sprints = run(
        s, query.order_by(Sprint.starts_on), ["sprint_id", "sprint", "starts_on", "ends_on"]
    )
    tallies = tallies_query(s, where, today)
    frame = sprints.merge(tallies, on="sprint_id", how="left")
    states = [
        sprint_state(start, end, today).value
        for start, end in zip(frame["starts_on"], frame["ends_on"], strict=True)
    ]
    frame.insert(4, "state", pd.Series(states, index=frame.index, dtype=object))
    return frame


def velocity(uow: UnitOfWork, *, actor: Actor, project_id: int, last: int = 6) -> pd.DataFrame:
    """The project's `last` closed sprints, earliest first: sprint, starts_on, ends_on,
    planned_minutes, done_minutes, done_tasks (estimate done per sprint)."""
    if not 1 <= last <= VELOCITY_MAX:
        raise ValidationError(f"Show between 1 and {VELOCITY_MAX} sprints.")
    today = clock.today()
    with uow:
        s = uow.session
        project = visible_project(s, operator_or_user(s, actor), project_id)
        recent = (
            select(Sprint.id)
            .where(Sprint.project_id == project.id, Sprint.ends_on < today)
            .order_by(Sprint.ends_on.desc())
            .limit(last)
        )
        frame = _with_sprints(s, Sprint.id.in_(recent.scalar_subquery()), today)
        return frame[
            ["sprint", "starts_on", "ends_on", "planned_minutes", "done_minutes", "done_tasks"]
        ].reset_index(drop=True)
