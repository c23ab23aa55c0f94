"""What surrounds a user action on a page: errors shown, a spinner while it runs, a toast that
survives the rerun that shows its result, and the one way to confirm a destructive action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import streamlit as st

from sprintsync.ui.errors import show_errors
from sprintsync.ui.forms import Form, release_claims
from sprintsync.ui.literal import escape_markdown

_FLASH_KEY = "_flash"
_ASKING_KEY = "_asking"


@contextmanager
def acting(action: str, busy: str = "Saving…") -> Iterator[None]:
    """Run one user action: domain errors shown where it happened, a spinner if it is slow.
    A form submission it ran for and that did not finish is let go (see ui.forms)."""
    try:
        with show_errors(action=action), st.spinner(busy):
            yield
    finally:
        release_claims()


def show_flash() -> None:
    """Toast what the previous run reported (app.py calls it once per run)."""
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.toast(escape_markdown(message), icon=":material/check_circle:")


def finish(message: str, *, form: Form | None = None) -> NoReturn:
    """After a successful action: draw `form` afresh (see ui.forms), rerun so the whole page
    shows the new state, and toast `message` on that run. Call it straight after the service
    call, before drawing anything: a second click already on its way then finds nothing."""
    if form is not None:
        form.done()
    flash(message)
    st.rerun()


def flash(message: str) -> None:
    """Toast `message` on the next run (for a page that reruns or switches page itself)."""
    st.session_state[_FLASH_KEY] = message


def stop_asking() -> None:
    """Forget a confirmation being asked (e.g. the thing it was about went off screen)."""
    st.session_state.pop(_ASKING_KEY, None)


def confirmed(
    what: str,
    *,
    ask: str,
    question: str,
    yes: str,
    version: object = "",
    **button: Any,
) -> bool:
    """The one way to confirm a destructive action. Draws the button `ask`; once clicked, the
    same spot shows `question` with `yes` and Cancel instead. True on the run where `yes` was
    clicked. One question is asked at a time: asking another forgets this one.

    `what` names the action and its target (`deactivate:12`); `version` names the state the
    question describes (e.g. how many time entries a delete takes with it): if it changed
    since the question was drawn, the click belongs to a button that is gone and the new
    question shows instead. Labels are Markdown: `yes` must have any user text escaped."""
    if st.session_state.get(_ASKING_KEY) != what:
        st.button(ask, key=f"ask.{what}", on_click=_ask, args=(what,), **button)
        return False
    with st.container(border=True):
        st.warning(escape_markdown(question), icon=":material/help:")
        with st.container(horizontal=True):
            clicked = st.button(yes, key=f"confirm.{what}.{version}", type="primary")
            st.button("Cancel", key=f"cancel.{what}", on_click=stop_asking)
    if clicked:
        stop_asking()
    return clicked


def _ask(what: str) -> None:
    st.session_state[_ASKING_KEY] = what
