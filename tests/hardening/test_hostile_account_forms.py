"""The account forms with whatever a user types, through the real Streamlit runtime: signing
in and up, an admin creating a user, the account page, and the search and filter boxes. The
same rules as test_hostile_task_forms.py: no incident id, one clear message and no change on
refusal, text kept verbatim and shown as text."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.services import auth, tasks, users
from sprintsync.services.views import CONSOLE
from tests.conftest import PASSWORD
from tests.hardening.hostile_forms import (
    HUGE,
    KINDS,
    TEXTS,
    assert_no_incident,
    assert_refused,
    assert_shown_as_text,
    counts,
    outcome,
)
from tests.ui.apptest_helpers import field, is_sign_in_page, press
from tests.ui.page_runner import PAGES, errors, open_page, page_test

# -- signing in and up (through app.py, signed out) ---------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_sign_in_form(app, member, db_session_factory, kind):
    at = app().run()
    field(at, "Username").input(TEXTS[kind])
    field(at, "Password").input(TEXTS[kind])
    users_tasks_time, audit_rows = counts(db_session_factory)[:-1], counts(db_session_factory)[-1]
    at = press(at, "Sign in")
    assert not at.exception
    assert errors(at) == [auth.INVALID]
    assert is_sign_in_page(at)
    # Nothing changes but the audit trail's record of a failed sign-in (of an unknown name).
    assert counts(db_session_factory) == (*users_tasks_time, audit_rows + 1)


SIGN_UP_FIELDS = {
    "username": ("Username", {k: "Username must be" for k in KINDS}),
    "first name": (
        "First name",
        {"control": "single line", "nul": "NUL", "huge": "at most 120", "bidi": "invisible"},
    ),
    "email": ("Email (optional)", {k: "email|NUL|at most|invisible" for k in KINDS}),
    "password": ("Password", {"nul": "NUL", "huge": "8 to 128"}),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", sorted(SIGN_UP_FIELDS))
def test_sign_up_form(app, uow, db_session_factory, which, kind):
    label, rules = SIGN_UP_FIELDS[which]
    typed = {"Username": "newt", "Password": "a long enough passphrase"}
    typed[label] = TEXTS[kind]
    at = app().run()
    at.switch_page("app_pages/sign_up.py").run()
    for name in ("First name", "Last name", "Email (optional)", "Username", "Password"):
        field(at, name).input(typed.get(name, ""))
    field(at, "Repeat password").input(typed["Password"])
    before = counts(db_session_factory)
    at = press(at, "Create account")
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    created = users.get_user(uow(), actor=CONSOLE, username="newt")
    if which == "first name":
        assert created.full_name == TEXTS[kind].strip()
    if which == "password":
        assert auth.authenticate(uow(), username="newt", password=TEXTS[kind]).username == "newt"


# -- an admin creating a user -------------------------------------------------------------

ADMIN_FIELDS = {
    "username": ("Username", {k: "Username must be" for k in KINDS}),
    "full name": (
        "Full name",
        {"control": "single line", "nul": "NUL", "huge": "at most 120", "bidi": "invisible"},
    ),
    "email": ("Email (optional)", {k: "email|NUL|at most|invisible" for k in KINDS}),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", sorted(ADMIN_FIELDS))
def test_admin_create_user_form(app, uow, admin, db_session_factory, which, kind):
    label, rules = ADMIN_FIELDS[which]
    at = app(admin, "app_pages/admin.py").run()
    field(at, "Username").input(TEXTS[kind] if which == "username" else "newt")
    if which != "username":
        field(at, label).input(TEXTS[kind])
    before = counts(db_session_factory)
    at = press(at, "Create user")
    refused = outcome(kind, rules)
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        return
    assert_no_incident(at)
    created = users.get_user(uow(), actor=admin, username="newt")
    if which == "full name":
        assert created.full_name == TEXTS[kind].strip()
        assert_shown_as_text(at, TEXTS[kind])


# -- the account page: profile and password -----------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("which", ["Full name", "Email"])
def test_account_profile_form(app, uow, member, db_session_factory, which, kind):
    rules = ADMIN_FIELDS["full name" if which == "Full name" else "email"][1]
    at = app(member, "app_pages/account.py").run()
    field(at, which).input(TEXTS[kind])
    before = counts(db_session_factory)
    at = press(at, "Save profile")
    refused = outcome(kind, rules)
    me = users.get_user(uow(), actor=member, username="mia")
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert field(at, which).value == TEXTS[kind]  # what they typed stays to correct
        return
    assert_no_incident(at)
    assert me.full_name == TEXTS[kind].strip()


@pytest.mark.parametrize(
    ("new", "refused"),
    [
        (TEXTS["nul"] + "-long-enough", "NUL"),
        (HUGE, "8 to 128"),
        ("short", "8 to 128"),
        (PASSWORD, "must differ"),
        (TEXTS["sql"], None),
        (TEXTS["unicode"], None),
        ("  spaces kept  ", None),
    ],
    ids=["nul", "huge", "short", "same", "sql", "unicode", "spaces"],
)
def test_account_password_form(app, uow, member, db_session_factory, new, refused):
    at = app(member, "app_pages/account.py").run()
    field(at, "Current password").input(PASSWORD)
    field(at, "New password").input(new)
    field(at, "Repeat the new password").input(new)
    before = counts(db_session_factory)
    at = press(at, "Change password")
    if refused:
        assert_refused(at, refused, before, db_session_factory)
        assert auth.authenticate(uow(), username="mia", password=PASSWORD).username == "mia"
        return
    assert_no_incident(at)
    assert auth.authenticate(uow(), username="mia", password=new).username == "mia"


# -- searching and filtering --------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_team_search(uow, manager, member, kind):
    tasks.create_task(uow(), actor=member, title=f"Holds {TEXTS['sql']} inside")
    at = open_page("team.py", manager)
    at.text_input(key=at.text_input[0].key).input(TEXTS[kind]).run()
    assert_no_incident(at)
    assert not errors(at)
    found = at.dataframe[0].value["Title"].tolist() if at.dataframe else []
    assert found == ([f"Holds {TEXTS['sql']} inside"] if kind == "sql" else [])


@pytest.mark.parametrize(
    "dates",
    [
        (dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
        (dt.date(1, 1, 1), dt.date(1, 1, 31)),
        (dt.date(2020, 1, 1), dt.date(2026, 1, 1)),
        (dt.date(2026, 3, 1), dt.date(2026, 2, 1)),
    ],
    ids=["far future", "far past", "too long", "backwards"],
)
def test_analytics_filters(manager, dates):
    at = page_test(PAGES / "analytics.py")
    at.session_state["actor"] = manager
    at.run()
    at.date_input(key="dates").set_value(dates).run()
    assert_no_incident(at)
    assert all("two years" in e or "end date" in e for e in errors(at))
