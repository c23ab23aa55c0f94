"""Account: your personal access tokens for the HTTP API (docs/API.md): create one (its
secret shown once, on the run after it was made), see them all, revoke one."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from sprintsync import clock
from sprintsync.services import tokens, unit_of_work
from sprintsync.services.views import Actor, TokenView
from sprintsync.ui.actions import acting, confirmed, finish
from sprintsync.ui.errors import load
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

NEW_TOKEN = Form("token.new")
# The session key holding the token just made and its secret, until drawn once.
_SECRET_KEY = "_token_secret"  # noqa: S105 (a key name)
SCOPES = {"read": "Read only", "write": "Read and write"}


def _when(moment: dt.datetime | None, never: str = "never") -> str:
    return moment.astimezone(clock.tz()).strftime("%Y-%m-%d %H:%M") if moment else never


def new_token_form(actor: Actor) -> None:
    """Name, scope and an optional expiry; a refusal keeps what was typed."""
    form = NEW_TOKEN
    with form.drawn():
        st.subheader("New API token", anchor=False)
        name = st.text_input("Token name", key=form.key("name"), placeholder="laptop, CI job")
        scope = st.radio(
            "Scope",
            list(SCOPES),
            format_func=SCOPES.__getitem__,
            key=form.key("scope"),
            horizontal=True,
        )
        expires_on = st.date_input(
            "Expires on (empty: never)",
            value=None,
            key=form.key("expires_on"),
            min_value=clock.today(),
        )
        if form.submitted("Create token", type="primary"):
            with acting("tokens.create_token"):
                made = tokens.create_token(
                    unit_of_work(), actor=actor, name=name, scope=scope, expires_on=expires_on
                )
                st.session_state[_SECRET_KEY] = (made.token.name, made.secret)
                finish(f"Token {made.token.name!r} created.", form=form)


def secret_once() -> None:
    """The secret of the token just made, this once: the next run no longer has it."""
    shown = st.session_state.pop(_SECRET_KEY, None)
    if shown is None:
        return
    name, secret = shown
    with st.container(border=True):
        st.success(
            f"Your new token {escape_markdown(name)}: copy it now, it is not shown again.",
            icon=":material/key:",
        )
        st.code(secret, language=None)


def token_list(actor: Actor) -> None:
    """Every token of yours, newest first, each with its state and a revoke button."""
    mine = load(tokens.list_tokens, unit_of_work(), actor=actor)
    st.subheader("Your API tokens", anchor=False)
    if not mine:
        st.caption("No tokens yet. Scripts and CI jobs use one to reach the API.")
        return
    now = clock.utcnow()
    for token in mine:
        _token_row(actor, token, token.state_at(now))


def _token_row(actor: Actor, token: TokenView, state: str) -> None:
    with st.container(border=True):
        st.markdown(
            f"**{escape_markdown(token.name)}** `{token.prefix}…` · {SCOPES[token.scope]} · {state}"
        )
        st.caption(
            f"Created {_when(token.created_at)} · last used {_when(token.last_used_at)} · "
            f"expires {_when(token.expires_at)}"
            + (f" · revoked {_when(token.revoked_at)}" if token.revoked_at else "")
        )
        if state == "revoked":
            return
        if confirmed(
            f"revoke-token:{token.id}",
            ask="Revoke",
            question=f"Revoke the token {token.name!r}? Whatever uses it is refused at once.",
            yes=f"Revoke {escape_markdown(token.name)}",
        ):
            with acting("tokens.revoke_token"):
                tokens.revoke_token(unit_of_work(), actor=actor, token_id=token.id)
                finish(f"Token {token.name!r} revoked.")
