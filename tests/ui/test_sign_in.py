"""Signing in, out and up through app.py, on the real Streamlit runtime and PostgreSQL."""

from __future__ import annotations

import pytest

from sprintsync import metrics
from sprintsync.config import session_secret
from sprintsync.errors import AuthError, PermissionDenied
from sprintsync.services import auth, session_token, users
from sprintsync.ui.navigation import APP_PAGES
from tests.ui.apptest_helpers import (
    PASSWORD,
    cookie_writes,
    field,
    is_sign_in_page,
    press,
    values,
)


def _logins(outcome: str) -> float:
    return metrics.REGISTRY.get_sample_value("sprintsync_logins_total", {"outcome": outcome}) or 0


def sign_in(at, username: str, password: str):
    field(at, "Username").input(username)
    field(at, "Password").input(password)
    return press(at, "Sign in")


def test_a_visitor_sees_the_sign_in_form_and_no_app_pages(app):
    at = app().run()
    assert not at.exception
    assert is_sign_in_page(at)
    assert not [b for b in at.sidebar.button if b.label == "Sign out"]
    for spec in APP_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(spec.path)


@pytest.mark.parametrize("spec", APP_PAGES, ids=lambda s: s.title)
def test_whatever_page_was_open_a_signed_out_browser_sees_only_sign_in(app, admin, spec):
    at = app(admin).run()
    at.switch_page(spec.path).run()
    assert values(at.title) == [spec.title]
    del at.session_state["actor"]  # a new browser session on the same URL, without a cookie
    at.run()
    assert not at.exception
    assert is_sign_in_page(at)
    assert spec.title not in values(at.title)


def test_signing_in_lands_on_my_tasks_with_name_role_and_sign_out_in_the_sidebar(app, member):
    before = _logins("success")
    at = sign_in(app().run(), "mia", PASSWORD)
    assert not at.exception
    assert values(at.title) == ["My tasks"]
    assert any("mia" in text for text in values(at.sidebar.markdown))
    assert "Role: member" in values(at.sidebar.caption)
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert at.session_state["actor"] == member
    assert _logins("success") == before + 1
    [write] = cookie_writes(at)
    claims = session_token.read(write["value"], secret=session_secret())
    assert (write["cookie"], claims.user_id, claims.token_version) == (
        session_token.COOKIE_NAME,
        member.id,
        member.token_version,
    )


def test_signing_in_on_a_deep_link_returns_to_that_page(app, admin):
    at = app(admin).run()
    at.switch_page("app_pages/admin.py").run()
    del at.session_state["actor"]
    at.run()
    assert is_sign_in_page(at)
    at = sign_in(at, "ada", PASSWORD)
    assert not at.exception
    assert values(at.title) == ["Admin"]


@pytest.mark.parametrize(
    ("username", "password"),
    [("mia", "wrong-password"), ("nobody-here", PASSWORD), ("", "")],
    ids=["wrong password", "unknown user", "empty form"],
)
def test_a_failed_sign_in_says_only_that_the_username_or_password_is_wrong(
    app, member, username, password
):
    before = _logins("invalid")
    at = sign_in(app().run(), username, password)
    assert not at.exception
    assert values(at.error) == [auth.INVALID]
    assert is_sign_in_page(at)
    assert "actor" not in at.session_state
    assert _logins("invalid") == before + 1


def test_five_failures_lock_the_account_and_even_the_right_password_is_refused(app, member):
    at = app().run()
    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        at = sign_in(at, "mia", "wrong-password")
        assert values(at.error) == [auth.INVALID]
    before = _logins("locked")
    at = sign_in(at, "mia", "wrong-password")
    assert values(at.error) == [auth.LOCKED]
    at = sign_in(at, "mia", PASSWORD)
    assert not at.exception
    assert values(at.error) == [auth.LOCKED]
    assert "actor" not in at.session_state
    assert _logins("locked") == before + 2


def test_a_deactivated_user_is_told_so_when_signing_in(app, make_user):
    make_user("gone", active=False)
    before = _logins("deactivated")
    at = sign_in(app().run(), "gone", PASSWORD)
    assert values(at.error) == [auth.DEACTIVATED]
    assert _logins("deactivated") == before + 1


