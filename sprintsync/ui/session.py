"""The signed-in user of this browser session.

Contract for pages and tests: `st.session_state["actor"]` holds the signed-in Actor (a frozen
sprintsync.services.views.Actor). app.py puts it there after checking the sign-in; AppTest
page tests may put it there directly before the first run.
"""

from __future__ import annotations

import streamlit as st

from sprintsync.services.views import Actor

ACTOR_KEY = "actor"


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def require_actor() -> Actor:
    """The signed-in actor; a page opened without one shows a notice and stops."""
    actor = current_actor()
    if actor is None:
        st.warning("Please sign in to see this page.")
        st.stop()
    return actor
