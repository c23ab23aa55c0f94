"""Sign-in, sign-up and sign-out with streamlit-authenticator (pinned 0.4.2), adapted so the
users table in PostgreSQL is the only source of truth.

The library draws the sign-up form and the sign-out button; three pieces are swapped in:
- DatabaseAuthController: a cookie resumes through services.auth.resume_session, logout calls
  services.auth.sign_out, the sign-up form calls services.users.register. There is no
  credentials dict and nothing is written to YAML.
- the sign-in form is our own (sign_in, called from its submit button's callback): the
  library checks the password while drawing its form, so the signed-in page needed a second
  run (st.rerun) after the first had drawn the form again; a callback runs before the
  script, so the one run that follows is already the signed-in page.
- SessionCookie: the library's cookie model, with our JWT (see session_token), written by a
  small script in the page (see write_pending) instead of the library's cookie component:
  that component reports back to the server when it is done, and the rerun its report
  causes used to land just after a person's first click after signing in, undoing it (the
  page they chose flicked back to the one they came from).
- the library's 0.7 s sleep before every signed-out run is turned off: it waits for a cookie
  component to report back, and we read the cookie from st.context.cookies instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
import uuid
from email.utils import format_datetime
from typing import Any

import streamlit as st
from streamlit_authenticator import Authenticate
from streamlit_authenticator.controllers import AuthenticationController, CookieController
from streamlit_authenticator.models import CookieModel

from sprintsync.config import get_settings, session_secret
from sprintsync.domain import PASSWORD_MAX, PASSWORD_MIN
from sprintsync.errors import AuthError, ValidationError
from sprintsync.services import auth, session_token, unit_of_work, users
from sprintsync.services.views import Actor
from sprintsync.ui.session import ACTOR_KEY, current_actor

log = logging.getLogger("sprintsync.ui.auth")

PENDING_COOKIE_KEY = "_sprintsync_cookie_write"
SEEN_COOKIE_KEY = "_sprintsync_cookie_seen"
NOTICE_KEY = "_sprintsync_sign_in_notice"
ATTEMPT_KEY = "_sprintsync_auth_attempt"
EXPIRES_KEY = "_sprintsync_session_expires"
PASSWORD_HELP = f"{PASSWORD_MIN} to {PASSWORD_MAX} characters; a passphrase works well."

# What the library keeps in session_state about the signed-in user; mirrored from the Actor.
_LIBRARY_KEYS = ("authentication_status", "username", "name", "roles", "email")


def publish(actor: Actor | None) -> None:
    """Make `actor` the signed-in user of this browser session (None: nobody)."""
    if actor is None:
        st.session_state.pop(ACTOR_KEY, None)
        for key in _LIBRARY_KEYS:
            st.session_state[key] = None
        return
    st.session_state[ACTOR_KEY] = actor
    st.session_state.update(
        authentication_status=True,
        username=actor.username,
        name=actor.username,
        roles=[actor.role.value],
        email=None,
        logout=None,
    )


def forget_session_state() -> None:
    """A session ended in this browser: nothing of that user's may show to the next one who
    signs in here (an open task, a day plan, a draft, typed text). Only what the sign-in
    machinery itself needs survives."""
    keep = {PENDING_COOKIE_KEY, SEEN_COOKIE_KEY, NOTICE_KEY, ATTEMPT_KEY, *_LIBRARY_KEYS}
    for key in list(st.session_state.keys()):
        if key not in keep:
            del st.session_state[key]
    st.query_params.clear()


def attempted() -> bool:
    """Whether this run signed in, out or up (not merely drew the form); once per run."""
    return bool(st.session_state.pop(ATTEMPT_KEY, False))


def take_notice() -> str | None:
    """Why the last session ended, once (shown above the sign-in form)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    return str(notice) if notice is not None else None


SESSION_EXPIRED = "Your session has expired. Please sign in again."


def _session_expires_in(hours: float) -> None:
    st.session_state[EXPIRES_KEY] = time.time() + hours * 3600


