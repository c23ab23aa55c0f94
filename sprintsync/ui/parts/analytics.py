"""Analytics: the range and people filters, the headline numbers and the team's charts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.elements.lib.mutable_tab_container import TabContainer

from sprintsync.services import analytics, unit_of_work
from sprintsync.services.analytics import Dashboard
from sprintsync.services.views import Actor
from sprintsync.ui import charts
from sprintsync.ui.charts import HOURS, Chart, short
from sprintsync.ui.errors import load

STATUS_LABELS = {"todo": "To do", "in_progress": "In progress", "done": "Done, before reopening"}


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    user_ids: list[int]
    by: str


def filters(people: dict[int, str]) -> Filters | None:
    """The range, people and grouping; None while only the first day of a range is picked."""
    first, last = analytics.default_range()
    dates, who, grouping = st.columns([2, 4, 1])
    picked = dates.date_input("Dates", value=(first, last), format="YYYY-MM-DD", key="dates")
    chosen = who.multiselect(
        "People",
        options=list(people),
        format_func=people.__getitem__,
        placeholder="Everyone",
        key="people",
    )
    by = grouping.radio("Group by", ["week", "day"], format_func=str.title, key="by")
    if len(picked) != 2:
        st.info("Pick the last day of the range too.", icon=":material/date_range:")
        return None
    return Filters(picked[0], picked[1], chosen, by)


def time_per_user(board: Dashboard, palette: dict[str, str]) -> Chart:
    period = "Week starting" if board.by == "week" else "Day"
    table = pd.DataFrame(
        {
            period: board.per_user["period"],
            "Person": board.per_user["user"],
            HOURS: charts.hours(board.per_user["minutes"]),
        }
    )
    title = f"Time per person per {board.by}"
    figure = None
    if not table.empty:
        traces = charts.series(table, "Person", period, HOURS, palette)
        step = 7 if board.by == "week" else 1
        axis = charts.date_axis(table[period].min(), table[period].max(), step_days=step)
        figure = charts.figure(period, "Time logged (hours)", traces,
            barmode="stack", xaxis=axis, fixed_margins=True,
        )  # fmt: skip
    return Chart(
        "time-per-person",
        title,
        table,
        figure,
        "Nobody logged time in this range; try a wider range or other people.",
    )


def team_per_day(board: Dashboard) -> Chart:
    frame = board.team_per_day
    table = pd.DataFrame({"Day": frame["day"], HOURS: charts.hours(frame["minutes"])})
    title = "Team hours per day"
    figure = None
    if frame["minutes"].sum() > 0:
        line = charts.line(table["Day"].tolist(), table[HOURS].tolist())
        axis = charts.date_axis(table["Day"].min(), table["Day"].max(), step_days=1)
        figure = charts.figure("Day", "Time logged (hours)", [line], xaxis=axis, fixed_margins=True)
    return Chart("team-per-day", title, table, figure, "No time was logged on any of these days.")


def top_users(board: Dashboard) -> Chart:
    """This week's busiest, ranked: a list (charts.show_ranked), not a chart."""
    sunday = board.week + dt.timedelta(days=6)
    title = f"Top {analytics.TOP_USERS} this week ({short(board.week)} to {short(sunday)})"
    table = pd.DataFrame(
        {"Person": board.top_users["user"], HOURS: charts.hours(board.top_users["minutes"])}
    )
    return Chart("top-this-week", title, table, None, "Nobody has logged time this week yet.")


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
        bars = charts.columns(table, "Status", ["Average hours"])
        figure = charts.figure("Status", "Average time per finished task (hours)", bars,
            showlegend=False, fixed_margins=True,
        )  # fmt: skip
    return Chart(
        "time-in-status",
        title,
        table,
        figure,
        "No task was finished in this range, so there is no time in status to show.",
    )


def tasks_by_status(frame: pd.DataFrame) -> Chart:
    labels = {"todo": "To do", "in_progress": "In progress", "done": "Done in range"}
    table = frame.rename(columns={"user": "Person", **labels})
    title = "Tasks by status per person"
    figure = None
    if not table.empty:
        bars = charts.sideways(charts.columns(table, "Person", list(labels.values())))
        figure = charts.figure(
            "Tasks (to do and in progress now; done in the range)",
            "Person",
            bars,
            barmode="stack",
            yaxis_autorange="reversed",
        )
    return Chart(
        "tasks-by-status", title, table, figure, "These people have no open or finished tasks."
    )


def dashboard_charts(
    board: Dashboard, by_status: pd.DataFrame, palette: dict[str, str]
) -> list[Chart]:
    """Every chart of the dashboard: the team's time, then its tasks (this week's top
    people, a ranked list, are not among them: see top_users)."""
    return [*time_charts(board, palette), *task_charts(board, by_status)]


def time_charts(board: Dashboard, palette: dict[str, str]) -> list[Chart]:
    return [time_per_user(board, palette), team_per_day(board)]


def task_charts(board: Dashboard, by_status: pd.DataFrame) -> list[Chart]:
    return [time_in_status(board), tasks_by_status(by_status)]


SECTIONS = ("Team time", "Tasks and estimates", "Projects and sprints")
SECTION_KEY = "analytics.section"


def sections() -> Sequence[TabContainer]:
    """The page's sections as tabs; only the open one is drawn, and choosing another reruns
    the page (its charts and their queries are left out of every other run)."""
    return st.tabs(list(SECTIONS), key=SECTION_KEY, on_change="rerun")


def headline(board: Dashboard) -> None:
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


def _nothing_to_show(board: Dashboard, *, nothing: bool, what: str) -> bool:
    if nothing:
        st.info(
            f"Nothing to show from {board.start:%d %b %Y} to {board.end:%d %b %Y}: {what} "
            "for these people. Try a wider date range or choose other people.",
            icon=":material/info:",
        )
    return nothing


def palette_of(people: dict[int, str]) -> dict[str, str]:
    """Each person keeps one colour whatever the range or filter (colours follow the whole
    team, ordered by id)."""
    return charts.colours(people[i] for i in sorted(people))


def team_time(board: Dashboard, people: dict[int, str]) -> None:
    """Time per person, the team's hours per day and this week's busiest."""
    if not _nothing_to_show(
        board, nothing=board.is_empty, what="no time was logged and no task finished"
    ):
        for chart in time_charts(board, palette_of(people)):
            charts.show(chart)
        charts.show_ranked(top_users(board), value=HOURS)


def tasks_and_estimates(board: Dashboard, actor: Actor, chosen: Filters) -> None:
    """Time in each status and tasks by status per person (estimate accuracy follows).
    Tasks by status is read here, only when this section is open: the costliest query of
    the page (benchmarks/analytics.py)."""
    by_status = load(
        analytics.tasks_by_status,
        unit_of_work(),
        actor=actor,
        start=chosen.start,
        end=chosen.end,
        user_ids=chosen.user_ids,
        top=analytics.NAMED_PEOPLE,
    )
    nothing = board.is_empty and by_status.empty
    if not _nothing_to_show(
        board, nothing=nothing, what="no time was logged and no task finished or open"
    ):
        for chart in task_charts(board, by_status):
            charts.show(chart)
