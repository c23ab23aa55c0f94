"""Accounts: sign-up, the admin's user management, own password, the first admin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    SKILLS_MAX,
    UNSET,
    USERNAME_RE,
    Role,
    clean_email,
    clean_full_name,
    clean_password,
    clean_text,
    clean_username,
    shorten,
)
from sprintsync.errors import AuthError, Conflict, NotFound, PermissionDenied, ValidationError
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
from sprintsync.services.views import Actor, NewCredentials, Person, UserView

# Serialises first-admin bootstrap between processes starting together.
BOOTSTRAP_LOCK_KEY = 0x5350_4144_4D4E  # "SPADMN"
# Serialises role and active-state changes, so "is another active admin left?" is answered
# by one change at a time (locking admin rows instead let two admins removing each other
# lock in opposite orders and deadlock).
ADMIN_CHANGES_LOCK_KEY = 0x5350_4144_4348  # "SPADCH"


def _find(session: Session, username: str, *, lock: bool = False) -> User:
    name = (username or "").strip()
    user = None
    if USERNAME_RE.fullmatch(name):  # anything else cannot exist (and may hold a NUL)
        query = select(User).where(func.lower(User.username) == name.lower())
        user = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if user is None:
        raise NotFound(f"No user named {shorten(name)!r}.")
    return user


@dataclass(frozen=True, slots=True)
class _NewUser:
    """A new account's fields, checked, with the password already hashed: bcrypt takes a
    quarter second at cost 12 and runs before the transaction, holding no pooled connection."""

    username: str
    password_hash: str
    full_name: str
    email: str | None


def _prepare(
    *, username: str, password: str, full_name: str = "", email: str | None = None
) -> _NewUser:
    username = clean_username(username)
    password = clean_password(password)
    full_name = clean_full_name(full_name)
    return _NewUser(username, hash_password(password), full_name, clean_email(email))


def _insert(
    session: Session, actor_id: int | None, new: _NewUser, *, role: Role, action: str
) -> UserView:
    username = new.username
    taken = session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken:
        raise Conflict(f"The username {username!r} is already taken.")
    user = User(
        username=username,
        password_hash=new.password_hash,
        role=role.value,
        full_name=new.full_name,
        email=new.email,
        skills="",
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:  # lost a race with a concurrent sign-up of the same name
        raise Conflict(f"The username {username!r} is already taken.") from error
    audit(session, actor_id or user.id, action, f"user:{username}", role=role.value)
    session.refresh(user)
    return user_view(user)


def _admin_first(uow: UnitOfWork, actor: Actor, username: str | None = None) -> None:
    """Refuse a non-admin (and, given `username`, a missing user) in a short read-only
    transaction, before any bcrypt work is spent on the request."""
    with uow:
        require_admin(uow.session, actor)
        if username is not None:
            _find(uow.session, username)


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
    new = _prepare(username=username, password=password, full_name=full_name, email=email)
    with uow:
        view = _insert(uow.session, None, new, role=Role.MEMBER, action="user.register")
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
    new = _prepare(username=username, password=password, full_name=full_name, email=email)
    with uow:
        s = uow.session
        admin = require_admin(s, actor)
        actor_id = None if admin.is_console else admin.id
        view = _insert(s, actor_id, new, role=role, action="user.create")
        s.get(User, view.id).must_change_password = True  # its owner replaces it at sign-in
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
            select(User, func.coalesce(totals.c.minutes, 0))
            .outerjoin(totals, totals.c.user_id == User.id)
            .order_by(func.lower(User.username))
        ).all()
        return [user_view(user, minutes) for user, minutes in rows]


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
        return user_view(_find(s, username))


def actor_for(uow: UnitOfWork, *, username: str) -> Actor:
    """The actor a console operator acts as (`--as NAME`); deactivated users are refused."""
    with uow:
        user = _find(uow.session, username)
        if not user.is_active:
            raise AuthError(f"The account {user.username!r} is deactivated.")
        return Actor(user.id, user.username, Role(user.role), user.token_version)


def _admin_changes_in_turn(session: Session) -> None:
    """Wait for any other role or active-state change to finish. Taken first, so even the
    acting admin's own standing is read after the change before this one."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADMIN_CHANGES_LOCK_KEY})


def _active_admins_besides(session: Session, user_id: int) -> int:
    # No row locks needed: every change that could alter this count holds the advisory lock.
    return session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, User.is_active, User.id != user_id)
    )


def set_role(uow: UnitOfWork, *, actor: Actor, username: str, role: Role | str) -> UserView:
    role = Role.parse(role)
    with uow:
        s = uow.session
        _admin_changes_in_turn(s)
        admin = require_admin(s, actor)
        user = _find(s, username, lock=True)
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
        user = _find(s, username, lock=True)
        if not active:
            if user.id == admin.id:
                raise ValidationError("You cannot deactivate your own account.")
            if user.role == Role.ADMIN.value and not _active_admins_besides(s, user.id):
                raise ValidationError("There must be at least one active admin.")
        if user.is_active != active:
            user.is_active = active
            if active:
                user.failed_logins, user.locked_until = 0, None
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


def reset_password(uow: UnitOfWork, *, actor: Actor, username: str) -> NewCredentials:
    """A new temporary password, returned once; it also lifts a lockout and ends sessions."""
    _admin_first(uow, actor, username)
    password = generate_password()
    password_hash = hash_password(password)
    with uow:
        s = uow.session
        admin = require_admin(s, actor)
        user = _find(s, username, lock=True)
        user.password_hash = password_hash
        user.failed_logins, user.locked_until = 0, None
        user.token_version = User.token_version + 1
        user.must_change_password = True
        audit(s, admin, "user.reset_password", f"user:{user.username}")
        s.flush()
        s.refresh(user)
        view = user_view(user)
        uow.commit()
        return NewCredentials(view, password)


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
        old_hash, locked = s.execute(
            select(User.password_hash, func.coalesce(User.locked_until > func.now(), False)).where(
                User.id == actor.id
            )
        ).one()
    if locked:
        raise AuthError(auth.LOCKED)
    if not verify_password(current_password or "", old_hash):
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
    skills: str | object = UNSET,
) -> UserView:
    """Own name and email; skills only when given (a form without them keeps them)."""
    values = {
        "full_name": clean_full_name(full_name),
        "email": clean_email(email),
    }
    if skills is not UNSET:
        values["skills"] = clean_text(skills, field="Skills", max_len=SKILLS_MAX)  # type: ignore[arg-type]
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


def _admin_or_name_exists(session: Session, username: str) -> bool:
    if session.scalar(select(User.id).where(User.role == Role.ADMIN.value).limit(1)):
        return True
    name_taken = select(User.id).where(func.lower(User.username) == username.lower())
    return session.scalar(name_taken) is not None


def bootstrap_admin(uow: UnitOfWork, *, username: str, password: str) -> UserView | None:
    """Create the first admin when there is none. Never touches an existing account: if the
    name is taken, or any admin exists, nothing changes and None is returned."""
    with uow:  # the usual answer on every start, found without spending bcrypt work
        if _admin_or_name_exists(uow.session, username):
            return None
    new = _prepare(username=username, password=password)
    with uow:
        s = uow.session
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BOOTSTRAP_LOCK_KEY})
        if _admin_or_name_exists(s, username):  # another process got there meanwhile
            return None
        view = _insert(s, None, new, role=Role.ADMIN, action="user.bootstrap")
        uow.commit()
        return view
