"""The Admin page: each action through the page, checked in the database."""

from __future__ import annotations

import pandas as pd
import pytest

from sprintsync.domain import Role
from sprintsync.errors import AuthError
from sprintsync.services import audit, auth, users
from sprintsync.services.views import CONSOLE
from tests.ui.apptest_helpers import PASSWORD, field, press, values
from tests.ui.page_runner import k

ADMIN_PAGE = "app_pages/admin.py"


@pytest.fixture
def admin_page(app, admin, member):
    at = app(admin, ADMIN_PAGE).run()
    assert not at.exception
    return at


def choose_user(at, username: str):
    chooser = at.selectbox(key="admin_user")
    chooser.select_index(chooser.options.index(username)).run()
    return at


def chosen(at) -> str:
    chooser = at.selectbox(key="admin_user")
    return chooser.options[chooser.index]


def audit_tab(at):
    """The Audit log tab open (only the open tab is drawn)."""
    at.session_state["admin_tabs"] = "Audit log"
    return at.run()


def shown_password(at) -> str:
    codes = values(at.code)
    assert len(codes) == 1, codes
    return codes[0]


def test_the_people_table_lists_everyone_with_role_activity_and_time(admin_page):
    table = admin_page.dataframe[0].value
    assert list(table.columns) == [
        "Username",
        "Full name",
        "Role",
        "Active",
        "Locked until",
        "Last sign-in",
        "Time logged",
    ]
    assert list(table["Username"]) == ["ada", "mia"]
    assert list(table["Role"]) == ["admin", "member"]
    assert list(table["Last sign-in"]) == ["never", "never"]  # not a literal "None"


def test_creating_a_user_shows_their_generated_password_once(admin_page, uow, admin):
    field(admin_page, "Username").input("newbie")
    field(admin_page, "Full name").input("New Bie")
    admin_page.selectbox(key=k(admin_page, "create_user.role")).select(Role.MANAGER)
    at = press(admin_page, "Create user")
    assert not at.exception
    password = shown_password(at)
    signed_in = auth.authenticate(uow(), username="newbie", password=password)
    assert signed_in.role.value == "manager"
    assert signed_in.must_change_password  # the admin knows it: replaced at first sign-in
    assert field(at, "Username").value == ""  # a fresh form
    assert "newbie" in list(at.dataframe[0].value["Username"])
    at.run()
    assert values(at.code) == []  # shown once


def test_a_refused_new_user_keeps_what_the_admin_typed(admin_page, uow):
    field(admin_page, "Username").input("MIA")  # taken, whatever the case
    field(admin_page, "Full name").input("Another Mia")
    field(admin_page, "Email (optional)").input("mia2@example.com")
    admin_page.selectbox(key=k(admin_page, "create_user.role")).select(Role.MANAGER)
    at = press(admin_page, "Create user")
    assert [e.value for e in at.error] and "taken" in at.error[0].value
    assert field(at, "Username").value == "MIA"
    assert field(at, "Full name").value == "Another Mia"
    assert field(at, "Email (optional)").value == "mia2@example.com"
    assert at.selectbox(key=k(at, "create_user.role")).value == Role.MANAGER
    field(at, "Username").input("mia2")
    at = press(at, "Create user")
    assert users.get_user(uow(), actor=CONSOLE, username="mia2").full_name == "Another Mia"
    assert field(at, "Username").value == ""  # cleared once it worked


def test_changing_a_filter_of_the_audit_log_goes_back_to_its_first_page(admin_page, uow, admin):
    for n in range(60):  # more than one page of 50
        users.set_role(uow(), actor=admin, username="mia", role=("manager", "member")[n % 2])
    at = audit_tab(admin_page)
    at.number_input(key="audit_page").set_value(2).run()
    assert "page 2 of 2" in at.caption[-1].value
    at.selectbox(key="audit_action").select("user.set_role").run()
    assert len(at.dataframe[0].value) == 50
    assert at.number_input(key="audit_page").value == 1


def test_changing_a_role(admin_page, uow, admin):
    at = choose_user(admin_page, "mia")
    mia = users.get_user(uow(), actor=admin, username="mia")
    at.selectbox(key=f"role_of_{mia.id}.member").select(Role.MANAGER).run()
    at = press(at, "Change role")
    assert not at.exception
    assert users.get_user(uow(), actor=admin, username="mia").role.value == "manager"
    assert chosen(at) == "mia"  # the selection stays on the person just changed
    assert at.selectbox(key=f"role_of_{mia.id}.manager").value == Role.MANAGER


def test_deactivating_and_reactivating_a_user(admin_page, uow, admin):
    at = press(press(choose_user(admin_page, "mia"), "Deactivate"), "Yes, deactivate mia")
    assert not at.exception
    assert users.get_user(uow(), actor=admin, username="mia").is_active is False
    assert chosen(at) == "mia"  # not the admin's own account
    assert any("Member · deactivated" in c for c in values(at.caption))
    with pytest.raises(AuthError, match="deactivated"):
        auth.authenticate(uow(), username="mia", password=PASSWORD)
    at = press(at, "Reactivate")
    assert users.get_user(uow(), actor=admin, username="mia").is_active is True
    assert chosen(at) == "mia"
    assert [b.label for b in at.button if b.label in {"Deactivate", "Reactivate"}] == ["Deactivate"]


