"""My tasks: create (with a suggested draft), find, sort, move, edit and delete tasks; log time
and run a timer on them; plan the day (the plan has its room on the page, under the form)."""

import streamlit as st

from sprintsync.services import choices as choices_service
from sprintsync.services import unit_of_work
from sprintsync.services.views import TimerView
from sprintsync.ui import timer
from sprintsync.ui.actions import show_flash
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


@st.fragment
def tasks_and_open_task(chosen: my_tasks.Filters, running: TimerView | None) -> None:
    """The tasks and the open one: a click among them (a row, Open, a move, a page) reruns
    only this. At 1M entries, opening a task from the table went from 4.18x the floor to
    3.24x in a probe run interleaved in one server (docs/PERFORMANCE.md). What shows
    elsewhere on the page reruns it whole: a timer's start or stop (the banner), the forms
    above. The tasks are read here, so closing the open task shows what was done in it."""
    show_flash()  # a move on a card reruns only this, and its toast is shown here
    found = load(my_tasks.find, actor, chosen)
    my_tasks.show(actor, found, chosen, running)
    my_tasks_panel.open_task(actor, running, choices)


chosen = my_tasks.filters(choices)
# Outside the fragment: Clear filters changes the filters, which are read on a full run.
my_tasks.active_line(chosen)
tasks_and_open_task(chosen, running)
