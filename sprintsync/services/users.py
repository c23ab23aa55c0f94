"""Accounts: sign-up, the admin's user management, own password and profile."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    PASSWORD_MAX,
    SKILLS_MAX,
    UNSET,
    Role,
    Unset,
    clean_email,
    clean_full_name,
    clean_password,
    clean_text,
)
from sprintsync.errors import AuthError, Conflict, PermissionDenied, ValidationError
from sprintsync.models import User, UserDayTotal
from sprintsync.services import auth
from sprintsync.services.auth import hash_password, verify_password
from sprintsync.services.common import (
    acting_user,
    audit,
    operator_or_user,
    require_admin,
    user_view,
)
from sprintsync.services.user_rows import find_user, insert_user, prepare_user
from sprintsync.services.views import Actor, NewCredentials, Person, UserView

# Serialises role and active-state changes, so "is another active admin left?" is answered
# by one change at a time (locking admin rows instead let two admins removing each other
# lock in opposite orders and deadlock).
ADMIN_CHANGES_LOCK_KEY = 0x5350_4144_4348  # "SPADCH"


def _admin_first(uow: UnitOfWork, actor: Actor, username: str | None = None) -> None:
    """Refuse a non-admin (and, given `username`, a missing user) in a short read-only
    transaction, before any bcrypt work is spent on the request."""
    with uow:
        require_admin(uow.session, actor)
        if username is not None:
            find_user(uow.session, username)


def register(
    uow: UnitOfWork,
    *,
    username: str,
    password: str,
    full_name: str = "",
    email: str | None = None,
) -> UserView:
    """Self sign-up: always a member, and only while sign-up is open."""
    if not get_settings().signup_open:
        raise PermissionDenied("Sign-up is closed; ask an admin to create your account.")
    new = prepare_user(username=username, password=password, full_name=full_name, email=email)
    with uow:
        view = insert_user(uow.session, None, new, role=Role.MEMBER, action="user.register")
        uow.commit()
        return view


def create_user(
    uow: UnitOfWork,
    *,
    actor: Actor,
    username: str,
    role: Role | str = Role.MEMBER,
    password: str | None = None,
    full_name: str = "",
    email: str | None = None,
) -> NewCredentials:
    """Admin creates an account; without a password (None) one is generated (and returned
    once). An empty password is refused like any short one: the operator piped nothing in,
    and an account nobody knows the password of must not be created quietly. Admins, and
    the console operator (CONSOLE)."""
    _admin_first(uow, actor)
    role = Role.parse(role)
    password = generate_password() if password is None else password
    new = prepare_user(username=username, password=password, full_name=full_name, email=email)
    with uow:
        s = uow.session
        admin = require_admin(s, actor)
        actor_id = None if admin.is_console else admin.id
        view = insert_user(s, actor_id, new, role=role, action="user.create")
        # Its owner replaces it when they first sign in with it.
        s.execute(update(User).where(User.id == view.id).values(must_change_password=True))
        uow.commit()
        return NewCredentials(view, password)


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def list_users(uow: UnitOfWork, *, actor: Actor) -> list[UserView]:
    """Everyone with their total time logged, for the admin page and the CLI."""
    with uow:
        s = uow.session
        require_admin(s, actor)
        # From the per-day rollup (a row per person per day), not every entry: the admin page
        # reruns this on each click.
        totals = (
            select(UserDayTotal.user_id, func.sum(UserDayTotal.minutes).label("minutes"))
            .group_by(UserDayTotal.user_id)
            .subquery()
        )
        rows = s.execute(
            select(User, func.coalesce(totals.c.minutes, 0), auth.lock_of(User.username))
            .outerjoin(totals, totals.c.user_id == User.id)
            .order_by(func.lower(User.username))
        ).all()
        return [user_view(user, minutes, locked) for user, minutes, locked in rows]


def directory(uow: UnitOfWork, *, actor: Actor) -> list[Person]:
    """Active users, for choosing an assignee or filtering by person."""
    with uow:
        s = uow.session
        acting_user(s, actor)
        rows = s.execute(
            select(User.id, User.username, User.full_name, User.role, User.is_active)
            .where(User.is_active)
            .order_by(func.lower(User.username))
        ).all()
        return [Person(r.id, r.username, r.full_name, Role(r.role), r.is_active) for r in rows]


def get_user(uow: UnitOfWork, *, actor: Actor, username: str) -> UserView:
    """Your own account, or anyone's for managers, admins and the console."""
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        if not me.sees_everyone and me.username.lower() != username.strip().lower():
            raise PermissionDenied("You can only look up your own account.")
        user = find_user(s, username)
        return user_view(
            user,
            locked_until=s.scalar(select(auth.lock_of(User.username)).where(User.id == user.id)),
        )


def actor_for(uow: UnitOfWork, *, username: str) -> Actor:
    """The actor a console operator acts as (`--as NAME`); deactivated users are refused."""
    with uow:
        user = find_user(uow.session, username)
        if not user.is_active:
            raise AuthError(f"The account {user.username!r} is deactivated.")
        return Actor(user.id, user.username, Role(user.role), user.token_version)


