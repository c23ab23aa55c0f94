"""Choose a password: the only page of someone signed in with a temporary password (a new
account, or one an admin reset), until they replace it."""

import streamlit as st

from sprintsync.ui.password import change_password_form
from sprintsync.ui.session import require_actor

actor = require_actor()
_, middle, _ = st.columns([1, 2, 1])
with middle:
    st.title("Choose your password")
    st.info(
        "You signed in with a temporary password that someone else knows. Choose your own "
        "to continue: type the temporary one, then your new password twice.",
        icon=":material/password:",
    )
    change_password_form(actor, current_label="Temporary password")
