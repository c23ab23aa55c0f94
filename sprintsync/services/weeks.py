"""Timesheet weeks: a person submits a week, a manager or admin approves it or sends it back
with a comment, an admin reopens an approved one with a reason. Every change of state takes
the person's time lock (see week_lock), so it is ordered with every change of their time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, aliased

from sprintsync.clock import today, tz
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import format_duration, parse_duration, shorten
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError, WeekLocked
from sprintsync.models import Timer, TimesheetWeek, User, UserDayTotal
from sprintsync.services.common import acting_user, audit, check_id, require_admin, require_lead
from sprintsync.services.common import whose as whose_id
from sprintsync.services.timelog import lock_time_of
from sprintsync.services.timesheet_views import WeekView
from sprintsync.services.views import Actor
from sprintsync.workweek import WeekState, clean_comment, submittable, week_label, week_of

WEEK_MINUTES_MAX = 7 * 24 * 60
_decider = aliased(User, name="decider")


def expected_minutes_of() -> Any:
    """SQL: a person's expected minutes a week, their own or the workspace's."""
    return func.coalesce(User.expected_week_minutes, get_settings().expected_week_minutes)


def _logged(monday: dt.date) -> Any:
    return (
        select(func.coalesce(func.sum(UserDayTotal.minutes), 0))
        .where(
            UserDayTotal.user_id == User.id,
            UserDayTotal.spent_on.between(monday, monday + dt.timedelta(days=6)),
        )
        .correlate(User)
        .scalar_subquery()
    )


def _week_query(monday: dt.date) -> Any:
    return (
        select(User, TimesheetWeek, _decider.username, _logged(monday), expected_minutes_of())
        .outerjoin(
            TimesheetWeek, and_(TimesheetWeek.user_id == User.id, TimesheetWeek.week == monday)
        )
        .outerjoin(_decider, _decider.id == TimesheetWeek.decided_by_id)
        .execution_options(populate_existing=True)
    )


def _view(
    user: User,
    row: TimesheetWeek | None,
    decider: str | None,
    logged: int,
    expected: int,
    monday: dt.date,
) -> WeekView:
    if row is None:
        state = WeekState.DRAFT if logged else WeekState.MISSING
    else:
        state = WeekState(row.state)
    return WeekView(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        week_start=monday,
        state=state,
        logged_minutes=int(logged),
        expected_minutes=int(expected),
        comment=row.comment if row else "",
        submitted_at=row.submitted_at if row else None,
        decided_by=decider,
        decided_at=row.decided_at if row else None,
        version=row.version if row else 0,
    )


def load_week(session: Session, user_id: int, monday: dt.date) -> WeekView:
    found = session.execute(_week_query(monday).where(User.id == user_id)).one_or_none()
    if found is None:
        raise NotFound(f"User #{user_id} does not exist.")
    user, row, decider, logged, expected = found
    return _view(user, row, decider, logged, expected, monday)


def week_status(
    uow: UnitOfWork, *, actor: Actor, week_start: dt.date, user_id: int | None = None
) -> WeekView:
    """The state of a week (the one holding `week_start`): your own, or anyone's for
    managers and admins."""
    monday = week_of(week_start)
    with uow:
        s = uow.session
        who = whose_id(acting_user(s, actor), user_id, "timesheet")
        return load_week(s, who, monday)


def team_weeks(uow: UnitOfWork, *, actor: Actor, week_start: dt.date) -> list[WeekView]:
    """Everyone's week (active people, and anyone who logged time in it), by name: for
    managers and admins (and the console)."""
    monday = week_of(week_start)
    with uow:
        s = uow.session
        require_lead(s, actor, "Only managers and admins can see everyone's timesheets.")
        return everyones_week(s, monday)


def everyones_week(session: Session, monday: dt.date) -> list[WeekView]:
    logged = _logged(monday)
    rows = session.execute(
        _week_query(monday)
        .where(or_(User.is_active, logged > 0, TimesheetWeek.user_id.is_not(None)))
        .order_by(func.lower(User.username))
    ).all()
    return [_view(u, row, decider, lg, ex, monday) for u, row, decider, lg, ex in rows]


def _locked_week(session: Session, user_id: int, monday: dt.date) -> TimesheetWeek | None:
    """The person's week row, after their time lock (taken first, as every writer does)."""
    lock_time_of(session, user_id)
    return session.scalars(
        select(TimesheetWeek)
        .where(TimesheetWeek.user_id == user_id, TimesheetWeek.week == monday)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()


def _set_state(
    session: Session, user_id: int, monday: dt.date, state: WeekState, **values: Any
) -> None:
    """Write the week's row (made if it has none), one version further."""
    row = {"state": state.value, "updated_at": func.now(), **values}
    session.execute(
        insert(TimesheetWeek)
        .values(user_id=user_id, week=monday, **row)
        .on_conflict_do_update(
            index_elements=[TimesheetWeek.user_id, TimesheetWeek.week],
            set_={**row, "version": TimesheetWeek.version + 1},
        )
    )


def submit_week(uow: UnitOfWork, *, actor: Actor, week_start: dt.date) -> WeekView:
    """Submit your week (once it has begun) for approval. A change to its time afterwards
    withdraws the submission; an approved week cannot be submitted again."""
    monday = week_of(week_start)
    submittable(monday, today())
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        row = _locked_week(s, me.id, monday)
        state = WeekState(row.state) if row else WeekState.DRAFT
        if state == WeekState.APPROVED:
            raise WeekLocked(f"Your {week_label(monday)} is approved already.")
        if state == WeekState.SUBMITTED:
            raise ValidationError(f"Your {week_label(monday)} is submitted already.")
        _set_state(
            s,
            me.id,
            monday,
            WeekState.SUBMITTED,
            submitted_at=func.now(),
            comment="",
            decided_by_id=None,
            decided_at=None,
        )
        week = load_week(s, me.id, monday)
        audit(
            s,
            me,
            "week.submit",
            f"user:{me.id}",
            week=monday.isoformat(),
            logged_minutes=week.logged_minutes,
        )
        uow.commit()
        return week


def _deciding(
    session: Session, actor: Actor, user_id: int, monday: dt.date, expected_version: int | None
) -> Actor:
    """A manager's or admin's decision on someone else's submitted week, as they saw it."""
    me = acting_user(session, actor)
    if not me.sees_everyone:
        raise PermissionDenied("Only managers and admins can approve or send back timesheets.")
    if check_id(user_id, "User") == me.id:
        raise PermissionDenied("Someone else must approve or send back your own timesheet.")
    person = load_week(session, user_id, monday)  # NotFound for nobody
    row = _locked_week(session, user_id, monday)
    label = f"{person.username}'s {week_label(monday)}"
    if row is None or row.state != WeekState.SUBMITTED.value:
        state = WeekState(row.state) if row else WeekState.MISSING
        if state == WeekState.DRAFT and row is not None and row.submitted_at is not None:
            raise Conflict(
                f"{label} changed after it was submitted, which withdrew the submission; "
                "nothing was decided. It can be decided once it is submitted again."
            )
        raise ValidationError(f"{label} is {state.label.lower()}, not submitted.")
    if expected_version is not None and row.version != expected_version:
        raise Conflict(
            f"{label} was submitted again after you opened it, so nothing was decided; look "
            "at it again."
        )
    timing = session.scalar(select(Timer.started_at).where(Timer.user_id == user_id))
    if timing is not None and week_of(timing.astimezone(tz()).date()) == monday:
        raise Conflict(
            f"{person.username} has a timer running in {label.split(' ', 1)[1]}: its time is "
            "not logged yet, so the week cannot be approved until it is stopped."
        )
    return me


def approve_week(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    week_start: dt.date,
    comment: str = "",
    expected_version: int | None = None,
) -> WeekView:
    """Approve someone's submitted week (managers and admins, never their own): its time is
    locked from then on. `expected_version`: the week as the approver saw it."""
    text = clean_comment(comment)
    return _decide(uow, actor, user_id, week_start, expected_version, WeekState.APPROVED, text)


def return_week(
    uow: UnitOfWork,
    *,
    actor: Actor,
    user_id: int,
    week_start: dt.date,
    comment: str,
    expected_version: int | None = None,
) -> WeekView:
    """Send someone's submitted week back to them with a comment saying what to fix."""
    text = clean_comment(comment, required=True)
    return _decide(uow, actor, user_id, week_start, expected_version, WeekState.RETURNED, text)


_DECISION_ACTIONS = {WeekState.APPROVED: "week.approve", WeekState.RETURNED: "week.return"}


def _decide(
    uow: UnitOfWork,
    actor: Actor,
    user_id: int,
    week_start: dt.date,
    expected_version: int | None,
    state: WeekState,
    comment: str,
) -> WeekView:
    """Approve or send back, audited with the time the week held when it was decided."""
    monday = week_of(week_start)
    with uow:
        s = uow.session
        me = _deciding(s, actor, user_id, monday, expected_version)
        _set_state(
            s, user_id, monday, state, comment=comment, decided_by_id=me.id, decided_at=func.now()
        )
        week = load_week(s, user_id, monday)
        audit(
            s,
            me,
            _DECISION_ACTIONS[state],
            f"user:{user_id}",
            week=monday.isoformat(),
            logged_minutes=week.logged_minutes,
            comment=comment,
        )
        uow.commit()
        return week


def reopen_week(
    uow: UnitOfWork, *, actor: Actor, user_id: int, week_start: dt.date, reason: str
) -> WeekView:
    """Reopen an approved week (admins only), with a reason its person sees and the audit
    log keeps: it is sent back to them, to change and submit again."""
    monday = week_of(week_start)
    text = clean_comment(reason, field="The reason", required=True)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        if not me.is_admin:
            raise PermissionDenied("Only admins can reopen an approved timesheet.")
        person = load_week(s, check_id(user_id, "User"), monday)
        row = _locked_week(s, user_id, monday)
        if row is None or row.state != WeekState.APPROVED.value:
            state = WeekState(row.state) if row else person.state
            raise ValidationError(
                f"{person.username}'s {week_label(monday)} is {state.label.lower()}, "
                "not approved: there is nothing to reopen."
            )
        _set_state(
            s,
            user_id,
            monday,
            WeekState.RETURNED,
            comment=text,
            decided_by_id=me.id,
            decided_at=func.now(),
        )
        audit(
            s,
            me,
            "week.reopen",
            f"user:{user_id}",
            week=monday.isoformat(),
            reason=text,
            approved_by_id=row.decided_by_id,
        )
        week = load_week(s, user_id, monday)
        uow.commit()
        return week


def set_expected_hours(
    uow: UnitOfWork, *, actor: Actor, username: str, hours: str | int | None
) -> WeekView:
    """A person's expected hours a week (admins and the console): `20h`, `37.5h`, or None /
    empty for the workspace's SPRINTSYNC_EXPECTED_WEEK_HOURS. Returns this week's view."""
    minutes = None
    if hours is not None and str(hours).strip():
        minutes = parse_duration(hours)
        if not 0 <= minutes <= WEEK_MINUTES_MAX:
            raise ValidationError(
                f"{shorten(str(hours))!r} is not a week's hours: between 0 and 168."
            )
    with uow:
        s = uow.session
        me = require_admin(s, actor)
        name = str(username)[:64].strip().lower()
        user_id = s.scalar(select(User.id).where(func.lower(User.username) == name))
        if user_id is None:
            raise NotFound(f"No user named {shorten(str(username))!r}.")
        s.execute(update(User).where(User.id == user_id).values(expected_week_minutes=minutes))
        audit(s, me, "user.expected_hours", f"user:{user_id}", minutes=minutes)
        week = load_week(s, user_id, week_of(today()))
        uow.commit()
        return week


def describe(week: WeekView) -> str:
    """One line for people: the state, the hours, who decided and what they said."""
    line = (
        f"{week.state.label}: {format_duration(week.logged_minutes)} of "
        f"{format_duration(week.expected_minutes)} expected"
    )
    if week.decided_by and week.state in (WeekState.APPROVED, WeekState.RETURNED):
        verb = "approved" if week.state == WeekState.APPROVED else "sent back"
        line += f"; {verb} by {week.decided_by}"
    return line + (f": {week.comment}" if week.comment else "")
