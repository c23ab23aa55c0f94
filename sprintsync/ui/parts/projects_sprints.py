"""The Projects page's sprints: planned against done per sprint, and for the chosen sprint
its figures (planned, done, added after the start, carried over) and burndown, each chart
with its table and a CSV of exactly that table; for managers and admins, the sprint forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from sprintsync import clock
from sprintsync.domain import counted
from sprintsync.services import analytics, sprints, unit_of_work
from sprintsync.services.analytics import SprintReport
from sprintsync.services.views import Actor, ProjectView
from sprintsync.ui import charts
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.errors import load
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown, plotly_label
from sprintsync.ui.parts.projects import hours

CHOSEN_SPRINT = Form("projects.sprint")  # the selector of the sprint on show


def _h(minutes: pd.Series) -> pd.Series:
    return (minutes / 60).round(1)


def planned_vs_done(table: pd.DataFrame, key: str) -> charts.Chart:
    """Per sprint, earliest first: what was planned, added after the start, done, carried."""
    carried = table["open_minutes"].where(table["state"] == "closed", 0)
    shown = pd.DataFrame(
        {
            "Sprint": table["sprint"],
            "State": table["state"].str.title(),
            "Planned (h)": _h(table["planned_minutes"]),
            "Added after start (h)": _h(table["added_minutes"]),
            "Done (h)": _h(table["done_minutes"]),
            "Carried over (h)": _h(carried),
            "Planned tasks": table["planned_tasks"],
            "Done tasks": table["done_tasks"],
        }
    )
    title = "Planned against done, per sprint (estimates)"
    figure = None
    if not shown.empty:
        names = [plotly_label(n) for n in shown["Sprint"]]
        bars = [
            charts.bar(names, shown[column].tolist(), column.removesuffix(" (h)"))
            for column in ("Planned (h)", "Added after start (h)", "Done (h)", "Carried over (h)")
        ]
        figure = charts.figure("Sprint", "Estimate (hours)", bars, barmode="group")
    return charts.Chart(f"sprints-{key}", title, shown, figure, "This project has no sprints yet.")


def burndown(report: SprintReport) -> charts.Chart:
    frame = report.burndown
    shown = pd.DataFrame(
        {
            "Day": frame["day"],
            "Ideal (h)": _h(frame["ideal_minutes"]),
            "Remaining (h)": _h(frame["remaining_minutes"].astype("float64")),
            "In the sprint (h)": _h(frame["scope_minutes"].astype("float64")),
            "Done (h)": _h(frame["done_minutes"].astype("float64")),
        }
    )
    title = f"Burndown: {report.sprint.name}"
    figure = None
    if shown["Remaining (h)"].notna().any():
        days = shown["Day"].tolist()
        lines = [
            charts.line(days, shown["Ideal (h)"].tolist(), name="Ideal", mode=None, dash="dash"),
            charts.line(days, shown["Remaining (h)"].tolist(), name="Remaining"),
            charts.line(days, shown["In the sprint (h)"].tolist(), name="In the sprint", mode=None),
        ]
        figure = charts.figure("Day", "Estimate (hours)", lines)
    empty = "The sprint has not started yet: its burndown begins on its first day."
    return charts.Chart(f"burndown-{report.sprint.id}", title, shown, figure, empty)


def _tally(col: Any, label: str, tasks: int, minutes: int, help_: str) -> None:
    col.metric(
        label,
        f"{hours(minutes):,.1f} h",
        counted(tasks, "task"),
        delta_color="off",
        delta_arrow="off",
        help=help_,
    )


def figures(report: SprintReport) -> None:
    sprint = report.sprint
    st.markdown(
        escape_markdown(f"{sprint.name}: {sprint.starts_on:%d %b} to {sprint.ends_on:%d %b %Y}, ")
        + f"**{sprint.state.label.lower()}**"
    )
    if sprint.goal:
        st.text(f"Goal: {sprint.goal}")
    planned, done, added, carried = st.columns(4)
    _tally(
        planned,
        "Planned",
        report.planned.tasks,
        report.planned.minutes,
        "In the sprint at the end of its first day.",
    )
    _tally(done, "Done", report.done.tasks, report.done.minutes, "Done by its end (or now).")
    _tally(
        added,
        "Added after start",
        report.added.tasks,
        report.added.minutes,
        "Put in after its first day.",
    )
    if sprint.state == "closed":
        into = f" into {report.next_sprint}" if report.next_sprint else ""
        _tally(
            carried,
            "Carried over",
            report.carried.tasks,
            report.carried.minutes,
            f"Open at its end, carried{into}.",
        )
    else:
        _tally(
            carried,
            "Still open",
            report.open.tasks,
            report.open.minutes,
            "In the sprint, not done yet.",
        )


def sprints_section(actor: Actor, project: ProjectView) -> None:
    table = load(analytics.project_sprints, unit_of_work(), actor=actor, project_id=project.id)
    charts.show(planned_vs_done(table, project.key))
    if table.empty:
        return
    names = dict(zip(table["sprint_id"], table["sprint"], strict=True))
    running = table[table["state"] != "planned"]
    default = int((running if not running.empty else table)["sprint_id"].iloc[-1])
    if CHOSEN_SPRINT.value("sprint") not in names:
        CHOSEN_SPRINT.set("sprint", default)
    chosen = st.selectbox(
        "Sprint", list(names), key=CHOSEN_SPRINT.key("sprint"), format_func=lambda i: str(names[i])
    )
    report = load(analytics.sprint_report, unit_of_work(), actor=actor, sprint_id=chosen)
    figures(report)
    charts.show(burndown(report))


def new_sprint_form(actor: Actor, project: ProjectView, last_end: dt.date | None) -> None:
    today = clock.today()
    start = max(today, last_end + dt.timedelta(days=1)) if last_end else today
    form = Form(f"new_sprint.{project.id}")
    with st.expander("New sprint", icon=":material/event:"), form.drawn():
        name = st.text_input("Sprint name", key=form.key("name"))
        left, right = st.columns(2)
        starts = left.date_input("Start", value=start, key=form.key("start"), format="YYYY-MM-DD")
        ends = right.date_input(
            "End",
            value=start + dt.timedelta(days=13),
            key=form.key("end"),
            format="YYYY-MM-DD",
        )
        goal = st.text_area("Goal", key=form.key("goal"))
        if form.submitted("Add sprint", type="primary"):
            with acting("sprint.create", "Adding the sprint…"):
                made = sprints.create_sprint(
                    unit_of_work(),
                    actor=actor,
                    project_id=project.id,
                    name=name,
                    starts_on=starts,
                    ends_on=ends,
                    goal=goal,
                )
                CHOSEN_SPRINT.choose("sprint", made.id)
                finish(f"Added {made.name} to {made.project_key}.", form=form)


def edit_sprint_form(actor: Actor, sprint_id: int) -> None:
    sprint = load(sprints.get_sprint, unit_of_work(), actor=actor, sprint_id=sprint_id)
    form = Form(f"edit_sprint.{sprint.id}.{sprint.version}")
    with st.expander(f"Edit {sprint.name}", icon=":material/edit_calendar:"), form.drawn():
        name = st.text_input("Sprint name", value=sprint.name, key=form.key("name"))
        left, right = st.columns(2)
        starts = left.date_input(
            "Start",
            value=sprint.starts_on,
            key=form.key("start"),
            disabled=sprint.state != "planned",
        )
        ends = right.date_input(
            "End",
            value=sprint.ends_on,
            key=form.key("end"),
            disabled=sprint.state == "closed",
        )
        goal = st.text_area("Goal", value=sprint.goal, key=form.key("goal"))
        if form.submitted("Save sprint"):
            with acting("sprint.update"):
                sprints.update_sprint(
                    unit_of_work(),
                    actor=actor,
                    sprint_id=sprint.id,
                    expected_version=sprint.version,
                    name=name,
                    goal=goal,
                    starts_on=starts,
                    ends_on=ends,
                )
                finish(f"Saved {name.strip() or sprint.name}.", form=form)
