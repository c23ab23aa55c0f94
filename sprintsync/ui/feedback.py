"""Confirmations that survive the rerun which usually follows an action."""

from __future__ import annotations

import streamlit as st

_FLASH_KEY = "_sprintsync_flash"


def confirm(message: str, *, after_rerun: bool = False) -> None:
    """A toast now, or (after_rerun=True) at the start of the next run."""
    if after_rerun:
        st.session_state.setdefault(_FLASH_KEY, []).append(message)
    else:
        st.toast(message, icon=":material/check_circle:")


def show_pending() -> None:
    """Show confirmations queued before a rerun; app.py calls it once per run."""
    for message in st.session_state.pop(_FLASH_KEY, []):
        st.toast(message, icon=":material/check_circle:")
