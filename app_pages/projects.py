"""Projects: every active project with the time logged against its budget, its sprints, and
per sprint planned against done, the burndown, scope added after the start and carry-over.
Managers and admins create, edit and archive projects and sprints here (the services refuse
anyone else)."""

import streamlit as st

from sprintsync.services import projects, sprints, unit_of_work
from sprintsync.ui.errors import load
from sprintsync.ui.parts import projects as ui
from sprintsync.ui.parts import projects_sprints as sprints_ui
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Projects")

leads = actor.sees_everyone
archived = leads and st.toggle("Show archived projects", key=ui.ARCHIVED)
found = load(projects.list_projects, unit_of_work(), actor=actor, include_archived=archived)
if leads:
    ui.new_project_form(actor)
ui.show_table(found)

project = ui.pick(found)
ui.header(project)
if leads:
    ui.edit_project_form(actor, project)
    ui.archive_buttons(actor, project)

st.header("Sprints", divider="gray")
sprints_ui.sprints_section(actor, project)
if leads and not project.archived:
    plan = load(sprints.list_sprints, unit_of_work(), actor=actor, project_id=project.id)
    sprints_ui.new_sprint_form(actor, project, plan[-1].ends_on if plan else None)
    if (chosen := sprints_ui.CHOSEN_SPRINT.value("sprint")) in {s.id for s in plan}:
        sprints_ui.edit_sprint_form(actor, chosen)
