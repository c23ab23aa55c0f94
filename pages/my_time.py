"""My time (placeholder: this page is built on its own branch)."""

import streamlit as st

from sprintsync.ui.session import require_actor

require_actor()
st.title("My time")
st.write("Your weekly timesheet will be shown here.")
