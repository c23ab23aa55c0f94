"""Plotly charts of time analytics. Each chart is drawn from one table, which is shown a click
away and offered as a CSV of exactly that table; time is shown in hours, never minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseTraceType

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.exports import csv_bytes
from sprintsync.services import analytics, unit_of_work
from sprintsync.services.analytics import Dashboard, MyWeek
from sprintsync.services.views import Actor
from sprintsync.ui.errors import show_errors
from sprintsync.ui.exports import download_csv
from sprintsync.ui.literal import plotly_label

HOURS = "Hours"
STATUS_LABELS = {"todo": "To do", "in_progress": "In progress", "done": "Done, before reopening"}


def hours(minutes: pd.Series) -> pd.Series:
    return (minutes / 60).round(2)


def short(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


@dataclass(frozen=True)
class Chart:
    key: str  # names its widgets and its CSV file
    title: str
    table: pd.DataFrame  # what the figure draws, the Table tab shows and the CSV holds
    figure: go.Figure | None  # None when there is nothing to draw
    empty: str  # what to say instead of an empty chart

    def csv(self) -> bytes:
        return csv_bytes(self.table)


def _figure(
    title: str, x: str, y: str, traces: Sequence[BaseTraceType], **layout: Any
) -> go.Figure:
    # graph_objects, not plotly.express: express takes ~5x longer per figure, and the page
    # draws five on every rerun.
    return go.Figure(
        data=traces,
        layout=go.Layout(
            title=title,
            xaxis_title=x,
            yaxis_title=y,
            legend_title_text="",
            margin={"t": 60, "b": 40},
            **layout,
        ),
    )


def _series(table: pd.DataFrame, by: str, x: str, y: str) -> list[go.Bar]:
    """One bar trace per value of `by`, in order of first appearance."""
    return [
        go.Bar(x=_labels(part[x]), y=part[y].tolist(), name=plotly_label(str(name)))
        for name, part in table.groupby(by, sort=False)
    ]


def _labels(values: pd.Series) -> list[object]:
    return [plotly_label(v) for v in values.tolist()]


def _columns(table: pd.DataFrame, x: str, names: list[str]) -> list[go.Bar]:
    """One bar trace per column in `names`, against column x."""
    return [go.Bar(x=_labels(table[x]), y=table[n].tolist(), name=plotly_label(n)) for n in names]


def _sideways(traces: list[go.Bar]) -> list[go.Bar]:
    for trace in traces:
        trace.update(x=trace.y, y=trace.x, orientation="h")
    return traces


def show(chart: Chart) -> None:
    """The chart under its title, its table in the next tab with a CSV download; an empty
    table shows the chart's empty-state message instead."""
    st.subheader(chart.title)
    if chart.figure is None:
        st.info(chart.empty, icon=":material/info:")
        return
    drawn, listed = st.tabs(["Chart", "Table"])
    with drawn:
        st.plotly_chart(chart.figure, key=f"{chart.key}-chart")
    with listed:
        st.dataframe(chart.table, hide_index=True)
        download_csv(chart.table, chart.key)


def time_per_user(board: Dashboard) -> Chart:
    period = "Week starting" if board.by == "week" else "Day"
    table = pd.DataFrame(
        {
            period: board.per_user["period"],
            "Person": board.per_user["user"],
            HOURS: hours(board.per_user["minutes"]),
        }
    )
    title = f"Time per person per {board.by}"
    figure = None
    if not table.empty:
        traces = _series(table, "Person", period, HOURS)
        figure = _figure(title, period, "Time logged (hours)", traces, barmode="stack")
    return Chart(
        "time-per-person",
        title,
        table,
        figure,
        "Nobody logged time in this range; try a wider range or other people.",
    )


def team_per_day(board: Dashboard) -> Chart:
    frame = board.team_per_day
    table = pd.DataFrame({"Day": frame["day"], HOURS: hours(frame["minutes"])})
    title = "Team hours per day"
    figure = None
    if frame["minutes"].sum() > 0:
        line = go.Scatter(x=table["Day"].tolist(), y=table[HOURS].tolist(), mode="lines+markers")
        figure = _figure(title, "Day", "Time logged (hours)", [line])
    return Chart("team-per-day", title, table, figure, "No time was logged on any of these days.")


