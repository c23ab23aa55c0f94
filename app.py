"""SprintSync: the Streamlit entry point."""

import streamlit as st

from sprintsync import observability, startup
from sprintsync.ui import observe

observability.start_once()  # logging + metrics sidecar, once per process
st.set_page_config(page_title="SprintSync", page_icon=":material/timer:", layout="wide")
with observe.page_run("home"):  # around the page run: pg.run() once navigation exists
    startup.prepare_database()
    st.title("SprintSync")
    st.write("The app is on its way; the service layer and the CLI are ready.")
