"""The first admin, created from the environment when the database has none."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import Role
from sprintsync.models import User
from sprintsync.services.user_rows import insert_user, prepare_user
from sprintsync.services.views import UserView

# Serialises first-admin bootstrap between processes starting together.
BOOTSTRAP_LOCK_KEY = 0x5350_4144_4D4E  # "SPADMN"


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
    new = prepare_user(username=username, password=password)
    with uow:
        s = uow.session
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BOOTSTRAP_LOCK_KEY})
        if _admin_or_name_exists(s, username):  # another process got there meanwhile
            return None
        view = insert_user(s, None, new, role=Role.ADMIN, action="user.bootstrap")
        uow.commit()
        return view
