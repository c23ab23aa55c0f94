"""The sign-in cookie's JWT: only a genuine, unexpired, current token signs anyone in."""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt
import pytest

from sprintsync.domain import Role
from sprintsync.errors import AuthError
from sprintsync.services import auth, session_token, users
from sprintsync.services.views import Actor

KEY = "a-test-secret-key-that-is-long-enough-for-hs256-and-for-hs512-too!"
ACTOR = Actor(id=42, username="mia", role=Role.MEMBER, token_version=3)


def _payload(token: str) -> dict:
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _forge(claims: dict, key: str = KEY, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_a_fresh_token_names_the_user_and_token_version():
    claims = session_token.read(session_token.issue(ACTOR, secret=KEY, hours=24), secret=KEY)
    assert claims is not None
    assert (claims.user_id, claims.username, claims.token_version) == (42, "mia", 3)


def test_a_token_expires_after_the_configured_hours():
    issued = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    token = session_token.issue(ACTOR, secret=KEY, hours=8, now=issued)
    assert _payload(token)["exp"] == int((issued + dt.timedelta(hours=8)).timestamp())


def test_an_expired_token_is_refused():
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=25)
    assert (
        session_token.read(session_token.issue(ACTOR, secret=KEY, hours=24, now=past), secret=KEY)
        is None
    )


def test_a_token_signed_with_another_key_is_refused():
    token = session_token.issue(
        ACTOR, secret="some-other-key-also-long-enough-for-hs256-" * 2, hours=1
    )
    assert session_token.read(token, secret=KEY) is None


def test_a_tampered_token_is_refused():
    header, body, signature = session_token.issue(ACTOR, secret=KEY, hours=1).split(".")
    claims = _payload(f"{header}.{body}.{signature}") | {"sub": "1", "ver": 99}
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert session_token.read(f"{header}.{forged_body}.{signature}", secret=KEY) is None


def _valid_claims() -> dict:
    now = dt.datetime.now(dt.UTC)
    return {
        "sub": "42",
        "name": "mia",
        "ver": 3,
        "iat": now,
        "exp": now + dt.timedelta(hours=1),
        "aud": session_token.AUDIENCE,
        "iss": session_token.ISSUER,
    }


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(None, id="no cookie"),
        pytest.param("", id="empty cookie"),
        pytest.param("not-a-jwt", id="garbage"),
        pytest.param(_forge({**_valid_claims(), "aud": "something-else"}), id="other audience"),
        pytest.param(_forge({**_valid_claims(), "iss": "someone-else"}), id="other issuer"),
        pytest.param(
            _forge({k: v for k, v in _valid_claims().items() if k != "exp"}), id="no expiry"
        ),
        pytest.param(
            _forge({k: v for k, v in _valid_claims().items() if k != "ver"}), id="no version"
        ),
        pytest.param(_forge({**_valid_claims(), "ver": "3"}), id="version not a number"),
        pytest.param(_forge({**_valid_claims(), "sub": "mia"}), id="subject not an id"),
        pytest.param(_forge(_valid_claims(), algorithm="HS512"), id="other algorithm"),
        pytest.param(jwt.encode(_valid_claims(), None, algorithm="none"), id="unsigned (alg none)"),
    ],
)
def test_anything_but_a_genuine_session_token_is_refused(token):
    assert session_token.read(token, secret=KEY) is None


def test_the_forged_claims_helper_makes_a_token_that_would_be_accepted():
    # Guards the table above: each case differs from a valid token in one way only.
    assert session_token.read(_forge(_valid_claims()), secret=KEY) is not None


@pytest.mark.parametrize(
    "end_session",
    [
        pytest.param(lambda uow, me, admin: auth.sign_out(uow(), actor=me), id="signed out"),
        pytest.param(
            lambda uow, me, admin: users.reset_password(uow(), actor=admin, username=me.username),
            id="password reset",
        ),
        pytest.param(
            lambda uow, me, admin: users.set_active(
                uow(), actor=admin, username=me.username, active=False
            ),
            id="deactivated",
        ),
    ],
)
def test_a_token_with_a_stale_token_version_no_longer_resumes_a_session(
    uow, member, admin, end_session
):
    claims = session_token.read(session_token.issue(member, secret=KEY, hours=1), secret=KEY)
    assert (
        auth.resume_session(uow(), user_id=claims.user_id, token_version=claims.token_version)
        == member
    )
    end_session(uow, member, admin)
    with pytest.raises(AuthError):
        auth.resume_session(uow(), user_id=claims.user_id, token_version=claims.token_version)
