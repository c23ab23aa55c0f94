"""Account: who you are, and your profile form."""

from __future__ import annotations

import streamlit as st

from sprintsync.services import unit_of_work, users
from sprintsync.services.views import Actor, UserView
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

PROFILE = Form("profile")


def signed_in_as(me: UserView) -> None:
    who = f"**{escape_markdown(me.username)}**" + (
        f" ({escape_markdown(me.full_name)})" if me.full_name else ""
    )
    st.markdown(f"Signed in as {who} with the role **{me.role.value}**.")


def profile_form(actor: Actor, me: UserView) -> None:
    """Full name and email, starting from what is saved; drawn afresh from the saved values
    after a save."""
    form = PROFILE
    if form.value("full_name") is None:
        form.set("full_name", me.full_name)
        form.set("email", me.email or "")
    with form.drawn():
        st.subheader("Profile", anchor=False)
        # No max_chars: the browser would drop a longer paste whole; the service says how
        # long it may be, and the text stays here to shorten.
        full_name = st.text_input("Full name", key=form.key("full_name"))
        email = st.text_input("Email", key=form.key("email"))
        if form.submitted("Save profile", type="primary"):
            with acting("account.update_profile"):
                users.update_profile(
                    unit_of_work(), actor=actor, full_name=full_name, email=email or None
                )
                finish("Profile saved.", form=form)
