"""Personal access tokens: shown once, stored hashed, refused once revoked, expired, forged or
of a deactivated owner; every use stamps last-used; each token has its own rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select, update

from sprintsync import clock
from sprintsync.errors import AuthError, NotFound, PermissionDenied, RateLimited, ValidationError
from sprintsync.models import ApiToken, AuditLog, RateHit
from sprintsync.services import tokens, users
from sprintsync.services.views import CONSOLE
from tests.api.conftest import V1, bearer


def _auth(uow, secret: str, write: bool = False, per_minute: int = 100):
    return tokens.authenticate_token(uow(), secret=secret, write=write, per_minute=per_minute)


def test_a_new_tokens_secret_is_shown_once_and_only_its_hash_is_stored(
    uow, member, db_session_factory
):
    made = tokens.create_token(uow(), actor=member, name="laptop", scope="write")
    assert made.secret.startswith(tokens.SECRET_PREFIX) and len(made.secret) > 40
    assert made.token.prefix == made.secret[: tokens.PREFIX_LENGTH]
    with db_session_factory() as s:
        row = s.get_one(ApiToken, made.token.id)
        stored = [str(getattr(row, c.key)) for c in ApiToken.__table__.columns]
        assert row.hash == hashlib.sha256(made.secret.encode()).digest()
        assert not any(made.secret in value for value in stored)
        details = s.scalars(select(AuditLog.details).where(AuditLog.action == "token.create"))
        assert made.secret not in str(list(details))
    listed = tokens.list_tokens(uow(), actor=member)
    assert [t.id for t in listed] == [made.token.id]
    assert "secret" not in repr(made) and made.secret not in repr(made)


def test_a_token_acts_as_its_owner_and_stamps_last_used(uow, member, db_session_factory):
    made = tokens.create_token(uow(), actor=member, name="hook", scope="read")
    assert made.token.last_used_at is None
    found = _auth(uow, made.secret)
    assert found.actor.id == member.id and not found.can_write
    assert tokens.list_tokens(uow(), actor=member)[0].last_used_at is not None


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        ("revoke", tokens.REVOKED),
        ("expire", tokens.EXPIRED),
        ("forge", tokens.INVALID),
        ("truncate", tokens.INVALID),
        ("huge", tokens.INVALID),
        ("deactivate", "not active"),
    ],
)
def test_a_spoilt_token_is_refused_at_once(uow, member, db_session_factory, spoil, message):
    made = tokens.create_token(uow(), actor=member, name="ci", scope="write")
    secret = made.secret
    if spoil == "revoke":
        tokens.revoke_token(uow(), actor=member, token_id=made.token.id)
    elif spoil == "expire":
        with db_session_factory() as s:
            s.execute(update(ApiToken).values(expires_at=func.now() - dt.timedelta(seconds=1)))
            s.commit()
    elif spoil == "forge":
        secret = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    elif spoil == "truncate":
        secret = secret[:-1]
    elif spoil == "huge":
        secret = secret + "x" * 10_000
    else:
        users.set_active(uow(), actor=CONSOLE, username=member.username, active=False)
    with pytest.raises(AuthError, match=message):
        _auth(uow, secret)
    with db_session_factory() as s:
        assert s.scalar(select(ApiToken.last_used_at)) is None


def test_a_read_only_token_is_refused_a_write_and_a_write_token_is_not(uow, member):
    read = tokens.create_token(uow(), actor=member, name="dash", scope="read").secret
    write = tokens.create_token(uow(), actor=member, name="ci", scope="write").secret
    with pytest.raises(PermissionDenied, match="read-only"):
        _auth(uow, read, write=True)
    assert _auth(uow, write, write=True).can_write


def test_each_token_has_its_own_rate_limit_kept_in_the_database(uow, member, db_session_factory):
    first = tokens.create_token(uow(), actor=member, name="one").secret
    second = tokens.create_token(uow(), actor=member, name="two").secret
    for _ in range(3):
        _auth(uow, first, per_minute=3)
    with pytest.raises(RateLimited) as refused:
        _auth(uow, first, per_minute=3)
    assert refused.value.retry_after >= 1
    _auth(uow, second, per_minute=3)
    with db_session_factory() as s:
        buckets = s.scalars(select(RateHit.bucket).distinct()).all()
    assert sorted(buckets) == sorted(
        f"api:token:{t.id}" for t in tokens.list_tokens(uow(), actor=member)
    )


def test_the_api_answers_429_with_retry_after_past_the_limit(client, member, token_for, env):
    env(SPRINTSYNC_API_RATE_PER_MINUTE=2)
    headers = bearer(token_for(member, "read"))
    assert [client.get(f"{V1}/me", headers=headers).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    refused = client.get(f"{V1}/me", headers=headers)
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


@pytest.mark.parametrize(
    ("name", "scope", "expires_on", "message"),
    [
        ("", "read", None, "Token name is required"),
        ("x" * 500, "read", None, "at most 80"),
        ("bad\nname", "read", None, "single line"),
        ("ok", "admin", None, "scope is read"),
        ("ok", "read", "yesterday", "not a date|YYYY-MM-DD"),
        ("ok", "read", dt.date(2000, 1, 1), "from today"),
        ("ok", "read", dt.date(2999, 1, 1), "from today|between"),
    ],
)
def test_a_token_with_bad_details_is_refused_and_nothing_is_made(
    uow, member, name, scope, expires_on, message
):
    with pytest.raises(ValidationError, match=message):
        tokens.create_token(uow(), actor=member, name=name, scope=scope, expires_on=expires_on)
    assert tokens.list_tokens(uow(), actor=member) == []


def test_a_token_works_through_its_expiry_day(uow, member):
    made = tokens.create_token(uow(), actor=member, name="today", expires_on=clock.today())
    assert made.token.expires_at is not None and made.token.expires_at > clock.utcnow()
    assert _auth(uow, made.secret).actor.id == member.id


def test_nobody_can_revoke_anothers_token_but_an_admin(uow, member, other_member, admin):
    made = tokens.create_token(uow(), actor=member, name="mine")
    with pytest.raises(PermissionDenied, match="your own"):
        tokens.revoke_token(uow(), actor=other_member, token_id=made.token.id)
    with pytest.raises(NotFound):
        tokens.revoke_token(uow(), actor=member, token_id=made.token.id + 1000)
    assert tokens.revoke_token(uow(), actor=admin, token_id=made.token.id).revoked_at is not None
    again = tokens.revoke_token(uow(), actor=member, token_id=made.token.id)
    assert again.revoked_at is not None and again.state_at(clock.utcnow()) == "revoked"


def test_a_person_holds_at_most_the_live_token_cap(uow, member, monkeypatch):
    monkeypatch.setattr(tokens, "LIVE_MAX", 2)
    first = tokens.create_token(uow(), actor=member, name="a")
    tokens.create_token(uow(), actor=member, name="b")
    with pytest.raises(ValidationError, match="revoke one"):
        tokens.create_token(uow(), actor=member, name="c")
    tokens.revoke_token(uow(), actor=member, token_id=first.token.id)
    tokens.create_token(uow(), actor=member, name="c")
