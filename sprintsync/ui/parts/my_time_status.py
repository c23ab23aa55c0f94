"""A week's state on My time (submitted, approved, sent back and why) with the Submit button."""

from __future__ import annotations

import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import format_duration
from sprintsync.services import unit_of_work, weeks
from sprintsync.services.timesheet_views import WeekView
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.week_sheet import decided
from sprintsync.workweek import WeekState, week_label

ICONS = {
    WeekState.MISSING: ":material/radio_button_unchecked:",
    WeekState.DRAFT: ":material/edit_note:",
    WeekState.SUBMITTED: ":material/outgoing_mail:",
    WeekState.APPROVED: ":material/verified:",
    WeekState.RETURNED: ":material/undo:",
}


def state_banner(week: WeekView) -> None:
    """What state the week is in, and what that means for changing it."""
    hours = (
        f"{format_duration(week.logged_minutes)} logged of "
        f"{format_duration(week.expected_minutes)} expected."
    )
    text = f"**{week.state.label}** · {hours}"
    if week.state == WeekState.APPROVED:
        st.success(
            escape_markdown(f"Approved {decided(week)}. ")
            + "This week is locked: its time cannot change. An admin can reopen it, with a "
            "reason.",
            icon=ICONS[week.state],
        )
    elif week.state == WeekState.RETURNED:
        st.warning(
            escape_markdown(f"Sent back {decided(week)}. ")
            + "Change what is asked and submit it again.",
            icon=ICONS[week.state],
        )
    elif week.state == WeekState.SUBMITTED:
        st.info(
            "Submitted, waiting for approval. Changing its time withdraws the submission "
            "(submit it again afterwards).",
            icon=ICONS[week.state],
        )
    st.markdown(text)


def submit_button(actor: Actor, week: WeekView) -> None:
    if week.state in (WeekState.SUBMITTED, WeekState.APPROVED) or week.week_start > today():
        return
    key = f"week.submit.{week.week_start}.{week.version}"
    if st.button("Submit week for approval", key=key, icon=":material/send:"):
        with acting("week.submit", "Submitting…"):
            weeks.submit_week(unit_of_work(), actor=actor, week_start=week.week_start)
            finish(f"Submitted your {week_label(week.week_start)}.")
