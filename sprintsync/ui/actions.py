"""What surrounds a user action on a page: errors shown, a spinner while it runs, and a toast
that survives the rerun that shows its result."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import streamlit as st

from sprintsync.ui.errors import show_errors
from sprintsync.ui.literal import escape_markdown

_FLASH_KEY = "_flash"
_ASKING_KEY = "_asking"


@contextmanager
def acting(action: str, busy: str = "Saving…") -> Iterator[None]:
    """Run one user action: domain errors shown where it happened, a spinner if it is slow."""
    with show_errors(action=action), st.spinner(busy):
        yield


def show_flash() -> None:
    """Toast what the previous run reported; call once near the top of a page."""
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.toast(escape_markdown(message), icon=":material/check_circle:")


def finish(message: str, *, forget: Iterable[str] = ()) -> NoReturn:
    """After a successful action: reset the named widgets to their defaults, rerun so the whole
    page shows the new state, and toast `message` on that run."""
    for key in forget:
        st.session_state.pop(key, None)
    flash(message)
    st.rerun()


def flash(message: str) -> None:
    """Toast `message` on the next run (for a page that reruns or switches page itself)."""
    st.session_state[_FLASH_KEY] = message


def ask(what: str) -> None:
    """A button's on_click: the next run asks the user to confirm `what` (see confirm)."""
    st.session_state[_ASKING_KEY] = what


def confirm(what: str, question: str, yes: str) -> bool:
    """While `what` is being asked: the question with a `yes` button and Cancel. True on the
    run where `yes` was clicked; for actions a tired click must not do at once. `yes` is a
    button label, which Streamlit reads as Markdown: escape any user text in it."""
    if st.session_state.get(_ASKING_KEY) != what:
        return False
    st.warning(escape_markdown(question), icon=":material/help:")
    with st.container(horizontal=True):
        clicked = st.button(yes, key=f"confirm.{what}.yes", type="primary")
        st.button("Cancel", key=f"confirm.{what}.cancel", on_click=_stop_asking)
    if clicked:
        _stop_asking()
    return clicked


def _stop_asking() -> None:
    st.session_state.pop(_ASKING_KEY, None)
