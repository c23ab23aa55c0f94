"""SprintSync: the Streamlit entry point."""

import streamlit as st

from sprintsync import startup

st.set_page_config(page_title="SprintSync", page_icon=":material/timer:", layout="wide")
startup.prepare_database()
st.title("SprintSync")
st.write("The app is on its way; the service layer and the CLI are ready.")
