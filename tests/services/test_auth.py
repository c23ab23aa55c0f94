import datetime as dt

import pytest

from sprintsync.errors import AuthError
from sprintsync.services import auth, users
from sprintsync.services.auth import INVALID, LOCKED
from tests.conftest import PASSWORD


def test_a_user_signs_in_with_the_right_password(uow, member):
    actor = auth.authenticate(uow(), username="mia", password=PASSWORD)
    assert (actor.id, actor.username, actor.role) == (member.id, "mia", member.role)


def test_usernames_are_matched_case_insensitively(uow, member):
    assert auth.authenticate(uow(), username="  MIA ", password=PASSWORD).id == member.id


@pytest.mark.parametrize(
    ("username", "password"), [("mia", "wrong-password"), ("nobody", PASSWORD), ("", "")]
)
def test_the_message_never_says_which_of_username_or_password_was_wrong(
    uow, member, username, password
):
    with pytest.raises(AuthError) as caught:
        auth.authenticate(uow(), username=username, password=password)
    assert caught.value.message == INVALID


def _fail(uow, name, times):
    for _ in range(times):
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username=name, password="wrong-password")


def test_five_failures_lock_the_account_even_for_the_right_password(uow, member):
    _fail(uow, "mia", 4)
    with pytest.raises(AuthError, match="Too many failed"):
        auth.authenticate(uow(), username="mia", password="wrong-password")
    with pytest.raises(AuthError, match="Too many failed"):
        auth.authenticate(uow(), username="mia", password=PASSWORD)


def test_the_lock_lifts_after_the_window_and_the_count_starts_again(
    uow, member, age_sign_in_failures
):
    _fail(uow, "mia", 5)
    age_sign_in_failures(auth.LOCKOUT + dt.timedelta(seconds=1))  # the 15 minutes have passed
    _fail(uow, "mia", 1)  # one failure after the window does not re-lock
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).id == member.id


def test_a_success_resets_the_failure_count(uow, member):
    _fail(uow, "mia", 4)
    auth.authenticate(uow(), username="mia", password=PASSWORD)
    _fail(uow, "mia", 4)
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).id == member.id


def test_unknown_usernames_lock_like_real_ones_so_existence_is_not_revealed(uow):
    _fail(uow, "ghost-user", 4)
    with pytest.raises(AuthError) as caught:
        auth.authenticate(uow(), username="ghost-user", password="wrong-password")
    assert caught.value.message == LOCKED


def test_deactivated_users_cannot_sign_in(uow, make_user):
    make_user("gone", active=False)
    with pytest.raises(AuthError, match="deactivated"):
        auth.authenticate(uow(), username="gone", password=PASSWORD)
    with pytest.raises(AuthError) as caught:
        auth.authenticate(uow(), username="gone", password="wrong-password")
    assert caught.value.message == INVALID


def test_sign_in_is_recorded_with_its_time(uow, member, admin):
    auth.authenticate(uow(), username="mia", password=PASSWORD)
    user = users.get_user(uow(), actor=admin, username="mia")
    assert user.last_login_at is not None


def test_signing_out_ends_every_session_of_that_user(uow, member):
    actor = auth.authenticate(uow(), username="mia", password=PASSWORD)
    assert auth.resume_session(uow(), user_id=actor.id, token_version=actor.token_version)
    auth.sign_out(uow(), actor=actor)
    with pytest.raises(AuthError, match="session has ended"):
        auth.resume_session(uow(), user_id=actor.id, token_version=actor.token_version)


def test_a_session_sees_a_role_change_at_once(uow, member, admin):
    users.set_role(uow(), actor=admin, username="mia", role="manager")
    resumed = auth.resume_session(uow(), user_id=member.id, token_version=member.token_version)
    assert resumed.role == "manager"


def test_deactivation_ends_the_session(uow, member, admin):
    users.set_active(uow(), actor=admin, username="mia", active=False)
    with pytest.raises(AuthError):
        auth.resume_session(uow(), user_id=member.id, token_version=member.token_version)


def test_passwords_longer_than_bcrypts_72_bytes_still_count_every_character():
    long_a, long_b = "a" * 100 + "1", "a" * 100 + "2"
    hashed = auth.hash_password(long_a, rounds=4)
    assert auth.verify_password(long_a, hashed)
    assert not auth.verify_password(long_b, hashed)


def test_a_malformed_hash_is_a_failed_check_not_a_crash():
    assert not auth.verify_password("whatever-pass", "not-a-bcrypt-hash")


def _logins(outcome: str) -> float:
    from sprintsync import metrics

    return metrics.REGISTRY.get_sample_value("sprintsync_logins_total", {"outcome": outcome}) or 0


@pytest.mark.parametrize(
    ("outcome", "password", "prepare"),
    [
        ("success", PASSWORD, None),
        ("invalid", "wrong-password", None),
        ("locked", PASSWORD, "lock"),
        ("deactivated", PASSWORD, "deactivate"),
    ],
)
def test_every_sign_in_through_the_service_is_counted_by_outcome(
    uow, member, admin, outcome, password, prepare
):
    """Counted where sign-in happens, so any door (the app, the CLI, an API) is counted."""
    if prepare == "lock":
        _fail(uow, "mia", 5)
    if prepare == "deactivate":
        users.set_active(uow(), actor=admin, username="mia", active=False)
    before = {o: _logins(o) for o in ("success", "invalid", "locked", "deactivated")}
    if outcome == "success":
        auth.authenticate(uow(), username="mia", password=password)
    else:
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username="mia", password=password)
    after = {o: _logins(o) for o in before}
    assert {o: after[o] - before[o] for o in before} == {o: int(o == outcome) for o in before}
