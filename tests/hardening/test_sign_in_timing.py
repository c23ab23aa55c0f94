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
