"""Escape closes the open dialog even after the focus fell out of it.

A move in the open task (Start, Done, ...) replaces the clicked button by the next moves, and
the browser drops the focus to the page's body. The dialog's own key handling only hears keys
from inside it, so Escape then did nothing, and neither did a second press: the person had to
click the X or outside. The script drawn here listens on the document, and only acts while
nothing has the focus (a select box's list or a field in the dialog handles its own keys):
Escape clicks the dialog's X, as the person meant; any other key puts the focus back in the
dialog, so Tab goes on through it. It is installed once per page load.
"""

from __future__ import annotations

import streamlit as st

SCRIPT = """<script>(function () {
if (window.sprintsyncDialogKeys) return;
window.sprintsyncDialogKeys = true;
document.addEventListener("keydown", function (event) {
  const focused = document.activeElement;
  if (focused && focused !== document.body) return;
  const dialog = document.querySelector('[role="dialog"]');
  if (!dialog) return;
  const close = dialog.querySelector('button[aria-label="Close"]');
  if (event.key === "Escape" && close) {
    event.preventDefault();
    close.click();
  } else {
    dialog.focus();
  }
}, true);
})();</script>"""


def escape_closes_dialogs() -> None:
    """Draw (invisibly) the script; call it where a dialog may open."""
    st.html(SCRIPT, unsafe_allow_javascript=True)
