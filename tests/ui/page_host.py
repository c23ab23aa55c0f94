"""Runs one page script as app.py runs it for a signed-in user: what app.py draws above
every page (sprintsync.ui.frame), then the page named in session_state["_test_page"]."""

import runpy

import streamlit as st

from sprintsync.ui import frame
from sprintsync.ui.session import current_actor

frame.above_the_page(current_actor())
runpy.run_path(st.session_state["_test_page"], run_name="__main__")
