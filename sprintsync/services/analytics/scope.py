"""What every analytics query shares: whom the caller may ask about, the range, its time zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Select, SQLColumnExpression, case, func, literal, select, text, true
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Subquery

from sprintsync import clock, domain
from sprintsync.db import UnitOfWork
from sprintsync.domain import check_day, monday_of
from sprintsync.errors import PermissionDenied, ValidationError
from sprintsync.models import User
from sprintsync.services import common
from sprintsync.services.views import Actor

T = TypeVar("T")

MAX_RANGE_DAYS = 731
# Usernames cannot hold a space, so this label never collides with a person.
OTHERS = "Everyone else"


@dataclass(frozen=True, slots=True)
class Scope:
    """A checked question: days start..end (inclusive) in `zone`, about `users` (None: all)."""

    start: dt.date
    end: dt.date
    users: tuple[int, ...] | None
    zone: ZoneInfo

    def named(self, top: int | None) -> int | None:
        """How many people a chart by person names: the `top` busiest (the rest summed as
        OTHERS), or all of them when people were chosen (chosen people are shown by name)."""
        return None if self.users else top

    @property
    def since(self) -> dt.datetime:
        """The first instant of `start` in the configured zone (for timestamptz columns)."""
        return dt.datetime.combine(self.start, dt.time(), self.zone)

    @property
    def until(self) -> dt.datetime:
        """The first instant after `end` in the configured zone."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), self.zone)

    def days(self, column: SQLColumnExpression[dt.date]) -> ColumnElement[bool]:
        return column.between(self.start, self.end)

    def instants(self, column: SQLColumnExpression[dt.datetime | None]) -> ColumnElement[bool]:
        return (column >= self.since) & (column < self.until)

    def who(self, column: SQLColumnExpression[int]) -> ColumnElement[bool]:
        return true() if self.users is None else column.in_(self.users)

    def with_days(self, start: dt.date, end: dt.date) -> Scope:
        return Scope(start, end, self.users, self.zone)


def default_start(end: dt.date) -> dt.date:
    """Monday four weeks before the week of `end`: the last 4 full weeks plus this one."""
    return monday_of(check_day(end, "The end date")) - dt.timedelta(weeks=4)


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 4 full weeks plus this one, to today (in the configured zone)."""
    end = today or clock.today()
    return default_start(end), end


def check_range(start: dt.date, end: dt.date) -> None:
    domain.check_range(start, end, max_days=MAX_RANGE_DAYS, span="two years")


def resolve(
    session: Session,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
) -> Scope:
    """Members may ask only about themselves; managers, admins and the console operator
    (CONSOLE) about anyone."""
    check_range(start, end)
    wanted = None
    if user_ids:
        wanted = tuple(sorted({common.check_id(int(u), "User") for u in user_ids}))
    me = common.operator_or_user(session, actor)
    if not me.sees_everyone:
        if wanted and wanted != (me.id,):
            raise PermissionDenied("You can only see your own time.")
        wanted = (me.id,)
    # Grouping a year of daily rows per user needs ~10 MB; the 4 MB default spills to disk.
    session.execute(text("SET LOCAL work_mem = '64MB'"))
    return Scope(start, end, wanted, clock.tz())


def person(actor: Actor, user_id: int | None) -> list[int]:
    """The one person a personal view is about: `user_id`, or else the actor."""
    if user_id is not None:
        return [user_id]
    if actor.is_console:
        raise ValidationError("Say whose time to show.")
    return [actor.id]


def user_names(weights: Subquery, top: int | None) -> Subquery:
    """user_id, user, rank for each user in `weights` (a subquery of user_id, weight), ranked
    by weight, then name. Beyond the `top` users the name is OTHERS and the rank top + 1."""
    ranked = (
        select(
            weights.c.user_id,
            User.username,
            func.row_number().over(order_by=(weights.c.weight.desc(), User.username)).label("rank"),
        )
        .join(User, User.id == weights.c.user_id)
        .subquery("ranked")
    )
    name: ColumnElement[str] = ranked.c.username
    rank: ColumnElement[int] = ranked.c.rank
    if top is not None:
        name = case((ranked.c.rank <= top, ranked.c.username), else_=literal(OTHERS))
        rank = case((ranked.c.rank <= top, ranked.c.rank), else_=literal(top + 1))
    return select(ranked.c.user_id, name.label("user"), rank.label("rank")).subquery("names")


def run(
    session: Session,
    query: Select[*tuple[Any, ...]],
    columns: Sequence[str],
    ints: Sequence[str] = (),
) -> pd.DataFrame:
    """The query's rows as a DataFrame; `ints` columns as int64 (sums come back as Decimal).
    Rows are fetched as plain tuples from the driver's cursor: building a SQLAlchemy Row for
    each of 26,000 rows (a year per person per week) took as long as the query's grouping.
    The statement is executed through SQLAlchemy all the same, for its cache of
    compiled statements (compiling the page's three queries afresh was a tenth of its run)."""
    executed = session.connection().execute(query)
    try:
        rows = executed.cursor.fetchall()
    finally:
        executed.close()
    result = pd.DataFrame(rows, columns=list(columns))
    for name in ints:
        result[name] = result[name].fillna(0).astype("int64")
    return result


def answer(
    uow: UnitOfWork,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None,
    query: Callable[..., T],
    *args: Any,
) -> T:
    """One read-only transaction: check who may ask, then run query(session, scope, *args)."""
    with uow:
        scope = resolve(uow.session, actor, start, end, user_ids)
        return query(uow.session, scope, *args)
