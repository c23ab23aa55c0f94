"""The sign-in cookie, end to end through app.py: only a genuine, unexpired, current token
signs a browser in. Anything else (tampered, expired, signed with another key, or issued before
the user signed out, was deactivated, or had their password reset or changed) is refused: the
visitor lands on the sign-in page, nothing of the app shows, and the browser is told to drop
the cookie. Unit tests of the token itself: tests/ui/test_session_token.py."""

from __future__ import annotations

import base64
import datetime as dt
import json

import jwt
import pytest

from sprintsync.config import session_secret
from sprintsync.services import auth, session_token, users
from sprintsync.services.common import SESSION_ENDED
from sprintsync.services.views import Actor
from sprintsync.ui.auth import SEEN_COOKIE_KEY
from sprintsync.ui.navigation import APP_PAGES
from tests.conftest import PASSWORD
from tests.ui.apptest_helpers import cookie_writes, field, is_sign_in_page, press, values

NOT_ACTIVE = "Your account is not active; sign in again or ask an admin."


def secret() -> str:
    return session_secret()


def cookie_for(actor: Actor, **issue) -> str:
    return session_token.issue(actor, secret=issue.pop("secret", secret()), hours=24, **issue)


def _rewrite_claims(token: str, **changes) -> str:
    """The same signature over different claims: what an attacker editing the cookie makes."""
    header, body, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) | changes
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def _unsigned(actor: Actor) -> str:
    claims = jwt.decode(cookie_for(actor), options={"verify_signature": False})
    return jwt.encode(claims, None, algorithm="none")


# name: (make the cookie for `me`, given uow and an admin; the notice shown, if any)
BAD_COOKIES = {
    "tampered claims": (
        lambda uow, me, admin: _rewrite_claims(cookie_for(me), sub=str(admin.id)),
        None,
    ),
    "tampered signature": (lambda uow, me, admin: cookie_for(me)[:-4] + "AAAA", None),
    "unsigned (alg none)": (lambda uow, me, admin: _unsigned(admin), None),
    "expired": (
        lambda uow, me, admin: cookie_for(
            me, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=24, minutes=1)
        ),
        None,
    ),
    "signed with another key": (
        lambda uow, me, admin: cookie_for(me, secret="another-key-" * 4),
        None,
    ),
    "not a token": (lambda uow, me, admin: "<script>alert(1)</script>", None),
    "a token version from the future": (
        lambda uow, me, admin: cookie_for(Actor(me.id, me.username, me.role, 7)),
        SESSION_ENDED,
    ),
    "issued before signing out": (
        lambda uow, me, admin: _then(cookie_for(me), auth.sign_out(uow(), actor=me)),
        SESSION_ENDED,
    ),
    "issued before a deactivation": (
        lambda uow, me, admin: _then(
            cookie_for(me),
            users.set_active(uow(), actor=admin, username=me.username, active=False),
        ),
        NOT_ACTIVE,
    ),
    "issued before a password reset": (
        lambda uow, me, admin: _then(
            cookie_for(me), users.reset_password(uow(), actor=admin, username=me.username)
        ),
        SESSION_ENDED,
    ),
    "issued before a password change": (
        lambda uow, me, admin: _then(
            cookie_for(me),
            users.change_password(
                uow(), actor=me, current_password=PASSWORD, new_password="a new passphrase"
            ),
        ),
        SESSION_ENDED,
    ),
}


def _then(cookie: str, _event) -> str:
    """The cookie, made before the event (arguments are evaluated in order)."""
    return cookie


def shows_nothing_of_the_app(at) -> bool:
    app_titles = {spec.title for spec in APP_PAGES}
    return (
        is_sign_in_page(at)
        and not set(values(at.title)) & app_titles
        and not [b for b in at.sidebar.button if b.label == "Sign out"]
        and "actor" not in at.session_state
    )


def test_a_genuine_current_cookie_signs_the_browser_in(app, browser_cookies, member):
    browser_cookies[session_token.COOKIE_NAME] = cookie_for(member)
    at = app().run()
    assert not at.exception
    assert values(at.title) == ["My tasks"]
    assert at.session_state["actor"] == member


@pytest.mark.parametrize("case", sorted(BAD_COOKIES))
def test_a_refused_cookie_lands_on_sign_in_with_nothing_of_the_app(
    app, uow, browser_cookies, member, admin, case
):
    make, notice = BAD_COOKIES[case]
    browser_cookies[session_token.COOKIE_NAME] = make(uow, member, admin)
    at = app().run()
    assert not at.exception
    assert shows_nothing_of_the_app(at)
    assert values(at.info) == ([notice] if notice else [])
    assert [w["method"] for w in cookie_writes(at)] == ["delete"]
    assert not at.error  # a refused cookie is not an error of the visitor's


@pytest.mark.parametrize("spec", APP_PAGES, ids=lambda s: s.title)
def test_reloading_a_deep_link_with_a_cookie_from_before_a_sign_out_shows_only_sign_in(
    app, uow, browser_cookies, admin, spec
):
    browser_cookies[session_token.COOKIE_NAME] = cookie_for(admin)
    at = app().run()
    at.switch_page(spec.path).run()
    assert values(at.title) == [spec.title]  # the cookie signed this browser in
    auth.sign_out(uow(), actor=admin)  # in another browser
    for key in ("actor", SEEN_COOKIE_KEY):  # a reload: a new session, the cookie sent again
        del at.session_state[key]
    at.run()
    assert not at.exception
    assert shows_nothing_of_the_app(at)
    assert values(at.info) == [SESSION_ENDED]


def test_after_a_refused_cookie_signing_in_works(app, uow, browser_cookies, member, admin):
    browser_cookies[session_token.COOKIE_NAME] = cookie_for(member, secret="another-key-" * 4)
    at = app().run()
    assert shows_nothing_of_the_app(at)
    field(at, "Username").input("mia")
    field(at, "Password").input(PASSWORD)
    at = press(at, "Sign in")
    assert not at.exception
    assert values(at.title) == ["My tasks"]