def test_an_admin_cannot_deactivate_themselves(admin_page, uow, admin):
    at = press(press(choose_user(admin_page, "ada"), "Deactivate"), "Yes, deactivate ada")
    assert not at.exception
    assert values(at.error) == ["You cannot deactivate your own account."]
    assert users.get_user(uow(), actor=admin, username="ada").is_active is True


def test_resetting_a_password_shows_the_temporary_password_once(admin_page, uow):
    at = press(press(choose_user(admin_page, "mia"), "Reset password"), "Yes, reset the password")
    assert not at.exception
    temporary = shown_password(at)
    assert auth.authenticate(uow(), username="mia", password=temporary).must_change_password
    with pytest.raises(AuthError):
        auth.authenticate(uow(), username="mia", password=PASSWORD)
    at.run()
    assert values(at.code) == []


@pytest.mark.parametrize(
    ("button", "question"),
    [("Deactivate", "Deactivate mia?"), ("Reset password", "Reset the password of mia?")],
)
def test_deactivating_or_resetting_asks_first_and_cancel_changes_nothing(
    admin_page, uow, admin, button, question
):
    at = press(choose_user(admin_page, "mia"), button)
    assert not at.exception
    assert [w for w in values(at.warning) if w.startswith(question)]
    assert values(at.code) == []  # no temporary password yet
    at = press(at, "Cancel")
    assert not at.exception
    assert not [w for w in values(at.warning) if w.startswith(question)]
    mia = users.get_user(uow(), actor=admin, username="mia")
    assert mia.is_active is True
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).username == "mia"


def test_a_question_for_one_user_is_not_answered_for_another(admin_page, uow, admin, make_user):
    make_user("otto")
    at = press(choose_user(admin_page, "mia"), "Reset password")
    at = choose_user(at, "otto")
    assert not [b for b in at.button if b.label == "Yes, reset the password"]
    assert auth.authenticate(uow(), username="otto", password=PASSWORD).username == "otto"


def test_the_audit_log_is_newest_first_and_filters_by_actor_and_action(
    admin_page, uow, admin, member
):
    users.set_role(uow(), actor=admin, username="mia", role="manager")
    auth.authenticate(uow(), username="mia", password=PASSWORD)
    users.update_profile(uow(), actor=member, full_name="Mia M", email=None)
    at = audit_tab(admin_page)
    log = at.dataframe[0].value
    assert list(log["Action"])[:3] == ["user.update_profile", "auth.sign_in", "user.set_role"]
    assert list(log["When"]) == sorted(log["When"], reverse=True)

    at.selectbox(key="audit_actor").select("mia").run()
    assert set(at.dataframe[0].value["Action"]) == {"user.update_profile", "auth.sign_in"}
    at.selectbox(key="audit_action").select("user.").run()  # a whole family of actions
    assert list(at.dataframe[0].value["Action"]) == ["user.update_profile"]
    assert audit.list_audit(uow(), actor=admin, by_username="mia", action="user.").total == 1


def test_the_audit_log_tells_console_actions_from_sign_ins_of_unknown_names(admin_page, uow):
    users.set_role(uow(), actor=CONSOLE, username="mia", role="manager")
    with pytest.raises(AuthError):
        auth.authenticate(uow(), username="no-such-name", password="whatever-it-is")
    log = audit_tab(admin_page).dataframe[0].value
    assert list(zip(log["Actor"], log["Action"], strict=True))[:2] == [
        ("(unknown)", "auth.sign_in_failed"),
        ("(console)", "user.set_role"),
    ]


def test_a_member_opening_the_admin_page_directly_is_refused(app, member):
    at = app(member, ADMIN_PAGE).run()
    assert not at.exception
    assert values(at.error) == ["Only admins can do that."]
    assert len(at.dataframe) == 0
    assert not [b for b in at.button if b.label in {"Create user", "Reset password"}]


def test_a_locked_user_is_shown_locked_and_unlocked_with_one_click(app, admin, member, uow):
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AuthError):
            auth.authenticate(uow(), username="mia", password="wrong-password")
    at = app(admin, ADMIN_PAGE).run()
    table = at.dataframe[0].value.set_index("Username")
    assert table.loc["mia", "Locked until"] and pd.isna(table.loc["ada", "Locked until"])
    at = press(choose_user(at, "mia"), "Unlock sign-in")
    assert not at.exception
    assert auth.authenticate(uow(), username="mia", password=PASSWORD).username == "mia"
    assert [e.action for e in audit.list_audit(uow(), actor=CONSOLE, action="user.unlock").items]


def test_resetting_ones_own_password_is_refused_with_the_way_to_do_it(admin_page, admin, uow):
    at = press(
        press(choose_user(admin_page, admin.username), "Reset password"), "Yes, reset the password"
    )
    assert not at.exception
    assert any("Account page" in e.value for e in at.error)
    assert auth.resume_session(uow(), user_id=admin.id, token_version=admin.token_version)