def _admin_changes_in_turn(session: Session) -> None:
    """Wait for any other role or active-state change to finish. Taken first, so even the
    acting admin's own standing is read after the change before this one."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADMIN_CHANGES_LOCK_KEY})


def _active_admins_besides(session: Session, user_id: int) -> int:
    # No row locks needed: every change that could alter this count holds the advisory lock.
    return session.execute(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, User.is_active, User.id != user_id)
    ).scalar_one()


def set_role(uow: UnitOfWork, *, actor: Actor, username: str, role: Role | str) -> UserView:
    role = Role.parse(role)
    with uow:
        s = uow.session
        _admin_changes_in_turn(s)
        admin = require_admin(s, actor)
        user = find_user(s, username, lock=True)
        if (
            user.role == Role.ADMIN.value
            and role != Role.ADMIN
            and not _active_admins_besides(s, user.id)
        ):
            raise ValidationError("There must be at least one active admin.")
        old = user.role
        user.role = role.value
        audit(s, admin, "user.set_role", f"user:{user.username}", old=old, new=role.value)
        s.flush()
        view = user_view(user)
        uow.commit()
        return view


def set_active(uow: UnitOfWork, *, actor: Actor, username: str, active: bool) -> UserView:
    """Deactivate (which ends their sessions) or reactivate an account."""
    with uow:
        s = uow.session
        _admin_changes_in_turn(s)
        admin = require_admin(s, actor)
        user = find_user(s, username, lock=True)
        if not active:
            if user.id == admin.id:
                raise ValidationError("You cannot deactivate your own account.")
            if user.role == Role.ADMIN.value and not _active_admins_besides(s, user.id):
                raise ValidationError("There must be at least one active admin.")
        if user.is_active != active:
            user.is_active = active
            if active:
                auth.clear_failures(s, user.username)
            else:
                user.token_version = User.token_version + 1
            audit(
                s,
                admin,
                "user.reactivate" if active else "user.deactivate",
                f"user:{user.username}",
            )
        s.flush()
        s.refresh(user)
        view = user_view(user)
        uow.commit()
        return view


OWN_RESET = (
    "You cannot reset your own password here: it would sign you out before you saw the new "
    "one. Change it on your Account page (or ask another admin, or the console, to reset it)."
)


def reset_password(uow: UnitOfWork, *, actor: Actor, username: str) -> NewCredentials:
    """A new temporary password, returned once; it also lifts a lockout and ends sessions.
    Never your own (OWN_RESET): that would end the very session the password is shown in."""
    _admin_first(uow, actor, username)
    if not actor.is_console and actor.username.lower() == username.strip().lower():
        raise ValidationError(OWN_RESET)
    password = generate_password()
    password_hash = hash_password(password)
    with uow:
        s = uow.session
        admin = require_admin(s, actor)
        user = find_user(s, username, lock=True)
        if user.id == admin.id:
            raise ValidationError(OWN_RESET)
        user.password_hash = password_hash
        auth.clear_failures(s, user.username)
        user.token_version = User.token_version + 1
        user.must_change_password = True
        audit(s, admin, "user.reset_password", f"user:{user.username}")
        s.flush()
        s.refresh(user)
        view = user_view(user)
        uow.commit()
        return NewCredentials(view, password)


def unlock(uow: UnitOfWork, *, actor: Actor, username: str) -> UserView:
    """Lift a sign-in lockout now (admins, for anyone including themselves, and the console):
    guessing five times locks any name, an admin's too, so an admin still signed in, or the
    operator, can undo it without waiting or resetting the password."""
    with uow:
        s = uow.session
        admin = require_admin(s, actor)
        user = find_user(s, username)
        auth.clear_failures(s, user.username)
        audit(s, admin, "user.unlock", f"user:{user.username}")
        view = user_view(user)
        uow.commit()
        return view


def change_password(
    uow: UnitOfWork, *, actor: Actor, current_password: str, new_password: str
) -> Actor:
    """Own password; the returned actor carries the new token version (other sessions end).
    The checks and the new hash (three bcrypt runs) happen outside any transaction; the write
    then replaces only the hash they were made against."""
    new_password = clean_password(new_password)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        old_hash = s.execute(select(User.password_hash).where(User.id == actor.id)).scalar_one()
        locked = auth.name_is_locked(s, me.username)
    if locked:
        raise AuthError(auth.LOCKED)
    # Capped like a sign-in's: nothing longer than PASSWORD_MAX can be the current password.
    if not verify_password((current_password or "")[: PASSWORD_MAX + 1], old_hash):
        if auth.record_wrong_password(uow, me.id, me.username, "user.change_password_failed"):
            raise AuthError(auth.LOCKED)
        raise AuthError("The current password is not correct.")
    if verify_password(new_password, old_hash):
        raise ValidationError("The new password must differ from the current one.")
    new_hash = hash_password(new_password)
    with uow:
        s = uow.session
        acting_user(s, actor)
        changed = s.execute(
            update(User)
            .where(User.id == actor.id, User.password_hash == old_hash)
            .values(
                password_hash=new_hash,
                token_version=User.token_version + 1,
                must_change_password=False,
            )
            .returning(User.username, User.role, User.token_version)
        ).one_or_none()
        if changed is None:
            raise Conflict(
                "Your password was changed elsewhere while this change was being made, so it "
                "was not changed again. Sign in with the newer password and try once more."
            )
        audit(s, actor, "user.change_password", f"user:{changed.username}")
        uow.commit()
        return Actor(actor.id, changed.username, Role(changed.role), changed.token_version)


def update_profile(
    uow: UnitOfWork,
    *,
    actor: Actor,
    full_name: str,
    email: str | None,
    skills: str | Unset = UNSET,
) -> UserView:
    """Own name and email; skills only when given (a form without them keeps them)."""
    values = {
        "full_name": clean_full_name(full_name),
        "email": clean_email(email),
    }
    if skills is not UNSET:
        values["skills"] = clean_text(skills, field="Skills", max_len=SKILLS_MAX)
    with uow:
        s = uow.session
        acting_user(s, actor)
        s.execute(update(User).where(User.id == actor.id).values(**values))
        audit(s, actor, "user.update_profile", f"user:{actor.username}")
        user = s.get(User, actor.id, populate_existing=True)
        assert user is not None
        view = user_view(user)
        uow.commit()
        return view
