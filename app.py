"""SprintSync: the Streamlit entry point. Every browser interaction reruns this file."""

import streamlit as st

from sprintsync import observability, startup
from sprintsync.ui import auth, frame, navigation, observe, warm_up
from sprintsync.ui.actions import finish
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import current_actor

observability.start_once()  # logging + metrics sidecar, once per process
st.set_page_config(page_title="SprintSync", page_icon=navigation.FAVICON, layout="wide")

ready = False
with show_errors():
    startup.prepare_database()
    gate = auth.authenticator()
    # Re-checked against the database on every rerun; None shows only the sign-in pages.
    actor = auth.signed_in_actor(gate)
    ready = True
if not ready:
    st.stop()

page = st.navigation(navigation.pages_for(actor))
if actor is not None:
    navigation.sidebar(actor)
    with show_errors(action="sign_out", happened=auth.attempted):
        gate.logout("Sign out", location="sidebar", key="sign_out")
    if current_actor() is None:
        finish("Signed out.")
gate.write_pending_cookie()

# The one place a page runs: counted, timed and logged; no traceback reaches the user.
with observe.page_run(page), show_errors():
    frame.above_the_page(current_actor())  # the last action's toast, the running timer
    page.run()
    warm_up.once()  # a browser back with its cookie never drew the sign-in page's