class SessionCookie(CookieModel):
    """The re-authentication cookie: a JWT with user id, username, token version and `exp`."""

    def __init__(self) -> None:
        # Not calling the library's __init__: it renders the cookie component straight away,
        # and we only need it in the runs that write.
        settings = get_settings()
        self.cookie_name = session_token.COOKIE_NAME
        self.cookie_key = session_secret(settings)
        self.cookie_expiry_days = settings.session_hours / 24
        self.hours = settings.session_hours
        self.secure = settings.secure_cookie
        self.token = None
        self.exp_date = None

    def get_cookie(self) -> dict[str, Any] | None:
        """The claims of the cookie the browser sent, tried once per browser session:
        st.context.cookies is what the browser sent when the page loaded and never changes."""
        raw = st.context.cookies.get(self.cookie_name)
        if not raw or st.session_state.get(SEEN_COOKIE_KEY) == raw:
            return None
        st.session_state[SEEN_COOKIE_KEY] = raw
        claims = session_token.read(raw, secret=self.cookie_key)
        if claims is None:
            self.delete_cookie()
            return None
        return {
            "username": claims.username,
            "user_id": claims.user_id,
            "token_version": claims.token_version,
            "exp_date": claims.expires_at.timestamp(),
        }

    def set_cookie(self) -> None:
        actor = current_actor()
        if actor is None:
            return
        now = dt.datetime.now(dt.UTC)
        token = session_token.issue(actor, secret=self.cookie_key, hours=self.hours, now=now)
        expires = (now + dt.timedelta(hours=self.hours)).isoformat()
        st.session_state[PENDING_COOKIE_KEY] = ("set", (token, expires), uuid.uuid4().hex[:12])

    def delete_cookie(self) -> None:
        st.session_state[PENDING_COOKIE_KEY] = ("delete", None, uuid.uuid4().hex[:12])

    def write_pending(self) -> None:
        """Draw the cookie the browser should hold (set, or deleted) as a script in a slot of
        its own in the sidebar; call once per run, before the page.

        The script reports nothing back, so writing the cookie never reruns the app. It is
        drawn again on every run of this browser session, at the same place with the same
        text: the browser runs it once, when it first appears (a rerun that came too soon
        for it cannot lose the write), and again only when the cookie changes."""
        slot = st.sidebar.empty()  # always there: the page's elements keep their positions
        pending = st.session_state.get(PENDING_COOKIE_KEY)
        if pending is not None:
            operation, payload, _ = pending
            slot.html(self._script(operation, payload), unsafe_allow_javascript=True)

    def _script(self, operation: str, payload: Any) -> str:
        if operation == "set":
            token, expires = payload
            when = dt.datetime.fromisoformat(expires)
            value = token
            attributes = f"; Max-Age={self.hours * 3600}; Expires={format_datetime(when, True)}"
        else:
            value, attributes = "", "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        attributes = "; Path=/; SameSite=Strict" + attributes + ("; Secure" if self.secure else "")
        write = {"method": operation, "cookie": self.cookie_name, "value": value}
        # The token is base64url text; json.dumps quotes it safely inside the script.
        return (
            "<script>(function () {\n"
            f"const write = {json.dumps(write)};\n"
            f"document.cookie = write.cookie + '=' + write.value + {json.dumps(attributes)};\n"
            "})();</script>"
        )


class _CookieController(CookieController):
    def __init__(self, model: SessionCookie) -> None:
        self.cookie_model = model


