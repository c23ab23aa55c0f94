"""Time analytics as small frames computed in SQL. Raw entries never reach pandas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import pandas as pd
from sqlalchemy import Date, cast, func, select

from sprintsync.db import UnitOfWork
from sprintsync.errors import PermissionDenied, ValidationError
from sprintsync.models import TimeEntry, User
from sprintsync.services.common import acting_user
from sprintsync.services.views import Actor

Grouping = Literal["user", "day", "week"]


def _scope(session, actor: Actor | None, user_ids: Sequence[int] | None) -> list[int] | None:
    """Which users a caller may ask about: members only themselves; None means everyone."""
    if actor is None:
        return list(user_ids) if user_ids else None
    me = acting_user(session, actor)
    if me.sees_everyone:
        return list(user_ids) if user_ids else None
    if user_ids and set(user_ids) != {me.id}:
        raise PermissionDenied("You can only see your own time.")
    return [me.id]


def check_range(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError("The end date must not be before the start date.")


def minutes_by(
    uow: UnitOfWork,
    *,
    actor: Actor | None,
    start: dt.date,
    end: dt.date,
    by: Grouping = "user",
    user_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Minutes logged from start to end (inclusive) per user, day or week (weeks start Monday)."""
    check_range(start, end)
    if by not in ("user", "day", "week"):
        raise ValidationError("Group by user, day or week.")
    with uow:
        s = uow.session
        who = _scope(s, actor, user_ids)
        minutes = func.sum(TimeEntry.minutes).label("minutes")
        if by == "user":
            key = User.username.label("user")
            query = select(key, minutes).join(User, User.id == TimeEntry.user_id)
        elif by == "day":
            key = TimeEntry.spent_on.label("day")
            query = select(key, minutes)
        else:
            key = cast(func.date_trunc("week", TimeEntry.spent_on), Date).label("week")
            query = select(key, minutes)
        query = query.where(TimeEntry.spent_on.between(start, end))
        if who is not None:
            query = query.where(TimeEntry.user_id.in_(who))
        rows = s.execute(query.group_by(key).order_by(key)).all()
        frame = pd.DataFrame(rows, columns=[by, "minutes"])
        frame["minutes"] = frame["minutes"].astype("int64")
        return frame
