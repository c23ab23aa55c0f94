"""Your account: your role, your profile and your password."""

import streamlit as st

from sprintsync.domain import EMAIL_MAX, FULL_NAME_MAX
from sprintsync.errors import ValidationError
from sprintsync.services import unit_of_work, users
from sprintsync.ui import focus
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.auth import PASSWORD_HELP, authenticator, publish
from sprintsync.ui.errors import attempt
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Account")

me = attempt(users.get_user, unit_of_work(), actor=actor, username=actor.username)
if me is None:
    st.stop()
who = f"**{escape_markdown(me.username)}**" + (
    f" ({escape_markdown(me.full_name)})" if me.full_name else ""
)
st.markdown(f"Signed in as {who} with the role **{me.role.value}**.")

profile_col, password_col = st.columns(2)
with profile_col.form("profile"):
    st.subheader("Profile")
    full_name = st.text_input("Full name", value=me.full_name, max_chars=FULL_NAME_MAX)
    email = st.text_input("Email", value=me.email or "", max_chars=EMAIL_MAX)
    if st.form_submit_button("Save profile"):
        with acting("account.update_profile"):
            users.update_profile(
                unit_of_work(), actor=actor, full_name=full_name, email=email or None
            )
            finish("Profile saved.")

# Our own form rather than the library's reset widget, which strips spaces from passwords.
with password_col.form("change_password", clear_on_submit=True):
    st.subheader("Change password")
    current = st.text_input("Current password", type="password", autocomplete="current-password")
    new = st.text_input(
        "New password", type="password", help=PASSWORD_HELP, autocomplete="new-password"
    )
    repeat = st.text_input("Repeat the new password", type="password", autocomplete="new-password")
    if st.form_submit_button("Change password"):
        with acting("account.change_password", "Changing your password…"):
            if new != repeat:
                raise ValidationError("The two new passwords do not match.")
            fresh = users.change_password(
                unit_of_work(), actor=actor, current_password=current, new_password=new
            )
            # The token version moved on: a new cookie keeps this browser signed in, while
            # every other session ends on its next click.
            publish(fresh)
            authenticator().reissue_cookie()
            finish("Password changed. Your other sessions are signed out.")

focus.focus_form(actor)
