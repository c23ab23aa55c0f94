"""The reminder banner, above every page of a signed-in user (sprintsync.ui.frame): weeks
still missing or short that `sprintsync remind` recorded, each until it is dismissed."""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.services import reminders, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.workweek import week_label


def banner(actor: Actor) -> None:
    """Reminders about weeks still missing or short, each with Dismiss."""
    for reminder in reminders.my_reminders(unit_of_work(), actor=actor):
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            st.warning(
                f"Reminder: your timesheet for the {week_label(reminder.week_start)} holds "
                f"{format_duration(reminder.logged_minutes)} of "
                f"{format_duration(reminder.expected_minutes)}. Fill it in on My time and "
                "submit it.",
                icon=":material/notifications:",
            )
            # The key names how often it was sent: a reminder sent again is a new button.
            if st.button("Dismiss", key=f"reminder.dismiss.{reminder.id}.{reminder.times}"):
                with acting("reminder.dismiss"):
                    reminders.dismiss_reminder(unit_of_work(), actor=actor, reminder_id=reminder.id)
                    finish("Reminder dismissed.")
