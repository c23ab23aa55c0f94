"""One element of each kind the signed-in pages draw, drawn hidden once per page load (on
the sign-in page while the password is typed, or after the first signed-in page of a
browser that came back with its cookie), so that the pages after it draw theirs at once.

Streamlit's frontend loads a kind of element's code the first time one is drawn in a page
load (React.lazy): until it is loaded, the element is a placeholder, and React then holds
back showing the element for as long as 500 ms after the placeholder appeared (its Suspense
throttle). Loading the code beforehand does not help: React still waits for it as for code
not yet loaded. Only an element of that kind drawn once does. After signing in, My tasks'
view switch stood as a placeholder for 130-170 ms after the run had ended (demo workspace),
and so did the first chart on My time or Analytics, the first date field, and so on. A
browser that reopened the app with its cookie skips the sign-in page: its first visit to
Analytics took 4.6 times the floor instead of 2.6 (docs/PERFORMANCE.md).

All of it is in a container the browser does not display: no one sees, reaches or hears
it (not in the accessibility tree, nor in the order of Tab). The widgets are disabled too;
the download is the app's own (ui/exports, an empty CSV), as every download must be.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from sprintsync.ui.exports import download_csv

KEY = "warm-up"  # the container's key; Streamlit gives it the class st-key-warm-up
# Set once drawn: a browser session is one page load, and loaded code stays loaded in it.
DRAWN_KEY = "_sprintsync_warmed_up"
_HIDDEN = f"<style>.st-key-{KEY} {{ display: none; }}</style>"
_ONE = ["-"]
HIDE: Final = "collapsed"  # no label drawn


def once() -> None:
    """Draw the hidden elements unless this page load has drawn them already: at the end of
    the sidebar, after what the person came for and out of the page's own area (whose
    elements the page, and its tests, count)."""
    if not st.session_state.get(DRAWN_KEY):
        elements(st.sidebar)


def elements(parent: DeltaGenerator | None = None) -> None:
    """Draw the hidden elements (last in `parent`, the main area by default: the container
    takes no room)."""
    st.session_state[DRAWN_KEY] = True
    box = parent.container(key=KEY) if parent is not None else st.container(key=KEY)
    with box:
        st.html(_HIDDEN)
        st.segmented_control(
            "warm-up view", _ONE, key=f"{KEY}.view", label_visibility=HIDE, disabled=True
        )
        st.multiselect(
            "warm-up many", _ONE, key=f"{KEY}.many", label_visibility=HIDE, disabled=True
        )
        st.selectbox("warm-up one", _ONE, key=f"{KEY}.one", label_visibility=HIDE, disabled=True)
        st.radio("warm-up radio", _ONE, key=f"{KEY}.radio", label_visibility=HIDE, disabled=True)
        st.toggle("warm-up toggle", key=f"{KEY}.toggle", label_visibility=HIDE, disabled=True)
        st.date_input(
            "warm-up date",
            dt.date(2000, 1, 1),
            key=f"{KEY}.date",
            label_visibility=HIDE,
            disabled=True,
        )
        st.number_input(  # with help: the help icon's code too
            "warm-up number", key=f"{KEY}.number", help="-", label_visibility=HIDE, disabled=True
        )
        # The sign-in form's button is a form's: the sidebar's Sign out was the first of these.
        st.button("warm-up button", key=f"{KEY}.button", disabled=True)
        st.text_area("warm-up text", key=f"{KEY}.text", label_visibility=HIDE, disabled=True)
        download_csv(pd.DataFrame(), KEY, label="warm-up download")  # as every download is
        st.dataframe({"-": [0]}, key=f"{KEY}.table")  # also st.data_editor's code
        st.table({"-": [0]})
        st.metric("warm-up metric", 0, help="-")
        st.text("-")
        st.progress(0)
        st.code("-", language=None)
        st.plotly_chart(go.Figure(), key=f"{KEY}.chart", theme=None)
