"""Create an account (a member) when sign-up is open."""

import streamlit as st

from sprintsync.config import get_settings
from sprintsync.ui.actions import flash
from sprintsync.ui.auth import attempted, authenticator
from sprintsync.ui.errors import show_errors

_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("Create your account")
    if not get_settings().signup_open:
        st.info("Sign-up is closed. Ask an admin to create an account for you.")
        st.stop()

    st.caption("New accounts are members: they see and log time on their own tasks.")
    username = None
    with show_errors(action="sign_up", happened=attempted), st.spinner("Creating your account…"):
        _, username, _ = authenticator().register_user(
            location="main",
            key="sign_up",
            captcha=False,
            password_hint=False,
            fields={
                "Form name": "Your details",
                "First name": "First name",
                "Last name": "Last name",
                "Email": "Email (optional)",
                "Username": "Username",
                "Password": "Password",
                "Repeat password": "Repeat password",
                "Register": "Create account",
            },
        )
    if username:
        flash(f"Account {username} created. Sign in with your new password.")
        st.switch_page("app_pages/sign_in.py")
    st.page_link(
        "app_pages/sign_in.py", label="Already have an account? Sign in", icon=":material/login:"
    )
