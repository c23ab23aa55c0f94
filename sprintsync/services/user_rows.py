"""Account rows for the services: finding a user by name, and writing a new one (checked,
its password hashed before any transaction)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sprintsync.domain import (
    USERNAME_RE,
    Role,
    clean_email,
    clean_full_name,
    clean_password,
    clean_username,
    shorten,
)
from sprintsync.errors import Conflict, NotFound
from sprintsync.models import User
from sprintsync.services.auth import hash_password
from sprintsync.services.common import audit, user_view
from sprintsync.services.views import UserView


def find_user(session: Session, username: str, *, lock: bool = False) -> User:
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


def prepare_user(
    *, username: str, password: str, full_name: str = "", email: str | None = None
) -> _NewUser:
    username = clean_username(username)
    password = clean_password(password)
    full_name = clean_full_name(full_name)
    return _NewUser(username, hash_password(password), full_name, clean_email(email))


def insert_user(
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
