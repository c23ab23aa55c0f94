"""Passwords, sign-in with lockout, and the server side of a signed-in session."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from functools import lru_cache

import bcrypt
from sqlalchemy import case, func, select, update

from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import USERNAME_RE, Role
from sprintsync.errors import AuthError
from sprintsync.models import User
from sprintsync.services.common import SESSION_ENDED, a_user, audit, current_user
from sprintsync.services.views import Actor

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
LOCKOUT = dt.timedelta(minutes=LOCKOUT_MINUTES)
INVALID = "Invalid username or password."
LOCKED = f"Too many failed sign-in attempts. Try again in {LOCKOUT_MINUTES} minutes."
DEACTIVATED = "This account is deactivated. Ask an admin to reactivate it."


def _prehash(password: str) -> bytes:
    # bcrypt reads at most 72 bytes (bcrypt 5 refuses more); a SHA-256 digest keeps all 128
    # allowed characters significant. base64 keeps NUL bytes out of what bcrypt sees.
    # surrogatepass: a password typed with undecodable bytes is a failed check, not a crash.
    return base64.b64encode(hashlib.sha256(password.encode("utf-8", "surrogatepass")).digest())


def hash_password(password: str, rounds: int | None = None) -> str:
    salt = bcrypt.gensalt(rounds or get_settings().bcrypt_rounds)
    return bcrypt.hashpw(_prehash(password), salt).decode("ascii")


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bcrypt.checkpw(_prehash(password), password_hash.encode("ascii"))
    except ValueError:  # a malformed hash is a failed check, not a crash
        return False


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> str:
    return hash_password("not-a-real-password", rounds)


def warm_up() -> None:
    """Make the dummy hash now, so the first unknown-user sign-in costs no more than others."""
    _dummy_hash(get_settings().bcrypt_rounds)


def _burn_time(password: str) -> None:
    """Spend what a real check costs, so timing does not tell unknown users from known ones."""
    verify_password(password, _dummy_hash(get_settings().bcrypt_rounds))


class _UnknownNameFailures:
    """Failures for usernames that do not exist, counted like real ones so that the lockout
    message cannot be used to learn which usernames exist. Per process and bounded."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._lock = threading.Lock()
        self._seen: OrderedDict[bytes, tuple[int, float]] = OrderedDict()
        self._capacity = capacity

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def fail(self, name: bytes) -> bool:
        """Count one failure; True when the name is now locked."""
        now = time.monotonic()
        with self._lock:
            count, locked_until = self._seen.pop(name, (0, 0.0))
            if locked_until and locked_until <= now:
                count, locked_until = 0, 0.0
            if locked_until > now:
                self._seen[name] = (count, locked_until)
                return True
            count += 1
            if count >= MAX_FAILED_LOGINS:
                locked_until = now + LOCKOUT_MINUTES * 60
            self._seen[name] = (count, locked_until)
            while len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return locked_until > now


_unknown = _UnknownNameFailures()


def _key(name: str) -> bytes:
    """What the unknown-name counter keeps: a fixed 32 bytes whatever was typed, so that
    sign-ins with huge usernames cannot make the process hold them."""
    return hashlib.sha256(name.lower().encode("utf-8", "surrogatepass")).digest()


def authenticate(uow: UnitOfWork, *, username: str, password: str) -> Actor:
    """The user behind these credentials, or AuthError with a message that never says which
    of the two was wrong. Five failures lock the account for fifteen minutes."""
    name = (username or "").strip()
    password = password or ""
    user = None
    with uow:  # read only: bcrypt below must not hold a connection or a row lock
        if USERNAME_RE.fullmatch(name):  # anything else cannot exist (and may hold a NUL)
            user = uow.session.execute(
                select(
                    User.id,
                    User.username,
                    User.role,
                    User.password_hash,
                    User.is_active,
                    User.token_version,
                    User.must_change_password,
                    func.coalesce(User.locked_until > func.now(), False).label("locked"),
                ).where(func.lower(User.username) == name.lower())
            ).one_or_none()
    if user is None:
        _burn_time(password)
        if _unknown.fail(_key(name)):
            raise AuthError(LOCKED)
        _record_unknown_failure(uow)
    if user.locked:
        _burn_time(password)
        raise AuthError(LOCKED)
    if not verify_password(password, user.password_hash):
        _record_failure(uow, user.id, user.username)
    if not user.is_active:
        raise AuthError(DEACTIVATED)
    with uow:
        s = uow.session
        signed_in = s.scalar(
            update(User)
            .where(User.id == user.id, User.is_active, _not_locked())
            .values(failed_logins=0, locked_until=None, last_login_at=func.now())
            .returning(User.token_version)
        )
        if signed_in is None:  # locked or deactivated while the password was being checked
            raise AuthError(LOCKED)
        audit(s, user.id, "auth.sign_in", f"user:{user.username}")
        uow.commit()
        return Actor(
            user.id,
            user.username,
            Role(user.role),
            signed_in,
            must_change_password=user.must_change_password,
        )


def _not_locked():
    return func.coalesce(User.locked_until <= func.now(), True)


def _record_failure(uow: UnitOfWork, user_id: int, username: str) -> None:
    """Count a failure, then refuse the sign-in."""
    raise AuthError(LOCKED if record_wrong_password(uow, user_id, username) else INVALID)


def record_wrong_password(
    uow: UnitOfWork, user_id: int, username: str, action: str = "auth.sign_in_failed"
) -> bool:
    """Count a wrong password in one atomic UPDATE (safe against concurrent attempts), with an
    audit row; True when the account is now locked. Sign-in and password changes share the
    count, so the Account page is no way around the lockout."""
    lock_over = User.locked_until.is_not(None) & (User.locked_until <= func.now())
    failures = case((lock_over, 1), else_=User.failed_logins + 1)
    with uow:
        s = uow.session
        now_locked = s.scalar(
            update(User)
            .where(User.id == user_id)
            .values(
                failed_logins=failures,
                locked_until=case(
                    (User.locked_until > func.now(), User.locked_until),
                    (failures >= MAX_FAILED_LOGINS, func.now() + LOCKOUT),
                    else_=None,
                ),
            )
            .returning(User.locked_until.is_not(None))
        )
        audit(s, user_id, action, f"user:{username}", locked=bool(now_locked))
        uow.commit()
    return bool(now_locked)


def _record_unknown_failure(uow: UnitOfWork) -> None:
    """A failure for a name that does not exist, written like a real one's (one committed
    transaction) so that neither the time taken nor the audit trail tells them apart. The
    typed name is not kept: people type passwords into the username field."""
    with uow:
        audit(uow.session, None, "auth.sign_in_failed", "user:(unknown)", unknown=True)
        uow.commit()
    raise AuthError(INVALID)


def resume_session(uow: UnitOfWork, *, user_id: int, token_version: int) -> Actor:
    """The actor for a session token, refused once the user signed out, was deactivated or had
    their password reset (each bumps token_version)."""
    with uow:
        me = current_user(uow.session, user_id)
        if me.token_version != token_version:
            raise AuthError(SESSION_ENDED)
        return me


def sign_out(uow: UnitOfWork, *, actor: Actor) -> None:
    """End every session of this user: tokens issued before now stop working. Works even
    for a deactivated user: it only takes access away."""
    actor = a_user(actor)
    with uow:
        s = uow.session
        s.execute(
            update(User).where(User.id == actor.id).values(token_version=User.token_version + 1)
        )
        audit(s, actor, "auth.sign_out", f"user:{actor.username}")
        uow.commit()
