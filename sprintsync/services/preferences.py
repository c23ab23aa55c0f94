"""A person's own settings for the helpers: focus hours for the day plan (users.focus_minutes,
migration 0008; None means SPRINTSYNC_FOCUS_HOURS)."""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import parse_duration, shorten
from sprintsync.errors import ValidationError
from sprintsync.models import FOCUS_MINUTES_MAX, FOCUS_MINUTES_MIN, User, UserDayTotal
from sprintsync.services.common import acting_user, audit
from sprintsync.services.views import Actor

FOCUS_INPUT_MAX = 16


def default_focus_minutes() -> int:
    return round(get_settings().focus_hours * 60)


def focus_minutes(session: Session, user_id: int) -> int:
    """The person's focus time for a day, in minutes."""
    own = session.scalar(select(User.focus_minutes).where(User.id == user_id))
    return own if own is not None else default_focus_minutes()


def logged_on(session: Session, user_id: int, day: dt.date) -> int:
    """Minutes the person logged on `day` (the daily rollup)."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(UserDayTotal.minutes), 0)).where(
                UserDayTotal.user_id == user_id, UserDayTotal.spent_on == day
            )
        )
        or 0
    )


def parse_focus(value: str | float | int | None) -> int | None:
    """Minutes from '5', '5.5', '5h30m', '330m' (a bare number is hours); None or '' for
    the default."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError("Focus hours must be a number such as 5 or 5.5.")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValidationError("Focus hours must be a number such as 5 or 5.5.")
        minutes = round(value * 60)
    else:
        text = value.strip()
        if len(text) > FOCUS_INPUT_MAX:
            raise ValidationError("Focus hours must be a number such as 5 or 5.5.")
        try:
            minutes = round(float(text) * 60) if _plain_number(text) else parse_duration(text)
        except ValidationError:
            raise ValidationError(
                f"Could not read {shorten(text)!r} as focus hours; try 5, 5.5 or 5h30m."
            ) from None
    if not FOCUS_MINUTES_MIN <= minutes <= FOCUS_MINUTES_MAX:
        raise ValidationError(
            f"Focus time must be between {FOCUS_MINUTES_MIN // 60 or 0.5:g} and "
            f"{FOCUS_MINUTES_MAX // 60} hours a day."
        )
    return int(minutes)


def _plain_number(text: str) -> bool:
    digits = text.replace(".", "", 1).replace(",", "", 1)
    return bool(digits) and digits.isascii() and digits.isdigit()


def get_focus(uow: UnitOfWork, *, actor: Actor) -> tuple[int, bool]:
    """Your focus minutes a day, and whether they are your own choice (else the default)."""
    with uow:
        me = acting_user(uow.session, actor)
        own = uow.session.scalar(select(User.focus_minutes).where(User.id == me.id))
        return (own if own is not None else default_focus_minutes()), own is not None


def set_focus_hours(uow: UnitOfWork, *, actor: Actor, hours: str | float | None) -> int:
    """Set your own focus time for the day plan (None or '' goes back to the default);
    returns the minutes now in force."""
    minutes = parse_focus(hours.replace(",", ".") if isinstance(hours, str) else hours)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        s.execute(update(User).where(User.id == me.id).values(focus_minutes=minutes))
        audit(s, me, "user.set_focus", f"user:{me.username}", focus_minutes=minutes)
        uow.commit()
    return minutes if minutes is not None else default_focus_minutes()
