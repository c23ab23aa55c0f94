"""The Projects page's projects: each with the time logged on it against its budget (a warning
from 80%, an error past 100%), and for managers and admins the forms that create, edit,
archive and restore them. The services refuse everyone else whatever is drawn."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sprintsync.planning import BUDGET_WARNING_SHARE
from sprintsync.services import projects, unit_of_work
from sprintsync.services.views import Actor, ProjectView
from sprintsync.ui.actions import Done, acting, confirmed, finish, submit_button
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

CHOSEN = Form("projects.chosen")  # the selector of the project on show
ARCHIVED = "projects.show_archived"
BUDGET_STATES = {
    None: "No budget",
    "ok": "Within budget",
    "near": f"Near budget ({BUDGET_WARNING_SHARE:.0%} or more)",
    "over": "Over budget",
}


def hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 1)


def budget_table(found: list[ProjectView]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Key": [p.key for p in found],
            "Project": [p.name for p in found],
            "Logged (h)": [hours(p.used_minutes) for p in found],
            "Budget (h)": [hours(p.budget_minutes) for p in found],
            "Budget used": [None if p.budget_used is None else p.budget_used * 100 for p in found],
            "Budget": [BUDGET_STATES[p.budget_state] for p in found],
            "Open tasks": [p.open_tasks for p in found],
            "Done tasks": [p.done_tasks for p in found],
            "Archived": [p.archived for p in found],
        }
    )


def show_table(found: list[ProjectView]) -> None:
    table = budget_table(found)
    if not table["Archived"].any():
        table = table.drop(columns="Archived")
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "Budget used": st.column_config.ProgressColumn(
                "Budget used", format="%.0f%%", min_value=0, max_value=100
            )
        },
    )


def pick(found: list[ProjectView]) -> ProjectView:
    by_id = {p.id: p for p in found}
    if CHOSEN.value("project") not in by_id:
        busiest = max(found, key=lambda p: (not p.is_default, p.used_minutes))
        CHOSEN.set("project", busiest.id)
    chosen = st.selectbox(
        "Project",
        list(by_id),
        key=CHOSEN.key("project"),
        format_func=lambda i: (
            f"{by_id[i].key} · {by_id[i].name}" + (" (archived)" if by_id[i].archived else "")
        ),
    )
    return by_id[chosen]


def header(project: ProjectView) -> None:
    """The project's name, what it is for, and its budget used, warned about from 80%."""
    st.subheader(escape_markdown(f"{project.key} · {project.name}"))
    if project.description:
        st.text(project.description)
    if project.archived:
        st.info(
            "Archived: no new tasks or time; everything in it stays.", icon=":material/inventory_2:"
        )
    used, budget = project.used_minutes / 60, (project.budget_minutes or 0) / 60
    if project.budget_used is None:
        st.caption(f"{used:,.1f} h logged; no budget set.")
        return
    share = project.budget_used
    st.progress(min(share, 1.0), text=f"{used:,.1f} h of {budget:,.1f} h budget ({share:.0%})")
    if project.budget_state == "over":
        st.error(f"Over budget: {used - budget:,.1f} h past the {budget:,.1f} h budget.")
    elif project.budget_state == "near":
        st.warning(f"Near budget: {share:.0%} of {budget:,.1f} h used.", icon=":material/warning:")


NEW_PROJECT = Form("new_project")


def new_project_form(actor: Actor) -> None:
    """Created in the button's callback: the one run after the click shows the project."""
    form = NEW_PROJECT
    with st.expander("New project", icon=":material/create_new_folder:"), form.drawn():
        st.text_input("Key", key=form.key("key"), placeholder="WEB")
        st.text_input("Name", key=form.key("name"))
        st.text_input("Budget (hours, optional)", key=form.key("budget"), placeholder="120h")
        st.text_area("Description", key=form.key("description"))
        submit_button(
            form, "Create project", action="project.create", do=_create, args=(actor, form),
            type="primary",
        )  # fmt: skip


def _create(actor: Actor, form: Form) -> Done:
    made = projects.create_project(
        unit_of_work(),
        actor=actor,
        **form.texts("key", "name", "budget", "description"),
    )
    return Done(f"Created project {made.key}.", then=lambda: CHOSEN.choose("project", made.id))


def edit_project_form(actor: Actor, project: ProjectView) -> None:
    # Keyed by the version it was drawn from: a project saved meanwhile redraws the form
    # with its new values, and the service refuses a save from the old one.
    form = Form(f"edit_project.{project.id}.{project.version}")
    with st.expander("Edit project", icon=":material/edit:"), form.drawn():
        name = st.text_input("Name", value=project.name, key=form.key("name"))
        budget = st.text_input(
            "Budget (hours; empty for none)",
            value="" if project.budget_minutes is None else f"{project.budget_minutes / 60:g}h",
            key=form.key("budget"),
        )
        description = st.text_area(
            "Description", value=project.description, key=form.key("description")
        )
        if form.submitted("Save project"):
            with acting("project.update"):
                projects.update_project(
                    unit_of_work(),
                    actor=actor,
                    project_id=project.id,
                    expected_version=project.version,
                    name=name,
                    budget=budget,
                    description=description,
                )
                finish(f"Saved project {project.key}.", form=form)


def archive_buttons(actor: Actor, project: ProjectView) -> None:
    if project.is_default:
        st.caption(f"{project.key} is the default project; it stays active.")
        return
    if project.archived:
        if st.button("Restore project", icon=":material/unarchive:", key=f"restore.{project.id}"):
            with acting("project.restore"):
                projects.archive_project(
                    unit_of_work(), actor=actor, project_id=project.id, archived=False
                )
                finish(f"Project {project.key} is active again.")
        return
    if confirmed(
        f"archive_project:{project.id}",
        ask="Archive project",
        icon=":material/archive:",
        question=f"Archive {project.key}? Nobody can file tasks or log time in it until it is "
        "restored; its tasks, time and sprints stay.",
        yes=f"Yes, archive {escape_markdown(project.key)}",
    ):
        with acting("project.archive"):
            projects.archive_project(unit_of_work(), actor=actor, project_id=project.id)
            finish(f"Archived project {project.key}.")
