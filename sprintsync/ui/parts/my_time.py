"""My time: week navigation, the timesheet grid, and the week against the one before."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import format_duration, monday_of
from sprintsync.services.analytics import MyWeek
from sprintsync.services.views import Timesheet
from sprintsync.ui import charts
from sprintsync.ui.charts import Chart, short

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


def timesheet(sheet: Timesheet) -> None:
    last = sheet.days[-1]
    st.subheader(f"Week of {sheet.week_start:%a %d %b} – {last:%a %d %b %Y}", anchor=False)
    if not sheet.rows:
        st.info(
            "No time logged in this week. Log time on a task in **My tasks**, or start a timer "
            "there; it shows up here by day.",
            icon=":material/schedule:",
        )
        return
    st.metric("Logged this week", format_duration(sheet.total))
    # A dataframe shows cells as plain text: task titles are never read as Markdown.
    st.dataframe(grid(sheet), hide_index=True, width="stretch")


def week_names(monday: dt.date) -> tuple[str, str]:
    """Column names for the week on show and the one before it: "This week" and "Last week"
    only when they are; a past week is named by its Monday."""
    if monday == monday_of(today()):
        return "This week", "Last week"
    return f"Week of {short(monday)}", f"Week of {short(monday - dt.timedelta(weeks=1))}"


def _two_weeks(week: MyWeek, rows: pd.DataFrame, label: str, column: str) -> pd.DataFrame:
    """One row per `label` with the hours of the week on show and of the week before."""
    this, last = week_names(week.monday)
    return pd.DataFrame(
        {
            label: rows[column],
            this: charts.hours(rows["this_week"]),
            last: charts.hours(rows["last_week"]),
        }
    )


def week_by_day(week: MyWeek) -> Chart:
    table = _two_weeks(week, week.days, "Day", "weekday")
    title = "My hours per day against the week before"
    figure = None
    if not week.is_empty:
        bars = charts.columns(table, "Day", list(table.columns[1:]))
        axis = f"Day (of the week starting {short(week.monday)})"
        figure = charts.figure(title, axis, "Time (hours)", bars, barmode="group")
    empty = "You have not logged time these two weeks."
    return Chart("my-week-by-day", title, table, figure, empty)


def week_by_task(week: MyWeek) -> Chart:
    # Named "#id title", as tasks are everywhere in the app: two tasks with one title would
    # otherwise share a bar slot, one hiding the other.
    tasks = week.tasks.assign(
        task=[f"#{i} {t}" for i, t in zip(week.tasks.task_id, week.tasks.task, strict=True)]
    )
    table = _two_weeks(week, tasks, "Task", "task")
    title = "My time by task"
    figure = None
    if not table.empty:
        bars = charts.sideways(charts.columns(table, "Task", list(table.columns[1:])))
        figure = charts.figure(
            title, "Time (hours)", "Task", bars, barmode="group", yaxis_autorange="reversed"
        )
    return Chart("my-week-by-task", title, table, figure, "No time on any task these two weeks.")


def week_charts(week: MyWeek) -> None:
    """A person's hours per day in the week on show against the week before, and by task."""
    for chart in (week_by_day(week), week_by_task(week)):
        charts.show(chart)
