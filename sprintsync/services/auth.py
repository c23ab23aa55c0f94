"""Passwords, sign-in with lockout, and the server side of a signed-in session."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from functools import lru_cache
from typing import Any, NoReturn

import bcrypt
from sqlalchemy import case, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from sprintsync import metrics
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import PASSWORD_MAX, USERNAME_RE, Role
from sprintsync.errors import AuthError
from sprintsync.models import SignInFailure, User, name_digest
from sprintsync.services.common import SESSION_ENDED, a_user, audit, current_user
from sprintsync.services.views import Actor

MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 15
LOCKOUT = dt.timedelta(minutes=LOCKOUT_MINUTES)
INVALID = "Invalid username or password."
LOCKED = f"Too many failed sign-in attempts. Try again in {LOCKOUT_MINUTES} minutes."
DEACTIVATED = "This account is deactivated. Ask an admin to reactivate it."
# The refusals' messages are their contract; each maps to a bounded metric label.
_REFUSALS = {INVALID: "invalid", LOCKED: "locked", DEACTIVATED: "deactivated"}
# Longer than any username could be; what is typed beyond it is not read.
NAME_INPUT_MAX = 256
SWEEP_BATCH = 100


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


def name_key(name: str) -> bytes:
    """What the lockout counts a sign-in name under: a fixed 32 bytes whatever was typed (the
    text itself is never kept, and huge names cost nothing to store). models.name_digest is
    the same in SQL for account names."""
    return hashlib.sha256(name.lower().encode("utf-8", "surrogatepass")).digest()


def _is_locked(session: Session, key: bytes) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    SignInFailure.name_key == key, SignInFailure.locked_until > func.now()
                )
            )
        )
    )


def name_is_locked(session: Session, username: str) -> bool:
    """Whether sign-ins under this name are locked right now."""
    return _is_locked(session, name_key(username))


def lock_of(username: Any) -> Any:
    """SQL: until when sign-ins under the name in column `username` are locked (NULL when
    they are not)."""
    return (
        select(SignInFailure.locked_until)
        .where(
            SignInFailure.name_key == name_digest(username),
            SignInFailure.locked_until > func.now(),
        )
        .scalar_subquery()
    )


def _count_failure(session: Session, key: bytes) -> bool:
    """One failure for `key` in one atomic upsert (parallel guesses cannot slip past the
    count); True when the name is now locked. A failure more than LOCKOUT after the one
    before it, or after a lock ran out, starts the count again. Sweeps a few dead rows, so
    the table holds only names that failed within the last LOCKOUT."""
    row = SignInFailure.__table__.c
    stale = (row.last_failed_at <= func.now() - LOCKOUT) | (
        row.locked_until.is_not(None) & (row.locked_until <= func.now())
    )
    failures = case((stale, 1), else_=row.failures + 1)
    upsert = pg_insert(SignInFailure).values(
        name_key=key, failures=1, last_failed_at=func.now(), locked_until=None
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=[row.name_key],
        set_={
            "failures": failures,
            "last_failed_at": func.now(),
            "locked_until": case(
                (row.locked_until > func.now(), row.locked_until),
                (failures >= MAX_FAILED_LOGINS, func.now() + LOCKOUT),
                else_=None,
            ),
        },
    )
    locked = session.scalar(upsert.returning(row.locked_until.is_not(None)))
    dead = (
        select(SignInFailure.name_key)
        .where(
            SignInFailure.last_failed_at < func.now() - LOCKOUT,
            func.coalesce(SignInFailure.locked_until < func.now(), True),
        )
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(SignInFailure).where(SignInFailure.name_key.in_(dead)))
    return bool(locked)


def clear_failures(session: Session, username: str) -> None:
    """Forget the failures and any lock of this name (a sign-in, an admin's unlock or
    password reset, a reactivation)."""
    session.execute(delete(SignInFailure).where(SignInFailure.name_key == name_key(username)))


def authenticate(uow: UnitOfWork, *, username: str, password: str) -> Actor:
    """The user behind these credentials, or AuthError with a message that never says which
    of the two was wrong. Five failures within fifteen minutes lock the name for fifteen
    minutes, whether or not an account has it, on every replica (the count is in the
    database). Every attempt, from whichever door, is counted in
    sprintsync_logins_total{outcome}."""
    try:
        actor = _check_credentials(uow, username, password)
    except AuthError as error:
        metrics.logins.labels(outcome=_REFUSALS.get(error.message, "refused")).inc()
        raise
    except Exception:
        metrics.logins.labels(outcome="error").inc()
        raise
    metrics.logins.labels(outcome="success").inc()
    return actor


def _check_credentials(uow: UnitOfWork, username: str, password: str) -> Actor:
    # Capped before anything reads them: no account has a longer name, and no password
    # longer than PASSWORD_MAX can match (so the cut changes no answer).
    name = (username or "")[:NAME_INPUT_MAX].strip()
    password = (password or "")[: PASSWORD_MAX + 1]
    key = name_key(name)
    user = None
    with uow:  # read only: bcrypt below must not hold a connection or a row lock
        s = uow.session
        if USERNAME_RE.fullmatch(name):  # anything else cannot exist (and may hold a NUL)
            user = s.execute(
                select(
                    User.id,
                    User.username,
                    User.role,
                    User.password_hash,
                    User.is_active,
                    User.token_version,
                    User.must_change_password,
                ).where(func.lower(User.username) == name.lower())
            ).one_or_none()
        locked = _is_locked(s, key)
    if locked:
        _burn_time(password)
        raise AuthError(LOCKED)
    if user is None:
        _burn_time(password)
        # The typed name is not kept: people type passwords into the username field.
        _refuse(uow, key, None, "user:(unknown)", unknown=True)
    if not verify_password(password, user.password_hash):
        _refuse(uow, key, user.id, f"user:{user.username}")
    if not user.is_active:
        raise AuthError(DEACTIVATED)
    with uow:
        s = uow.session
        if _is_locked(s, key):  # locked while the password was being checked
            raise AuthError(LOCKED)
        signed_in = s.scalar(
            update(User)
            .where(User.id == user.id, User.is_active)
            .values(last_login_at=func.now())
            .returning(User.token_version)
        )
        if signed_in is None:  # deactivated meanwhile
            raise AuthError(DEACTIVATED)
        clear_failures(s, user.username)
        audit(s, user.id, "auth.sign_in", f"user:{user.username}")
        uow.commit()
        return Actor(
            user.id,
            user.username,
            Role(user.role),
            signed_in,
            must_change_password=user.must_change_password,
        )


def _refuse(
    uow: UnitOfWork, key: bytes, user_id: int | None, target: str, **details: Any
) -> NoReturn:
    """Count a failure with its audit row, in one committed transaction (the same work for a
    name with an account and one without, so neither time nor the trail tells them apart),
    then refuse the sign-in."""
    with uow:
        s = uow.session
        locked = _count_failure(s, key)
        audit(s, user_id, "auth.sign_in_failed", target, locked=locked, **details)
        uow.commit()
    raise AuthError(LOCKED if locked else INVALID)


def record_wrong_password(
    uow: UnitOfWork, user_id: int, username: str, action: str = "auth.sign_in_failed"
) -> bool:
    """Count a wrong password of a signed-in user towards their name's lockout, with an audit
    row; True when the name is now locked. Sign-in and password changes share the count, so
    the Account page is no way around the lockout."""
    with uow:
        s = uow.session
        locked = _count_failure(s, name_key(username))
        audit(s, user_id, action, f"user:{username}", locked=locked)
        uow.commit()
    return locked


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
