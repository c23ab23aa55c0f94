"""My tasks (placeholder: this page is built on its own branch)."""

import streamlit as st

from sprintsync.ui.session import require_actor

require_actor()
st.title("My tasks")
st.write("Your tasks will be listed here.")
