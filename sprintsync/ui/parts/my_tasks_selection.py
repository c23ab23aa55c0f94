"""Which task the My tasks page shows open.

It is kept in two places at once: the session (``st.session_state["selected_task_id"]``, an int)
and the URL (``?task=<id>``), so that the address bar can be copied as a link to the task and
a hard refresh, which starts a new session, opens the same task again. Every "Open" goes
through select() and every close through clear(), which change both. When the two disagree,
the URL wins: it only differs when something outside this page changed it (a pasted link,
st.switch_page with query parameters), and that is the newer wish.

Opening or closing a task forgets any confirmation being asked (a delete armed on the task
that was open never greets the next one).
"""

from __future__ import annotations

import streamlit as st

from sprintsync.ui.actions import stop_asking

SESSION_KEY = "selected_task_id"
CLOSED_KEY = "my_tasks.closed"  # how many times a task was closed in this session
QUERY_PARAM = "task"
MAX_ID = 2**31 - 1  # tasks.id is an integer column; a larger number cannot name a task


def select(task_id: int) -> None:
    """Open the task (usable as a button's on_click)."""
    stop_asking()
    st.session_state[SESSION_KEY] = task_id
    st.query_params[QUERY_PARAM] = str(task_id)


def clear() -> None:
    """Close the open task, in the session and the URL."""
    stop_asking()
    st.session_state.pop(SESSION_KEY, None)
    st.query_params.pop(QUERY_PARAM, None)
    st.session_state[CLOSED_KEY] = closings() + 1


def closings() -> int:
    """How many times a task was closed in this session (part of the table's key)."""
    return int(st.session_state.get(CLOSED_KEY, 0))


def current() -> int | None:
    """The open task's id, from the URL or else the session; both agree afterwards."""
    raw = st.query_params.get(QUERY_PARAM)
    if raw is not None:
        if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
            st.session_state[SESSION_KEY] = int(raw)
            return int(raw)
        st.query_params.pop(QUERY_PARAM)  # not a task id: nothing to open from it
    task_id = st.session_state.get(SESSION_KEY)
    if task_id is not None:
        st.query_params[QUERY_PARAM] = str(task_id)
    return task_id
