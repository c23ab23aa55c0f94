"""My time: the week on show against the one before it (the week itself is drawn by
sprintsync/ui/week_sheet.py and parts/my_time_grid.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import analytics, unit_of_work
from sprintsync.services.analytics import MyWeek
from sprintsync.services.views import Actor
from sprintsync.ui import charts
from sprintsync.ui.charts import Chart, short
from sprintsync.ui.errors import load

CHARTS_BOX = "my_time.charts"
CHARTS_SHOWN = "my_time.charts_shown"  # outlives the box's own state when the page is left


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
        figure = charts.figure(axis, "Time (hours)", bars, barmode="group")
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
            "Time (hours)", "Task", bars, barmode="group", yaxis_autorange="reversed"
        )
    return Chart("my-week-by-task", title, table, figure, "No time on any task these two weeks.")


def week_charts(actor: Actor, monday: dt.date) -> None:
    """The week on show against the one before, in a box that is read and drawn only while
    it is open: two Plotly charts were two fifths of the page's time in the browser
    (docs/PERFORMANCE.md), and most visits come to fill in the week. Folded at first; open
    or folded, it stays as the person left it for the browser session."""
    box = st.expander(
        "My week in charts",
        expanded=st.session_state.get(CHARTS_SHOWN, False),
        icon=":material/bar_chart:",
        key=CHARTS_BOX,
        on_change=_remember_box,
    )
    if box.open:
        with box:
            show_week(load(analytics.my_week, unit_of_work(), actor=actor, today=monday))


def _remember_box() -> None:
    st.session_state[CHARTS_SHOWN] = bool(st.session_state[CHARTS_BOX])


def show_week(week: MyWeek) -> None:
    """A person's hours per day in the week on show against the week before, and by task."""
    for chart in (week_by_day(week), week_by_task(week)):
        charts.show(chart)
