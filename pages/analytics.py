"""Analytics (placeholder: this page is built on its own branch)."""

import streamlit as st

from sprintsync.ui.session import require_actor

require_actor()
st.title("Analytics")
st.write("Team time analytics will be shown here.")
