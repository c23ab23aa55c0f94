"""How a session ends in a browser, and what it leaves behind: nothing of the last user for
the next one, no signed-out browser because the database hiccupped once, no tab that stays
signed in past the session's hours, and no half sign-out when the database refuses it."""

from __future__ import annotations

import time

import pytest

from sprintsync import metrics
from sprintsync.errors import AuthError, DatabaseUnavailable
from sprintsync.services import auth, tasks
from sprintsync.ui import auth as ui_auth
from tests.conftest import PASSWORD
from tests.hardening.test_session_cookies import cookie_for
from tests.ui.apptest_helpers import field, is_sign_in_page, press, values


def _actions(action: str) -> float:
    sample = metrics.REGISTRY.get_sample_value(
        "sprintsync_actions_total", {"action": action, "outcome": "ok"}
    )
    return sample or 0


def test_signing_out_leaves_nothing_of_that_user_for_the_next_one(app, uow, member, make_user):
    secret_title = "Mia's secret merger memo"
    task = tasks.create_task(uow(), actor=member, title=secret_title)
    at = app(member).run()
    at.button(key="day_plan").click().run()  # the day plan lives in the session
    at.query_params["task"] = str(task.id)
    at.run()
    assert secret_title in " ".join(t.value for t in at.text)

    at.sidebar.button(key="sign_out").click().run()
    assert is_sign_in_page(at)
    assert not [k for k in at.session_state if k.startswith(("day_plan", "selected_task"))]
    assert "task" not in at.query_params

    otto = make_user("otto")
    field(at, "Username").input(otto.username)
    field(at, "Password").input(PASSWORD)
    at = press(at, "Sign in")
    assert values(at.title) == ["My tasks"]
    shown = [e.value for kind in (at.text, at.markdown, at.caption) for e in kind]
    assert not [line for line in shown if secret_title in line]


def test_a_genuine_cookie_is_tried_again_after_the_database_failed_once(
    app, member, browser_cookies, monkeypatch
):
    browser_cookies["sprintsync_session"] = cookie_for(member)
    resume, calls = auth.resume_session, []

    def down_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise DatabaseUnavailable()
        return resume(*args, **kwargs)

    monkeypatch.setattr(auth, "resume_session", down_once)
    at = app().run()
    assert "unavailable" in " ".join(values(at.error))
    at.run()  # the next click in the same tab, the database back
    assert values(at.title) == ["My tasks"]


def test_an_open_tab_ends_when_the_session_hours_are_over(app, member):
    at = app().run()
    field(at, "Username").input(member.username)
    field(at, "Password").input(PASSWORD)
    at = press(at, "Sign in")
    assert values(at.title) == ["My tasks"]
    assert at.session_state[ui_auth.EXPIRES_KEY] > time.time()
    at.session_state[ui_auth.EXPIRES_KEY] = time.time() - 1
    at.run()
    assert is_sign_in_page(at)
    assert ui_auth.SESSION_EXPIRED in values(at.info)


def test_a_sign_out_the_database_refused_keeps_the_user_signed_in_to_try_again(
    app, uow, member, monkeypatch
):
    at = app(member).run()

    def refused(*args, **kwargs):
        raise DatabaseUnavailable()

    monkeypatch.setattr(auth, "sign_out", refused)
    at.sidebar.button(key="sign_out").click().run()
    assert "unavailable" in " ".join(values(at.error))
    assert at.session_state["actor"].id == member.id
    monkeypatch.undo()
    at.sidebar.button(key="sign_out").click().run()
    assert is_sign_in_page(at)
    with pytest.raises(AuthError):  # and every copy of the cookie is dead
        auth.resume_session(uow(), user_id=member.id, token_version=member.token_version)


def test_sign_in_and_sign_out_are_counted_when_done_not_when_drawn(app, member):
    signed_in, signed_out = _actions("sign_in"), _actions("sign_out")
    at = app().run()
    at.run()
    assert _actions("sign_in") == signed_in  # the form drawn twice: nothing happened
    field(at, "Username").input(member.username)
    field(at, "Password").input(PASSWORD)
    at = press(at, "Sign in")
    at.run()
    at.run()
    assert (_actions("sign_in"), _actions("sign_out")) == (signed_in + 1, signed_out)
    at.sidebar.button(key="sign_out").click().run()
    assert _actions("sign_out") == signed_out + 1
