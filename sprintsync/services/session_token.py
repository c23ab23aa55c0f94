"""The sign-in cookie's value: a JWT (HS256, PyJWT) naming a user and their token version.

Kept free of Streamlit so the rules are unit-tested directly. A token only says who claims
to be signed in; sprintsync.services.auth.resume_session decides whether that is still true
(the user is active and their token_version has not moved on since the token was issued).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jwt

from sprintsync.services.views import Actor

COOKIE_NAME = "sprintsync_session"
ALGORITHM = "HS256"
# Binds tokens to this use, so a JWT signed with the same key for something else is refused.
AUDIENCE = "sprintsync:session"
ISSUER = "sprintsync"
REQUIRED_CLAIMS = ("exp", "iat", "sub", "ver", "aud", "iss")


@dataclass(frozen=True, slots=True)
class SessionClaims:
    user_id: int
    username: str
    token_version: int
    expires_at: dt.datetime


def issue(actor: Actor, *, secret: str, hours: float, now: dt.datetime | None = None) -> str:
    """A signed token for this actor that expires `hours` from now."""
    issued = now or dt.datetime.now(dt.UTC)
    return jwt.encode(
        {
            "sub": str(actor.id),
            "name": actor.username,
            "ver": actor.token_version,
            "iat": issued,
            "exp": issued + dt.timedelta(hours=hours),
            "aud": AUDIENCE,
            "iss": ISSUER,
        },
        secret,
        algorithm=ALGORITHM,
    )


def read(token: str | None, *, secret: str) -> SessionClaims | None:
    """The claims of a genuine, unexpired token; None for anything else (tampered, expired,
    signed with another key or algorithm, malformed)."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": list(REQUIRED_CLAIMS)},
        )
        user_id, version = int(claims["sub"]), claims["ver"]
        # A genuine signature on an absurd expiry (year 10000 and beyond) is still no session.
        expires_at = dt.datetime.fromtimestamp(claims["exp"], dt.UTC)
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError):
        return None
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    return SessionClaims(
        user_id=user_id,
        username=str(claims.get("name", "")),
        token_version=version,
        expires_at=expires_at,
    )
