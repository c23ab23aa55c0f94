"""Your account: your role, your profile, your password, your focus hours for the day plan and
your API tokens."""

import streamlit as st

from sprintsync.services import unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import account, account_focus, account_tokens
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

st.divider()
account_tokens.secret_once()
new_col, list_col = st.columns(2)
with new_col:
    account_tokens.new_token_form(actor)
with list_col:
    account_tokens.token_list(actor)