def top_users(board: Dashboard) -> Chart:
    sunday = board.week + dt.timedelta(days=6)
    title = f"Top {analytics.TOP_USERS} this week ({short(board.week)} to {short(sunday)})"
    table = pd.DataFrame(
        {"Person": board.top_users["user"], HOURS: hours(board.top_users["minutes"])}
    )
    figure = None
    if not table.empty:
        bars = _sideways(_columns(table, "Person", [HOURS]))
        figure = _figure(
            title,
            "Time logged this week (hours)",
            "Person",
            bars,
            yaxis_autorange="reversed",  # busiest on top
            showlegend=False,
        )
    return Chart("top-this-week", title, table, figure, "Nobody has logged time this week yet.")


def time_in_status(board: Dashboard) -> Chart:
    frame = board.time_in_status
    table = pd.DataFrame(
        {
            "Status": frame["status"].map(STATUS_LABELS),
            "Average hours": frame["hours"].round(2),
            "Tasks that spent time in it": frame["tasks"],
        }
    )
    title = "Average time in each status before done"
    figure = None
    if not table.empty:
        bars = _columns(table, "Status", ["Average hours"])
        figure = _figure(
            title, "Status", "Average time per finished task (hours)", bars, showlegend=False
        )
    return Chart(
        "time-in-status",
        title,
        table,
        figure,
        "No task was finished in this range, so there is no time in status to show.",
    )


def tasks_by_status(board: Dashboard) -> Chart:
    frame = board.tasks_by_status
    labels = {"todo": "To do", "in_progress": "In progress", "done": "Done in range"}
    table = frame.rename(columns={"user": "Person", **labels})
    title = "Tasks by status per person"
    figure = None
    if not table.empty:
        bars = _sideways(_columns(table, "Person", list(labels.values())))
        figure = _figure(
            title,
            "Tasks (to do and in progress now; done in the range)",
            "Person",
            bars,
            barmode="stack",
            yaxis_autorange="reversed",
        )
    return Chart(
        "tasks-by-status", title, table, figure, "These people have no open or finished tasks."
    )


def dashboard_charts(board: Dashboard) -> list[Chart]:
    builders = [time_per_user, team_per_day, top_users, time_in_status, tasks_by_status]
    return [build(board) for build in builders]


def show_headline(board: Dashboard) -> None:
    numbers = board.headline
    cycle = numbers.median_cycle_hours
    total, people, done, median = st.columns(4)
    total.metric("Total time", f"{numbers.total_hours:,.1f} h")
    people.metric("Active people", numbers.active_people, help="People who logged any time.")
    done.metric("Tasks done", numbers.tasks_done, help="Finished in the range (final finish).")
    median.metric(
        "Median cycle time",
        "-" if cycle is None else f"{cycle:,.1f} h",
        help="From first start to final done, for the tasks finished in the range.",
    )


def show_dashboard(board: Dashboard) -> None:
    show_headline(board)
    if board.is_empty:
        st.info(
            f"Nothing to show from {board.start:%d %b %Y} to {board.end:%d %b %Y}: no time "
            "was logged and no task finished or open for these people. Try a wider date "
            "range or choose other people.",
            icon=":material/info:",
        )
        return
    for chart in dashboard_charts(board):
        show(chart)


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
        {label: rows[column], this: hours(rows["this_week"]), last: hours(rows["last_week"])}
    )


def week_by_day(week: MyWeek) -> Chart:
    table = _two_weeks(week, week.days, "Day", "weekday")
    title = "My hours per day against the week before"
    figure = None
    if not week.is_empty:
        bars = _columns(table, "Day", list(table.columns[1:]))
        axis = f"Day (of the week starting {short(week.monday)})"
        figure = _figure(title, axis, "Time (hours)", bars, barmode="group")
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
        bars = _sideways(_columns(table, "Task", list(table.columns[1:])))
        figure = _figure(
            title, "Time (hours)", "Task", bars, barmode="group", yaxis_autorange="reversed"
        )
    return Chart("my-week-by-task", title, table, figure, "No time on any task these two weeks.")


def my_time_charts(actor: Actor, *, today: dt.date | None = None) -> None:
    """A member's hours per day this week against last, and their split by task."""
    with show_errors("analytics.my_week"):
        week = analytics.my_week(unit_of_work(), actor=actor, today=today)
        for chart in (week_by_day(week), week_by_task(week)):
            show(chart)
