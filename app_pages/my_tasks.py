"""My tasks: create (or draft with AI), find, sort, move, edit and delete tasks; log time and
run a timer on them; plan the day with AI in the sidebar."""

import streamlit as st

from sprintsync.ui import timer
from sprintsync.ui.errors import load
from sprintsync.ui.parts import my_tasks, my_tasks_ai, my_tasks_panel
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("My tasks")
running = timer.running()  # app.py drew it above the page

form_slot = st.container()  # the New task form, open while there is nothing else to see
with st.sidebar:
    my_tasks_ai.plan_panel(actor)
chosen = my_tasks.filters(actor)
found = load(my_tasks.find, actor, chosen)
with form_slot:
    my_tasks.new_task_form(actor, expanded=not found.total and not chosen.narrowed)
my_tasks.show(actor, found, chosen, running)
my_tasks_panel.open_task(actor, running)
