"""What every service needs: the acting user re-read from the database, the audit trail, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sprintsync.domain import Role
from sprintsync.errors import AuthError, NotFound, PermissionDenied, ValidationError
from sprintsync.models import AuditLog, User
from sprintsync.services.views import Actor, UserView

SESSION_ENDED = "Your session has ended; please sign in again."
# Ids are PostgreSQL `integer` columns: a larger number cannot name a row, and binding one
# fails the statement ("integer out of range") instead of finding nothing.
ID_MAX = 2**31 - 1
PAGE_MAX = 1_000_000


def current_user(session: Session, user_id: int) -> Actor:
    """The active user `user_id` as the database knows them now (AuthError if not active)."""
    if not 0 < user_id <= ID_MAX:
        raise AuthError("Your account is not active; sign in again or ask an admin.")
    row = session.execute(
        select(
            User.id,
            User.username,
            User.role,
            User.is_active,
            User.token_version,
            User.must_change_password,
        ).where(User.id == user_id)
    ).one_or_none()
    if row is None or not row.is_active:
        raise AuthError("Your account is not active; sign in again or ask an admin.")
    return Actor(
        row.id,
        row.username,
        Role(row.role),
        row.token_version,
        must_change_password=row.must_change_password,
    )


CONSOLE_NEEDS_A_USER = "That is done as a user: pass --as NAME."


def a_user(actor: Actor) -> Actor:
    """`actor` if it names a user (not yet re-read): None (a forgotten argument) and the
    console operator are refused, so neither ever acts as somebody."""
    if not isinstance(actor, Actor):
        raise AuthError(SESSION_ENDED)
    if actor.is_console:
        raise PermissionDenied(CONSOLE_NEEDS_A_USER)
    return actor


def acting_user(session: Session, actor: Actor) -> Actor:
    """The actor as the database knows them now: role changes and deactivation apply at once,
    and a session ended since the actor was issued (sign-out, password change or reset bump
    token_version) is refused here too, not only by the app's sign-in gate: a button's
    callback runs before the gate re-checks the session. Anything but a signed-in user's
    Actor (None, CONSOLE) is refused: a forgotten argument never acts."""
    me = current_user(session, a_user(actor).id)
    if me.token_version != actor.token_version:
        raise AuthError(SESSION_ENDED)
    return me


def whose(me: Actor, user_id: int | None, what: str) -> int:
    """The user whose `what` (entries, timesheet) `me` asks for: themselves by default, anyone
    for managers and admins."""
    who = me.id if user_id is None else user_id
    if who != me.id and not me.sees_everyone:
        raise PermissionDenied(f"You can only see your own {what}.")
    return check_id(who, "User")


def check_id(value: int, what: str) -> int:
    """`value` if it can be the id of a row; NotFound (what a missing row gives) otherwise."""
    if not 0 < value <= ID_MAX:
        raise NotFound(f"{what} #{value} does not exist.")
    return value


def page_number(page: int) -> int:
    """A page of a listing, 1 to PAGE_MAX (below 1 means the first)."""
    page = max(1, int(page))
    if page > PAGE_MAX:
        raise ValidationError(f"Page must be between 1 and {PAGE_MAX}.")
    return page


# How a task listing may be sorted. Each ends on the id, so ties never shuffle between pages;
# only "changed" moves a task when it changes.
def operator_or_user(session: Session, actor: Actor) -> Actor:
    """For what the console operator may do as well as users: CONSOLE as it is, a user as the
    database knows them now (acting_user)."""
    if isinstance(actor, Actor) and actor.is_console:
        return actor
    return acting_user(session, actor)


def require_admin(session: Session, actor: Actor) -> Actor:
    """An admin (or the console operator), re-read; PermissionDenied for anyone else."""
    me = operator_or_user(session, actor)
    if not me.is_admin:
        raise PermissionDenied("Only admins can do that.")
    return me


def require_lead(session: Session, actor: Actor, refusal: str) -> Actor:
    """A manager or admin (or the console operator), re-read; PermissionDenied(refusal) else."""
    me = operator_or_user(session, actor)
    if not me.sees_everyone:
        raise PermissionDenied(refusal)
    return me


def audit(
    session: Session,
    actor: Actor | int | None,
    action: str,
    target: str = "",
    **details: Any,
) -> None:
    """One audit row in the caller's transaction; the console operator and sign-in attempts
    for unknown names have no actor id."""
    actor_id = (None if actor.is_console else actor.id) if isinstance(actor, Actor) else actor
    session.execute(
        insert(AuditLog).values(
            actor_id=actor_id, action=action, target=target[:200], details=details
        )
    )


def user_view(
    user: User, total_minutes: int = 0, locked_until: dt.datetime | None = None
) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        role=Role(user.role),
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        locked_until=locked_until,
        total_minutes=int(total_minutes or 0),
    )