def test_signing_out_gates_the_app_again_and_ends_the_token(app, uow, member):
    at = app(member).run()
    assert values(at.title) == ["My tasks"]
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception
    assert is_sign_in_page(at)
    assert "actor" not in at.session_state
    assert "Signed out." in values(at.toast)
    assert [w["method"] for w in cookie_writes(at)] == ["delete"]
    with pytest.raises(AuthError):  # the cookie issued before signing out is dead too
        auth.resume_session(uow(), user_id=member.id, token_version=member.token_version)


@pytest.mark.parametrize(
    "end_session",
    [
        pytest.param(
            lambda uow, me, admin: users.set_active(
                uow(), actor=admin, username=me.username, active=False
            ),
            id="deactivated",
        ),
        pytest.param(
            lambda uow, me, admin: users.reset_password(uow(), actor=admin, username=me.username),
            id="password reset",
        ),
        pytest.param(lambda uow, me, admin: auth.sign_out(uow(), actor=me), id="signed out"),
    ],
)
def test_a_session_ends_on_the_next_rerun_after_it_was_ended_elsewhere(
    app, uow, member, admin, end_session
):
    at = app(member).run()
    assert values(at.title) == ["My tasks"]
    end_session(uow, member, admin)
    at.run()
    assert not at.exception
    assert is_sign_in_page(at)
    assert "actor" not in at.session_state
    assert len(at.info) == 1  # why the session ended, above the form


def test_a_role_change_applies_on_the_next_rerun(app, uow, member, admin):
    at = app(member).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/team.py")
    users.set_role(uow(), actor=admin, username="mia", role="manager")
    at.run()
    assert "Role: manager" in values(at.sidebar.caption)
    at.switch_page("app_pages/team.py").run()
    assert not at.exception
    assert values(at.title) == ["Team"]


def sign_up(at, username: str, password: str, repeat: str, *, first: str = "", last: str = ""):
    at.switch_page("app_pages/sign_up.py").run()
    for label, value in [
        ("First name", first),
        ("Last name", last),
        ("Username", username),
        ("Password", password),
        ("Repeat password", repeat),
    ]:
        field(at, label).input(value)
    return press(at, "Create account")


def test_sign_up_creates_a_member_who_can_then_sign_in(app, uow, admin):
    passphrase = "a long enough passphrase"
    at = sign_up(app().run(), "newt", passphrase, passphrase, first="Newt", last="Comer")
    assert not at.exception
    assert is_sign_in_page(at)
    assert any("newt" in toast for toast in values(at.toast))
    created = users.get_user(uow(), actor=admin, username="newt")
    assert (created.role.value, created.full_name) == ("member", "Newt Comer")
    # AppTest keeps requesting the page given to its own switch_page; point it where the app
    # itself switched (the browser follows the app).
    at.switch_page("app_pages/sign_in.py")
    at = sign_in(at, "newt", passphrase)
    assert values(at.title) == ["My tasks"]


def test_sign_up_with_mismatched_passwords_creates_nobody(app, uow, admin):
    at = sign_up(app().run(), "newt", "a long enough passphrase", "another passphrase")
    assert values(at.error) == ["The two passwords do not match."]
    assert [u.username for u in users.list_users(uow(), actor=admin)] == ["ada"]


def test_with_sign_up_closed_there_is_no_sign_up_page_and_the_service_refuses(app, uow, env):
    env(SPRINTSYNC_ALLOW_SIGNUP="false")
    at = app().run()
    assert is_sign_in_page(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/sign_up.py")
    with pytest.raises(PermissionDenied):
        users.register(uow(), username="sneaky", password="a long enough passphrase")


def test_a_temporary_password_leads_to_choosing_one_before_anything_else(app, uow, admin):
    temporary = users.create_user(uow(), actor=admin, username="newbie").password
    at = sign_in(app().run(), "newbie", temporary)
    assert not at.exception
    assert values(at.title) == ["Choose your password"]
    for spec in APP_PAGES:  # no page of the app, whatever the URL
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(spec.path)
    field(at, "Temporary password").input(temporary)
    field(at, "New password").input("my own passphrase")
    field(at, "Repeat the new password").input("my own passphrase")
    at = press(at, "Change password")
    assert not at.exception
    assert values(at.title) == ["My tasks"]  # signed in, on with the day
    assert not at.session_state["actor"].must_change_password
    assert [w["method"] for w in cookie_writes(at)] == ["set"]  # this browser stays signed in
    assert not auth.authenticate(
        uow(), username="newbie", password="my own passphrase"
    ).must_change_password
