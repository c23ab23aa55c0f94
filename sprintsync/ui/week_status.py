"""A week's state on My time (submitted, approved, sent back and why) with the Submit button,
and the reminder banner shown on every page until dismissed."""

from __future__ import annotations

import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import format_duration
from sprintsync.services import reminders, unit_of_work, weeks
from sprintsync.services.timesheet_views import WeekView
from sprintsync.services.views import Actor
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.literal import escape_markdown
from sprintsync.workweek import WeekState, week_label

ICONS = {
    WeekState.MISSING: ":material/radio_button_unchecked:",
    WeekState.DRAFT: ":material/edit_note:",
    WeekState.SUBMITTED: ":material/outgoing_mail:",
    WeekState.APPROVED: ":material/verified:",
    WeekState.RETURNED: ":material/undo:",
}


def decided(week: WeekView) -> str:
    when = f" on {week.decided_at:%a %d %b}" if week.decided_at else ""
    said = f": {week.comment}" if week.comment else ""
    return f"by {week.decided_by or 'someone'}{when}{said}"


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


def reminder_banner(actor: Actor) -> None:
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
            if st.button("Dismiss", key=f"reminder.dismiss.{reminder.id}.{reminder.times}"):
                with acting("reminder.dismiss"):
                    reminders.dismiss_reminder(unit_of_work(), actor=actor, reminder_id=reminder.id)
                    finish("Reminder dismissed.")
