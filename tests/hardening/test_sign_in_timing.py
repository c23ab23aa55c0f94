"""Unknown users and wrong passwords cost the same: one bcrypt check at the same cost factor.

Counting the work is deterministic; benchmarks/soak.py reports measured sign-in times too.
"""

import bcrypt
import pytest

from sprintsync.errors import AuthError
from sprintsync.services import auth


@pytest.fixture
def checks(monkeypatch):
    seen: list[bytes] = []
    real = bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        seen.append(hashed[:7])  # "$2b$04$": algorithm and cost
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", spy)
    return seen


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("mia", "wrong-password"),
        ("nobody-here", "wrong-password"),
        ("mia", "x"),
        ("bad name!", "whatever"),
    ],
    ids=["wrong password", "unknown user", "short password", "impossible username"],
)
def test_every_failed_sign_in_costs_exactly_one_bcrypt_check_at_the_same_cost(
    uow, member, checks, username, password
):
    with pytest.raises(AuthError):
        auth.authenticate(uow(), username=username, password=password)
    assert len(checks) == 1
    assert checks[0] == auth.hash_password("anything")[:7].encode()


def test_a_locked_account_also_costs_one_check(uow, member, checks):
    for _ in range(5):
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username="mia", password="wrong-password")
    checks.clear()
    with pytest.raises(AuthError, match="Too many"):
        auth.authenticate(uow(), username="mia", password="wrong-password")
    assert len(checks) == 1


def _audit_rows(session_factory) -> int:
    from sqlalchemy import func, select

    from sprintsync.models import AuditLog

    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditLog))


@pytest.mark.parametrize(
    "username", ["mia", "nobody-here", "bad name!"], ids=["wrong password", "unknown", "impossible"]
)
def test_every_failed_sign_in_also_does_the_same_database_work(
    uow, member, db_session_factory, username
):
    """One committed audit row each, whether or not the name exists (the typed name is not
    kept for unknown ones). benchmarks/sign_in_timing.py measures what is left."""
    before = _audit_rows(db_session_factory)
    with pytest.raises(AuthError, match=auth.INVALID):
        auth.authenticate(uow(), username=username, password="wrong-password")
    assert _audit_rows(db_session_factory) == before + 1


@pytest.mark.parametrize("username", ["mia", "nobody-here"])
def test_a_password_with_undecodable_bytes_costs_a_check_like_any_other(
    uow, member, checks, username
):
    with pytest.raises(AuthError, match=auth.INVALID):
        auth.authenticate(uow(), username=username, password="caf\udce9")
    assert len(checks) == 1
