"""Account: your focus hours for the day plan (empty for the workspace's default,
SPRINTSYNC_FOCUS_HOURS). A form in the shape of ui/projects.py's: its widgets carry a
generation, so it comes back fresh after a save and a double click saves once."""

from __future__ import annotations

import streamlit as st

from sprintsync.services import preferences, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting
from sprintsync.ui.errors import attempt
from sprintsync.ui.projects import form_key, saved, submitted, submitting

FORM = "focus_hours"


def focus_form(actor: Actor) -> None:
    current = attempt(preferences.get_focus, unit_of_work(), actor=actor)
    if current is None:
        return
    minutes, own = current
    default = preferences.default_focus_minutes()
    with st.form(FORM):
        st.subheader("Focus hours")
        st.caption(
            f"How much focused work the day plan fits in a day. Empty for the default "
            f"({default / 60:g} hours)."
        )
        hours = st.text_input(
            "Focus hours a day",
            value=f"{minutes / 60:g}" if own else "",
            placeholder=f"{default / 60:g}",
            key=form_key(FORM, "hours"),
            max_chars=preferences.FOCUS_INPUT_MAX,
        )
        if submitted("Save focus hours", FORM):
            with submitting(FORM), acting("account.set_focus"):
                now = preferences.set_focus_hours(unit_of_work(), actor=actor, hours=hours)
                saved(FORM, f"Your day plan now fits {now / 60:g} hours of focus.")
