"""My time: the signed-in user's week as an editable grid (tasks by days), its state and
Submit, with week navigation, and the week against the one before it (charts in a box)."""

import streamlit as st

from sprintsync.services import timesheets, unit_of_work, weeks
from sprintsync.ui import week_sheet
from sprintsync.ui.errors import load
from sprintsync.ui.parts import my_time, my_time_grid, my_time_status
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("My time")
week = week_sheet.chosen_week()
sheet = load(timesheets.weekly_timesheet, unit_of_work(), actor=actor, week_start=week)
status = load(weeks.week_status, unit_of_work(), actor=actor, week_start=sheet.week_start)
week_sheet.week_heading(sheet)
my_time_status.state_banner(status)
my_time_grid.week_grid(actor, sheet, status)
my_time_status.submit_button(actor, status)
# The charts follow the week navigation: the chosen week against the one before it.
my_time.week_charts(actor, sheet.week_start)
