"""What My time and Timesheets both show of a week: the week picker (one week on show for
both pages), the week's heading, a week read-only (tasks by days, totals), and who decided it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import format_duration, monday_of
from sprintsync.services.timesheet_views import WeekView
from sprintsync.services.views import Timesheet

WEEK = "my_time.week"


def _shift(weeks: int | None) -> None:
    base = st.session_state.get(WEEK) or monday_of(today())
    st.session_state[WEEK] = (
        monday_of(today()) if weeks is None else base + dt.timedelta(weeks=weeks)
    )


def chosen_week() -> dt.date:
    """The Monday of the week on show, moved by Previous / This week / Next."""
    with st.container(horizontal=True):
        st.button(
            "Previous week",
            key="week.previous",
            on_click=_shift,
            args=(-1,),
            icon=":material/chevron_left:",
        )
        st.button("This week", key="week.this", on_click=_shift, args=(None,))
        st.button(
            "Next week",
            key="week.next",
            on_click=_shift,
            args=(1,),
            icon=":material/chevron_right:",
            icon_position="right",
        )
    return st.session_state.get(WEEK) or monday_of(today())


def _cell(minutes: int) -> str:
    return format_duration(minutes) if minutes else ""


def grid(sheet: Timesheet) -> pd.DataFrame:
    """Tasks as rows, days as columns, a Total column and a Total row; durations as text."""
    days = [f"{d:%a %d}" for d in sheet.days]
    rows = [[row.title, *(_cell(m) for m in row.minutes), _cell(row.total)] for row in sheet.rows]
    rows.append(["Total", *(_cell(m) for m in sheet.day_totals), _cell(sheet.total)])
    return pd.DataFrame(rows, columns=["Task", *days, "Total"])


def week_heading(sheet: Timesheet) -> None:
    last = sheet.days[-1]
    st.subheader(f"Week of {sheet.week_start:%a %d %b} – {last:%a %d %b %Y}", anchor=False)


def timesheet(sheet: Timesheet) -> None:
    """A week read-only (the Timesheets page shows a person's): tasks by days with totals."""
    week_heading(sheet)
    if not sheet.rows:
        st.info("No time logged in this week.", icon=":material/schedule:")
        return
    st.metric("Logged this week", format_duration(sheet.total))
    # A dataframe shows cells as plain text: task titles are never read as Markdown.
    st.dataframe(grid(sheet), hide_index=True, width="stretch")


def decided(week: WeekView) -> str:
    when = f" on {week.decided_at:%a %d %b}" if week.decided_at else ""
    said = f": {week.comment}" if week.comment else ""
    return f"by {week.decided_by or 'someone'}{when}{said}"
