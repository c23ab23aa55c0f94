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
