"""Personal access tokens for the HTTP API: made, listed and revoked by their owner; a
request's token becomes its owner as an Actor here, counted against the token's rate limit.

Only a SHA-256 of the secret is stored: a copy of the database holds no usable token. The
secret is random (secrets.token_urlsafe, 256 bits), so a plain hash is enough; a slow hash
like bcrypt guards guessable passwords and would cost every API request 0.2 s.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from sprintsync import clock
from sprintsync.db import UnitOfWork
from sprintsync.domain import clean_line, counted
from sprintsync.errors import AuthError, NotFound, PermissionDenied, RateLimited, ValidationError
from sprintsync.models import ApiToken, User
from sprintsync.planning import parse_day
from sprintsync.services.common import acting_user, audit, check_id, current_user
from sprintsync.services.limits import hit
from sprintsync.services.views import Actor, NewToken, TokenActor, TokenView

SECRET_PREFIX = "sst_"  # noqa: S105 (what every secret starts with)
PREFIX_LENGTH = len(SECRET_PREFIX) + 8  # what the owner sees to tell tokens apart
# The longest text that could be a token: anything longer is refused before it is hashed.
SECRET_MAX = 100
NAME_MAX = 80
SCOPES = ("read", "write")
# Live (not revoked) tokens a person may hold: enough for every laptop, hook and CI job.
LIVE_MAX = 50
EXPIRY_MAX_DAYS = 366

INVALID = "This API token is not valid; create a new one on the Account page."
REVOKED = "This API token has been revoked; create a new one on the Account page."
EXPIRED = "This API token has expired; create a new one on the Account page."
READ_ONLY = "This API token is read-only; create a read-write token to make changes."
CHANGE_PASSWORD = "Choose a new password in the app before using the API."  # noqa: S105 (a message)


class TokenRateLimited(RateLimited):
    """Too many requests with this token; wait a minute and try again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def _view(token: ApiToken) -> TokenView:
    return TokenView(
        id=token.id,
        owner_id=token.owner_id,
        name=token.name,
        prefix=token.prefix,
        scope=token.scope,
        expires_at=token.expires_at,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


def _scope(scope: str) -> str:
    wanted = str(scope or "").strip().lower()[:16]
    if wanted not in SCOPES:
        raise ValidationError("A token's scope is read (read-only) or write (read-write).")
    return wanted


def _expiry(expires_on: dt.date | str | None) -> dt.datetime | None:
    """The end of `expires_on` in the workspace's time zone (the token works through that
    day), from today to a year ahead; None: the token does not expire."""
    if expires_on is None or expires_on == "":
        return None
    day = parse_day(expires_on, "The expiry date")
    assert day is not None
    today = clock.today()
    if not today <= day <= today + dt.timedelta(days=EXPIRY_MAX_DAYS):
        raise ValidationError(
            f"A token can expire from today up to {EXPIRY_MAX_DAYS} days ahead, "
            f"not on {day:%Y-%m-%d}."
        )
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=clock.tz())
    return midnight.astimezone(dt.UTC)


def create_token(
    uow: UnitOfWork,
    *,
    actor: Actor,
    name: str,
    scope: str = "read",
    expires_on: dt.date | str | None = None,
) -> NewToken:
    """A new token of yours: read-only (`read`) or read-write (`write`), working through
    `expires_on` (or until revoked). Its secret is in the answer and nowhere else, ever."""
    clean_name = clean_line(name, field="Token name", max_len=NAME_MAX, required=True)
    wanted = _scope(scope)
    expires_at = _expiry(expires_on)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        # One person's token changes take turns, so the cap below holds under concurrency.
        s.execute(select(User.id).where(User.id == me.id).with_for_update(key_share=True))
        live = s.scalar(
            select(func.count()).where(ApiToken.owner_id == me.id, ApiToken.revoked_at.is_(None))
        )
        if (live or 0) >= LIVE_MAX:
            raise ValidationError(
                f"You already have {LIVE_MAX} tokens; revoke one you no longer use first."
            )
        token_id = s.execute(
            insert(ApiToken)
            .values(
                owner_id=me.id,
                name=clean_name,
                hash=digest(secret),
                prefix=secret[:PREFIX_LENGTH],
                scope=wanted,
                expires_at=expires_at,
            )
            .returning(ApiToken.id)
        ).scalar_one()
        audit(s, me, "token.create", f"token:{token_id}", name=clean_name, scope=wanted)
        token = s.get_one(ApiToken, token_id)
        view = _view(token)
        uow.commit()
        return NewToken(view, secret)


def list_tokens(uow: UnitOfWork, *, actor: Actor) -> list[TokenView]:
    """Your tokens, newest first, revoked ones included (they say when they were revoked)."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        rows = s.scalars(
            select(ApiToken)
            .where(ApiToken.owner_id == me.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        ).all()
        return [_view(t) for t in rows]


def revoke_token(uow: UnitOfWork, *, actor: Actor, token_id: int) -> TokenView:
    """Revoke one of your tokens (an admin may revoke anyone's): refused from its next
    request on. Revoking a revoked token changes nothing."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        token = s.scalars(
            select(ApiToken).where(ApiToken.id == check_id(token_id, "Token")).with_for_update()
        ).one_or_none()
        if token is None:
            raise NotFound(f"Token #{token_id} does not exist.")
        if token.owner_id != me.id and not me.is_admin:
            raise PermissionDenied("You can only revoke your own tokens.")
        if token.revoked_at is None:
            s.execute(update(ApiToken).where(ApiToken.id == token.id).values(revoked_at=func.now()))
            audit(s, me, "token.revoke", f"token:{token.id}", name=token.name)
            s.refresh(token)
        view = _view(token)
        uow.commit()
        return view


def _token_for(session: Session, secret: str) -> ApiToken:
    if not secret.startswith(SECRET_PREFIX) or len(secret) > SECRET_MAX:
        raise AuthError(INVALID)
    token = session.scalars(select(ApiToken).where(ApiToken.hash == digest(secret))).one_or_none()
    if token is None:
        raise AuthError(INVALID)
    if token.revoked_at is not None:
        raise AuthError(REVOKED)
    if token.expires_at is not None and token.expires_at <= clock.utcnow():
        raise AuthError(EXPIRED)
    return token


def authenticate_token(uow: UnitOfWork, *, secret: str, write: bool, per_minute: int) -> TokenActor:
    """The owner of the token `secret` as they are now, for one request: refused (AuthError)
    for an unknown, revoked or expired token or an owner no longer active; PermissionDenied
    for a write with a read-only token; RateLimited past `per_minute` requests a minute of
    this token. Every accepted use stamps last_used_at (in SQL, on the database clock)."""
    with uow:
        s = uow.session
        token = _token_for(s, secret)
        me = current_user(s, token.owner_id)
        if me.must_change_password:
            raise AuthError(CHANGE_PASSWORD)
        if write and token.scope != "write":
            raise PermissionDenied(READ_ONLY)
        s.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=func.now()))
        wait = hit(s, f"api:token:{token.id}", per_minute)
        uow.commit()
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        raise TokenRateLimited(
            f"This token made {counted(per_minute, 'request')} in the last minute, the most "
            f"allowed; try again in {counted(seconds, 'second')}.",
            seconds,
        )
    return TokenActor(me, token.id, token.scope == "write")
