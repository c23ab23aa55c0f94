"""The Account page (own password, profile, role) and the managers' read-only Team page."""

from __future__ import annotations

import pytest

from sprintsync.config import session_secret
from sprintsync.errors import AuthError
from sprintsync.services import auth, session_token, tasks, users
from tests.ui.apptest_helpers import PASSWORD, cookie_writes, field, press, values

NEW_PASSWORD = "a brand new passphrase"


def change_password(at, current: str, new: str, repeat: str | None = None):
    field(at, "Current password").input(current)
    field(at, "New password").input(new)
    field(at, "Repeat the new password").input(new if repeat is None else repeat)
    return press(at, "Change password")


def test_the_account_page_shows_the_users_role(app, member):
    at = app(member, "app_pages/account.py").run()
    assert not at.exception
    assert "**member**" in values(at.markdown)[0]


def test_changing_the_password_keeps_this_session_signed_in_and_ends_the_others(app, uow, member):
    at = app(member).run()
    at.switch_page("app_pages/account.py").run()
    at = change_password(at, PASSWORD, NEW_PASSWORD)
    assert not at.exception
    assert values(at.error) == []
    assert values(at.title) == ["Account"]  # still signed in, on the same page
    fresh = at.session_state["actor"]
    assert fresh.token_version == member.token_version + 1
    assert auth.authenticate(uow(), username="mia", password=NEW_PASSWORD).id == member.id
    with pytest.raises(AuthError):  # the cookie other browsers hold is dead
        auth.resume_session(uow(), user_id=member.id, token_version=member.token_version)
    assert "Password changed. Your other sessions are signed out." in values(at.toast)
    # The run after the change handed this browser a cookie with the new token version.
    [write] = cookie_writes(at)
    claims = session_token.read(write["value"], secret=session_secret())
    assert (write["method"], claims.token_version) == ("set", fresh.token_version)
    at.run()
    assert values(at.title) == ["Account"]


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("wrong-password", NEW_PASSWORD, None, "The current password is not correct."),
        (PASSWORD, NEW_PASSWORD, "something else", "The two new passwords do not match."),
        (PASSWORD, "short", None, "Password must be 8 to 128 characters long."),
    ],
    ids=["wrong current password", "repeat differs", "too short"],
)
def test_a_refused_password_change_says_why_and_changes_nothing(
    app, uow, member, current, new, repeat, message
):
    at = change_password(app(member, "app_pages/account.py").run(), current, new, repeat)
    assert not at.exception
    assert values(at.error) == [message]
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).id == member.id


def test_saving_the_profile(app, uow, member):
    at = app(member, "app_pages/account.py").run()
    field(at, "Full name").input("Mia Example")
    field(at, "Email").input("mia@example.com")
    at = press(at, "Save profile")
    assert not at.exception
    me = users.get_user(uow(), actor=member, username="mia")
    assert (me.full_name, me.email) == ("Mia Example", "mia@example.com")


def test_the_full_name_is_shown_as_text_not_markdown(app, uow, member):
    users.update_profile(uow(), actor=member, full_name="**bold** <b>x</b>", email=None)
    at = app(member, "app_pages/account.py").run()
    assert r"\*\*bold\*\* \<b\>x\<\/b\>" in at.markdown[0].value


@pytest.fixture
def team_tasks(uow, member, other_member):
    tasks.create_task(uow(), actor=member, title="Write the docs", estimate="2h")
    tasks.create_task(uow(), actor=other_member, title="Fix the build")


def test_a_manager_sees_everyones_tasks_on_the_team_page(app, manager, team_tasks):
    at = app(manager, "app_pages/team.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["Title"]) == {"Write the docs", "Fix the build"}
    assert set(table["Assignee"]) == {"mia", "otto"}


def test_the_team_page_filters_by_assignee_and_text(app, manager, member, team_tasks):
    at = app(manager, "app_pages/team.py").run()
    at.selectbox[0].select(member.id).run()
    assert list(at.dataframe[0].value["Title"]) == ["Write the docs"]
    at.selectbox[0].select(None).run()
    at.text_input[0].input("build").run()
    assert list(at.dataframe[0].value["Title"]) == ["Fix the build"]
    at.text_input[0].input("nothing like this").run()
    assert values(at.info) == ["No tasks match these filters."]


def test_a_member_opening_the_team_page_directly_is_refused(app, member, team_tasks):
    at = app(member, "app_pages/team.py").run()
    assert not at.exception
    assert values(at.error) == ["Only managers and admins can list other people's tasks."]
    assert len(at.dataframe) == 0
