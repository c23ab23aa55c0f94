"""My tasks: create (with a suggested draft), find, move, edit and delete tasks; log time and
run a timer on them; plan the day."""

import streamlit as st

from sprintsync.ui import day_plan, task_detail, task_widgets, time_widgets
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor

actor = require_actor()
show_flash()
st.title("My tasks")

timer = page = None
with show_errors():
    timer = time_widgets.timer_banner(actor)
    task_widgets.new_task_form(actor, expanded=not task_widgets.has_tasks(actor))
day_plan.plan_section(actor)
chosen = task_widgets.filters()
task_detail.open_task_panel(actor, timer)
with show_errors():
    page = task_widgets.load(actor, chosen)

if page is None:
    st.stop()
if not page.total:
    task_widgets.empty_state(chosen)
elif chosen.view == "Board":
    task_widgets.board(actor, page, timer)
else:
    task_widgets.task_list(actor, page, timer)
