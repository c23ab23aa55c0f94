"""My tasks: create (with a suggested draft), find, sort, move, edit and delete tasks; log time
and run a timer on them; plan the day (the plan has its room on the page, under the form)."""

import streamlit as st

from sprintsync.services import choices as choices_service
from sprintsync.services import unit_of_work
from sprintsync.ui import timer
from sprintsync.ui.errors import load
from sprintsync.ui.parts import my_tasks, my_tasks_panel, my_tasks_plan
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("My tasks")
running = timer.running()  # app.py drew it above the page

# Read once for the New task form, the filters and the open task's Edit tab.
choices = load(choices_service.planning_choices, unit_of_work(), actor=actor)
my_tasks.new_task_form(actor, choices)
my_tasks_plan.plan_section(actor)
chosen = my_tasks.filters(choices)
found = load(my_tasks.find, actor, chosen)
my_tasks.show(actor, found, chosen, running)
my_tasks_panel.open_task(actor, running, choices)
