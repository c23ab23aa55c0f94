"""Changing one's own password: the Account page's form, and the page a temporary password
leads to at sign-in. Our own form rather than the library's reset widget, which strips spaces
from passwords."""

from __future__ import annotations

import streamlit as st

from sprintsync.errors import ValidationError
from sprintsync.services import unit_of_work, users
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.auth import PASSWORD_HELP, authenticator, publish
from sprintsync.ui.forms import Form

FORM = Form("change_password")


def change_password_form(actor: Actor, *, current_label: str = "Current password") -> None:
    with FORM.drawn():
        st.subheader("Change password", anchor=False)
        current = st.text_input(
            current_label, type="password", autocomplete="current-password", key=FORM.key("cur")
        )
        new = st.text_input(
            "New password",
            type="password",
            help=PASSWORD_HELP,
            autocomplete="new-password",
            key=FORM.key("new"),
        )
        repeat = st.text_input(
            "Repeat the new password",
            type="password",
            autocomplete="new-password",
            key=FORM.key("repeat"),
        )
        if FORM.submitted("Change password", type="primary"):
            with acting("account.change_password", "Changing your password…"):
                if new != repeat:
                    raise ValidationError("The two new passwords do not match.")
                fresh = users.change_password(
                    unit_of_work(), actor=actor, current_password=current, new_password=new
                )
                FORM.done()
                # The token version moved on: a new cookie keeps this browser signed in,
                # while every other session ends on its next click.
                publish(fresh)
                authenticator().reissue_cookie()
                finish("Password changed. Your other sessions are signed out.")