class DatabaseAuthController(AuthenticationController):
    """The library's controller with every decision delegated to the service layer."""

    def __init__(self, cookie: SessionCookie) -> None:
        # Not calling the library's __init__: it builds a model around a credentials dict.
        self.cookie = cookie

    def login(
        self,
        username: str | None = None,
        password: str | None = None,
        max_concurrent_users: int | None = None,
        max_login_attempts: int | None = None,
        token: dict[str, Any] | None = None,
        single_session: bool = False,
        callback: Any = None,
        captcha: bool = False,
        entered_captcha: str | None = None,
    ) -> bool:
        if token is None:  # a password is checked by sign_in, never through the library
            raise TypeError("DatabaseAuthController.login resumes a cookie's token only")
        return self._resume(token)

    def _resume(self, token: dict[str, Any]) -> bool:
        try:
            actor = auth.resume_session(
                unit_of_work(), user_id=token["user_id"], token_version=token["token_version"]
            )
        except AuthError as error:
            st.session_state[NOTICE_KEY] = error.message
            self.cookie.delete_cookie()
            return False
        except Exception:
            # No verdict on the cookie (the database is down or busy): try it again next run
            # instead of treating this browser as signed out until its next hard refresh.
            st.session_state.pop(SEEN_COOKIE_KEY, None)
            raise
        publish(actor)
        st.session_state[EXPIRES_KEY] = token["exp_date"]
        return True

    def logout(self, callback: Any = None) -> None:
        """End every session of this user (in the database first: if that fails, they stay
        signed in here and can try again), then forget them here and drop the cookie."""
        st.session_state[ATTEMPT_KEY] = True
        actor = current_actor()
        if actor is not None:
            auth.sign_out(unit_of_work(), actor=actor)
        publish(None)
        forget_session_state()
        st.session_state["logout"] = True
        self.cookie.delete_cookie()

    def register_user(
        self,
        new_first_name: str,
        new_last_name: str,
        new_email: str,
        new_username: str,
        new_password: str,
        new_password_repeat: str,
        password_hint: str | None,
        pre_authorized: list[str] | None = None,
        domains: list[str] | None = None,
        roles: list[str] | None = None,
        callback: Any = None,
        captcha: bool = False,
        entered_captcha: str | None = None,
    ) -> tuple[str | None, str, str]:
        st.session_state[ATTEMPT_KEY] = True
        if new_password != new_password_repeat:
            raise ValidationError("The two passwords do not match.")
        full_name = " ".join(part.strip() for part in (new_first_name, new_last_name) if part)
        view = users.register(
            unit_of_work(),
            username=new_username,
            password=new_password,
            full_name=full_name.strip(),
            email=new_email or None,
        )
        return view.email, view.username, view.full_name


class SprintSyncAuthenticator(Authenticate):
    """streamlit_authenticator.Authenticate wired to the database and our session cookie."""

    def __init__(self) -> None:
        # Not calling the library's __init__: it would build the credentials-dict controllers.
        cookie = SessionCookie()
        self.api_key = None
        self.path = None
        self.secret_key = cookie.cookie_key
        self.attrs = {"login_sleep_time": 0, "password_instructions": PASSWORD_HELP}
        self.cookie = cookie
        self.cookie_controller = _CookieController(cookie)
        self.authentication_controller = DatabaseAuthController(cookie)

    def resume_from_cookie(self) -> Actor | None:
        """Sign in from the cookie the browser sent, if it is genuine and still current."""
        claims = self.cookie_controller.get_cookie()
        if claims:
            self.authentication_controller.login(token=claims)
        return current_actor()

    def end_session(self, notice: str) -> None:
        """This browser session is over (signed out elsewhere, deactivated, password reset,
        expired)."""
        publish(None)
        forget_session_state()
        st.session_state[NOTICE_KEY] = notice
        self.cookie.delete_cookie()

    def reissue_cookie(self) -> None:
        """A new cookie for the current actor (their token version changed)."""
        self.cookie.set_cookie()

    def write_pending_cookie(self) -> None:
        self.cookie.write_pending()


def authenticator() -> SprintSyncAuthenticator:
    return SprintSyncAuthenticator()


def sign_in(username: str, password: str) -> Actor:
    """Check the password (services.auth: bcrypt, lockout, deactivation); on success this
    browser session is theirs and the browser is told to keep their cookie. Passwords are
    checked exactly as typed (the library would strip them)."""
    actor = auth.authenticate(unit_of_work(), username=username, password=password)
    publish(actor)
    _session_expires_in(get_settings().session_hours)
    authenticator().reissue_cookie()
    return actor


def signed_in_actor(gate: SprintSyncAuthenticator) -> Actor | None:
    """Who is signed in for this run, re-read from the database on every rerun: a
    deactivation, a password reset or a sign-out elsewhere ends the session here, and a
    role change applies at once."""
    actor = current_actor()
    if actor is None:
        resumed = gate.resume_from_cookie()
        if resumed is None:
            publish(None)  # the library's own flags must agree, or it hides its login form
        return resumed
    # A tab left open ends when its cookie would have: SPRINTSYNC_SESSION_HOURS bounds the
    # session, not only the cookie.
    if time.time() >= st.session_state.get(EXPIRES_KEY, math.inf):
        gate.end_session(SESSION_EXPIRED)
        return None
    try:
        fresh = auth.resume_session(
            unit_of_work(), user_id=actor.id, token_version=actor.token_version
        )
    except AuthError as error:
        gate.end_session(error.message)
        return None
    publish(fresh)
    return fresh
