"""Sign in (every URL shows this page to a signed-out visitor)."""

import streamlit as st

from sprintsync.config import get_settings
from sprintsync.ui import auth, warm_up
from sprintsync.ui.actions import submit_button
from sprintsync.ui.forms import Form


def _sign_in(form: Form) -> str:
    # In the button's callback: the run that follows draws the page they came for.
    actor = auth.sign_in(form.value("username") or "", form.value("password") or "")
    return f"Signed in as {actor.username}."


_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("SprintSync")
    st.caption("Log work on tasks, track your time, plan your day.")
    notice = auth.take_notice()
    if notice:
        st.info(notice, icon=":material/info:")

    form = Form("sign_in")
    with form.drawn():
        st.subheader("Sign in")
        st.text_input("Username", key=form.key("username"), autocomplete="username")
        st.text_input(
            "Password", type="password", key=form.key("password"), autocomplete="current-password"
        )
        submit_button(form, "Sign in", action="sign_in", do=_sign_in, args=(form,))

    if get_settings().signup_open:
        st.page_link(
            "app_pages/sign_up.py", label="No account yet? Sign up", icon=":material/person_add:"
        )

warm_up.elements()  # while the password is typed
