"""A task's planning fields as the New task form and the Edit tab draw them: project, sprint,
priority, due date and tags, and how a task card names them.

Inside a form nothing reruns until it is submitted, so the sprint list cannot follow the
project picked a moment ago: it offers every sprint that still takes work, each named with
its project's key, and the service refuses a sprint of another project (shown as every
refusal is, with what was typed kept)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import streamlit as st

from sprintsync.clock import today
from sprintsync.planning import TAG_MAX, TAGS_PER_TASK_MAX, Priority, SprintState
from sprintsync.services import tasks, unit_of_work
from sprintsync.services.choices import PlanningChoices, ProjectChoice
from sprintsync.services.views import Actor, SprintView, TaskView
from sprintsync.ui.errors import load
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

FIELDS = ("project", "sprint", "priority", "due", "tags")
LAST_PROJECT = "my_tasks.last_project"  # where this person filed their last task
PRIORITY_BADGES = {Priority.URGENT: "red", Priority.HIGH: "orange", Priority.LOW: "gray"}


def last_project(actor: Actor, active: Sequence[ProjectChoice]) -> int:
    """The project a new task starts in: the one this person last filed in (in this session,
    or else their newest task's) while it is active, or else the default project."""
    ids = [p.id for p in active]
    if LAST_PROJECT not in st.session_state:
        newest = load(
            tasks.list_tasks, unit_of_work(), actor=actor, sort="newest", per_page=1
        ).items
        st.session_state[LAST_PROJECT] = newest[0].project_id if newest else None
    chosen = st.session_state[LAST_PROJECT]
    if chosen in ids:
        return int(chosen)
    return next((p.id for p in active if p.is_default), ids[0])


def planning_fields(
    actor: Actor, form: Form, choices: PlanningChoices, task: TaskView | None = None
) -> dict[str, Any]:
    """Draws the fields (a new task's start at its defaults; an edited task's at its values,
    set by the caller with start_values) and returns them as the task services take them.
    `choices` is what the page read for its forms and filters (services.choices)."""
    active, every_sprint = choices.projects, choices.sprints
    names = {p.id: p.key + " · " + p.name for p in active}
    sprint_names = {s.id: sprint_label(s) for s in every_sprint if s.state != SprintState.CLOSED}
    if task is not None:  # its own project and sprint stay choosable, archived or closed
        names.setdefault(task.project_id, f"{task.project_key} (archived)")
        if task.sprint_id is not None:
            sprint_names.setdefault(task.sprint_id, f"{task.project_key} · {task.sprint_name}")
    elif form.key("project") not in st.session_state:
        form.set("project", last_project(actor, active))
    # A choice archived or closed since it was made stays chosen, for the service to refuse
    # with its reason: dropped from the options, Streamlit would quietly pick another.
    chosen_project, chosen_sprint = form.value("project"), form.value("sprint")
    if chosen_project is not None and chosen_project not in names:
        names[chosen_project] = f"Project #{chosen_project} (archived)"
    if chosen_sprint is not None and chosen_sprint not in sprint_names:
        gone = {s.id: sprint_label(s) for s in every_sprint}
        sprint_names[chosen_sprint] = gone.get(chosen_sprint, f"Sprint #{chosen_sprint}")
    if form.key("priority") not in st.session_state:
        form.set("priority", Priority.NORMAL)
    project_col, sprint_col = st.columns(2)
    project_id = project_col.selectbox(
        "Project", list(names), key=form.key("project"), format_func=names.__getitem__
    )
    sprint_id = sprint_col.selectbox(
        "Sprint (optional)",
        list(sprint_names),
        index=None,
        key=form.key("sprint"),
        format_func=sprint_names.__getitem__,
        placeholder="No sprint",
    )
    priority_col, due_col, tags_col = st.columns([1, 1, 2])
    priority = priority_col.selectbox(
        "Priority",
        list(Priority),
        key=form.key("priority"),
        format_func=lambda p: p.label,
    )
    due = due_col.date_input(
        "Due date (optional)",
        value=None,
        key=form.key("due"),
        format="YYYY-MM-DD",
        min_value=today() - dt.timedelta(days=366 * 5),
        max_value=today() + dt.timedelta(days=366 * 5),
    )
    known = choices.tags
    chosen_tags = tags_col.multiselect(
        "Tags",
        sorted(set(known) | set(form.value("tags") or []), key=str.lower),
        key=form.key("tags"),
        accept_new_options=True,
        max_selections=TAGS_PER_TASK_MAX,
        placeholder=f"Pick or type a new tag (up to {TAG_MAX} characters)",
    )
    return {
        "project_id": project_id,
        "sprint_id": sprint_id,
        "priority": priority,
        "due": due,
        "tags": list(chosen_tags),
    }


def chosen_values(form: Form) -> dict[str, Any]:
    """What planning_fields returned when its form was drawn, read back from the form's
    values (in a submit button's callback, before anything is drawn)."""
    return {
        "project_id": form.value("project"),
        "sprint_id": form.value("sprint"),
        "priority": form.value("priority"),
        "due": form.value("due"),
        "tags": list(form.value("tags") or []),
    }


def start_values(task: TaskView) -> tuple[object, ...]:
    """The task's planning fields as the widgets hold them, in FIELDS order."""
    return (task.project_id, task.sprint_id, task.priority, task.due_date, list(task.tags))


def sprint_label(sprint: SprintView) -> str:
    return f"{sprint.project_key} · {sprint.name} ({sprint.state.label.lower()})"


def card_line(task: TaskView, day: dt.date | None = None) -> str:
    """Project key, priority (unless normal) and the due date (red when overdue), in Markdown."""
    parts = [escape_markdown(task.project_key)]
    if task.sprint_name:
        parts[0] += " · " + escape_markdown(task.sprint_name)
    if task.priority in PRIORITY_BADGES:
        parts.append(f":{PRIORITY_BADGES[task.priority]}-badge[{task.priority.label}]")
    if task.due_date is not None:
        due = f"due {task.due_date:%a %d %b %Y}"
        parts.append(f":red[**{due}, overdue**]" if task.overdue_on(day or today()) else due)
    return " · ".join(parts)


def tags_line(task: TaskView) -> str | None:
    """The task's tags in Markdown, each shown as typed (people type them), or None."""
    if not task.tags:
        return None
    return "Tags: " + ", ".join(escape_markdown(tag) for tag in task.tags)
