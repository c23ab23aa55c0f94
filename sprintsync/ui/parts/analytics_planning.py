"""Analytics by project and sprint: time per project per week (or day), time per person per
project, estimate against time logged by project and by sprint, and a project's velocity,
each a chart with its table and CSV (ui.charts.show), under project, sprint and tag filters.
Each project keeps one colour whatever is filtered (colours follow every project by id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from sprintsync.services import analytics, projects, sprints, tags, unit_of_work
from sprintsync.services.views import Actor, ProjectView
from sprintsync.ui import charts
from sprintsync.ui.charts import HOURS, Chart
from sprintsync.ui.errors import load

ESTIMATE, ACTUAL = "Estimate (hours)", "Logged on estimated tasks (hours)"
VELOCITY_SPRINTS = 6


@dataclass(frozen=True)
class WorkFilters:
    project_ids: list[int]
    sprint_ids: list[int]
    tag_id: int | None
    velocity_project: ProjectView | None
    every_project: list[ProjectView]  # by id: what fixes each project's colour


def filters(actor: Actor) -> WorkFilters:
    """Projects (archived ones too: their time is history), their sprints, one tag, and the
    project whose velocity is drawn."""
    every = sorted(
        load(projects.list_projects, unit_of_work(), actor=actor, include_archived=True),
        key=lambda p: p.id,
    )
    by_id = {p.id: p for p in every}
    every_sprint = load(sprints.active_projects_sprints, unit_of_work(), actor=actor)
    labels = {t.id: t.name for t in load(tags.list_tags, unit_of_work(), actor=actor)}
    project_col, sprint_col, tag_col, velocity_col = st.columns(4)
    # One project and one sprint at a time: single choices read at a glance beside the
    # People filter (the services take several).
    project = project_col.selectbox(
        "Project",
        list(by_id),
        index=None,
        format_func=lambda i: by_id[i].key,
        placeholder="Every project",
        key="analytics.project",
    )
    chosen = [] if project is None else [project]
    offered = {s.id: s for s in every_sprint if not chosen or s.project_id in chosen}
    if st.session_state.get("analytics.sprint") not in (None, *offered):
        st.session_state["analytics.sprint"] = None  # a sprint of the project let go
    sprint = sprint_col.selectbox(
        "Sprint",
        list(offered),
        index=None,
        format_func=lambda i: f"{offered[i].project_key} · {offered[i].name}",
        placeholder="Every sprint",
        key="analytics.sprint",
    )
    sprint_ids = [] if sprint is None else [sprint]
    tag_id = tag_col.selectbox(
        "Tag",
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        placeholder="Any tag",
        key="analytics.tag",
    )
    candidates = [by_id[i] for i in chosen] or [p for p in every if not p.archived]
    velocity = velocity_col.selectbox(
        "Velocity of",
        [p.id for p in candidates],
        format_func=lambda i: by_id[i].key,
        key="analytics.velocity_project",
    )
    return WorkFilters(chosen, sprint_ids, tag_id, by_id.get(velocity) if velocity else None, every)


def time_per_project(frame: pd.DataFrame, by: str, palette: dict[str, str]) -> Chart:
    period = "Week starting" if by == "week" else "Day"
    table = pd.DataFrame(
        {
            period: frame["period"],
            "Project": frame["project"],
            HOURS: charts.hours(frame["minutes"]),
        }
    )
    title = f"Time per project per {by}"
    figure = None
    if not table.empty:
        traces = charts.series(table, "Project", period, HOURS, palette)
        axis = charts.date_axis(
            table[period].min(), table[period].max(), step_days=7 if by == "week" else 1
        )
        figure = charts.figure(period, "Time logged (hours)", traces, barmode="stack", xaxis=axis)
    return Chart(
        "time-per-project", title, table, figure, "No time was logged on this work in the range."
    )


def person_per_project(frame: pd.DataFrame, palette: dict[str, str]) -> Chart:
    table = pd.DataFrame(
        {
            "Person": frame["user"],
            "Project": frame["project"],
            HOURS: charts.hours(frame["minutes"]),
        }
    )
    title = "Time per person per project"
    figure = None
    if not table.empty:
        traces = charts.sideways(charts.series(table, "Project", "Person", HOURS, palette))
        figure = charts.figure(
            "Time logged (hours)",
            "Person",
            traces,
            barmode="stack",
            yaxis_autorange="reversed",  # busiest on top
        )
    return Chart(
        "time-per-person-per-project",
        title,
        table,
        figure,
        "Nobody logged time on this work in the range.",
    )


def _estimates_table(frame: pd.DataFrame, names: dict[str, pd.Series]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            **names,
            "Tasks done": frame["tasks"],
            "With an estimate": frame["estimated_tasks"],
            ESTIMATE: charts.hours(frame["estimate_minutes"]),
            ACTUAL: charts.hours(frame["actual_minutes"]),
            "Logged on unestimated tasks (hours)": charts.hours(frame["unestimated_minutes"]),
        }
    )


def estimates(frame: pd.DataFrame, by: str) -> Chart:
    if by == "sprint":
        sprint = frame["sprint"].fillna("(no sprint)")
        names = {"Project": frame["project"], "Sprint": sprint}
        axis_labels = (frame["project"] + " · " + sprint).tolist()
    else:
        names = {"Project": frame["project"]}
        axis_labels = frame["project"].tolist()
    table = _estimates_table(frame, names)
    title = f"Estimate against time logged by {by}"
    figure = None
    if not table.empty:
        bars = [
            charts.bar(charts.labels(pd.Series(axis_labels)), table[name].tolist(), name)
            for name in (ESTIMATE, ACTUAL)
        ]
        figure = charts.figure(
            by.title(), "Time (hours), tasks finished in the range", bars, barmode="group"
        )
    return Chart(
        f"estimate-vs-actual-by-{by}",
        title,
        table,
        figure,
        "No task of this work was finished in the range.",
    )


def velocity(frame: pd.DataFrame, project: ProjectView) -> Chart:
    table = pd.DataFrame(
        {
            "Sprint": frame["sprint"],
            "Starts": frame["starts_on"],
            "Ends": frame["ends_on"],
            "Planned (hours)": charts.hours(frame["planned_minutes"]),
            "Done (hours)": charts.hours(frame["done_minutes"]),
            "Tasks done": frame["done_tasks"],
        }
    )
    title = f"Velocity of {project.key}: estimate done per sprint (last {VELOCITY_SPRINTS})"
    figure = None
    if not table.empty:
        bars = charts.columns(table, "Sprint", ["Planned (hours)", "Done (hours)"])
        figure = charts.figure("Sprint", "Estimate (hours)", bars, barmode="group")
    return Chart("velocity", title, table, figure, f"{project.key} has no closed sprint yet.")


def work_charts(
    actor: Actor,
    start: dt.date,
    end: dt.date,
    by: Literal["day", "week"],
    user_ids: list[int],
    chosen: WorkFilters,
) -> list[Chart]:
    """The charts for these filters, read through the analytics services."""
    same: dict[str, Any] = {
        "actor": actor,
        "start": start,
        "end": end,
        "user_ids": user_ids or None,
        "project_ids": chosen.project_ids or None,
        "sprint_ids": chosen.sprint_ids or None,
        "tag_id": chosen.tag_id,
    }
    palette = charts.colours(p.key for p in chosen.every_project)
    found = [
        time_per_project(analytics.time_per_project(unit_of_work(), by=by, **same), by, palette),
        person_per_project(analytics.time_per_person_per_project(unit_of_work(), **same), palette),
        estimates(analytics.estimate_vs_actual(unit_of_work(), by="project", **same), "project"),
        estimates(analytics.estimate_vs_actual(unit_of_work(), by="sprint", **same), "sprint"),
    ]
    if chosen.velocity_project is not None:
        frame = analytics.velocity(
            unit_of_work(),
            actor=actor,
            project_id=chosen.velocity_project.id,
            last=VELOCITY_SPRINTS,
        )
        found.append(velocity(frame, chosen.velocity_project))
    return found


def section(charts_: list[Chart]) -> None:
    for chart in charts_:
        charts.show(chart)


def projects_and_sprints(actor: Actor, chosen: Any) -> None:
    """The section's own filters, then its charts for them and the page's range and people
    (`chosen`: ui.parts.analytics.Filters)."""
    work = filters(actor)
    found = load(work_charts, actor, chosen.start, chosen.end, chosen.by, chosen.user_ids, work)
    section(found)
