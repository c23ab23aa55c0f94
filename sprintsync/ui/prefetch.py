"""Load the browser code of the widgets the next page draws while the person is still on this
one (the sign-in form: typing a password takes seconds).

Streamlit's frontend loads each widget's code the first time that widget is drawn, in waves
(a select box's code, then the code it imports), so the first page after signing in waited
about 150 ms for them (benchmarks/browser.py). The script drawn here imports those modules
from the very URLs the frontend will ask for; once loaded, the frontend's own imports find
them ready. Nothing else is fetched: the files are Streamlit's own, served by this server.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

# The widget modules the landing page (My tasks) draws, by their name in Streamlit's build.
LANDING_WIDGETS = (
    "Button",
    "ButtonGroup",
    "DataFrame",  # the table of tasks
    "DateInput",
    "Multiselect",
    "Selectbox",
    "TextArea",
    "Toast",
)
_STATIC_JS = Path(st.__file__).parent / "static" / "static" / "js"


@functools.cache
def module_files(widgets: tuple[str, ...] = LANDING_WIDGETS) -> tuple[str, ...]:
    """The build's file for each widget ("Selectbox.7rsxE6LC.js"); a name the installed
    Streamlit does not have is skipped (its code then loads when first drawn, as before)."""
    found = []
    for widget in widgets:
        matches = sorted(_STATIC_JS.glob(f"{widget}.*.js"))
        if len(matches) == 1:
            found.append(matches[0].name)
    return tuple(found)


def script(files: tuple[str, ...]) -> str:
    """Import each file next to the frontend's own entry module (so a base URL path is kept).
    A failed import is ignored: the frontend loads the module itself when it needs it."""
    return (
        "<script>(function () {\n"
        f"const files = {json.dumps(list(files))};\n"
        'const entry = document.querySelector(\'script[type="module"][src*="/js/index."]\');\n'
        "if (!entry) return;\n"
        "for (const file of files) import(new URL(file, entry.src).href).catch(() => {});\n"
        "})();</script>"
    )


def landing_widgets() -> None:
    """Draw (invisibly) the script that loads the landing page's widget code."""
    files = module_files()
    if files:
        st.html(script(files), unsafe_allow_javascript=True)
