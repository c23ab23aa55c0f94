"""Your account: your role, your profile, your password and your focus hours for the day plan."""

import streamlit as st

from sprintsync.services import unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import account, account_focus
from sprintsync.ui.password import change_password_form
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Account")
me = load(users.get_user, unit_of_work(), actor=actor, username=actor.username)
account.signed_in_as(me)

profile_col, password_col = st.columns(2)
with profile_col:
    account.profile_form(actor, me)
    account_focus.focus_form(actor)
with password_col:
    change_password_form(actor)
