"""Account: your focus hours for the day plan (empty for the workspace's default,
SPRINTSYNC_FOCUS_HOURS). A ui.forms.Form: it comes back from what is saved after a save, and
a double click saves once."""

from __future__ import annotations

import streamlit as st

from sprintsync.services import preferences, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.errors import load
from sprintsync.ui.forms import Form

FOCUS = Form("focus_hours")


def focus_form(actor: Actor) -> None:
    form = FOCUS
    default = preferences.default_focus_minutes()
    if form.value("hours") is None:
        minutes, own = load(preferences.get_focus, unit_of_work(), actor=actor)
        form.set("hours", f"{minutes / 60:g}" if own else "")
    with form.drawn():
        st.subheader("Focus hours", anchor=False)
        st.caption(
            f"How much focused work the day plan fits in a day. Empty for the default "
            f"({default / 60:g} hours)."
        )
        # No max_chars: the browser would drop a longer paste whole; the service refuses it
        # with a reason and the text stays here to correct.
        hours = st.text_input(
            "Focus hours a day", placeholder=f"{default / 60:g}", key=form.key("hours")
        )
        if form.submitted("Save focus hours", type="primary"):
            with acting("account.set_focus"):
                now = preferences.set_focus_hours(unit_of_work(), actor=actor, hours=hours)
                finish(f"Your day plan now fits {now / 60:g} hours of focus.", form=form)
