"""Sign in (every URL shows this page to a signed-out visitor)."""

import streamlit as st

from sprintsync.config import get_settings
from sprintsync.ui.actions import finish
from sprintsync.ui.auth import attempted, authenticator, take_notice
from sprintsync.ui.errors import show_errors
from sprintsync.ui.prefetch import landing_widgets
from sprintsync.ui.session import current_actor

_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("SprintSync")
    st.caption("Log work on tasks, track your time, plan your day.")
    notice = take_notice()
    if notice:
        st.info(notice, icon=":material/info:")

    with show_errors(action="sign_in", happened=attempted):
        authenticator().login(
            location="main",
            key="sign_in",
            fields={
                "Form name": "Sign in",
                "Username": "Username",
                "Password": "Password",
                "Login": "Sign in",
            },
        )

    actor = current_actor()
    if actor is not None:
        finish(f"Signed in as {actor.username}.")

    landing_widgets()  # while the password is typed

    if get_settings().signup_open:
        st.page_link(
            "app_pages/sign_up.py", label="No account yet? Sign up", icon=":material/person_add:"
        )
