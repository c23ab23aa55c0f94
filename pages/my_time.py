"""My time: the signed-in user's week as an editable grid (tasks by days), its state and
Submit, with week navigation and the charts."""

import streamlit as st

from sprintsync.services import timesheets, unit_of_work, weeks
from sprintsync.ui import charts, timesheet_widgets, week_grid, week_status
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor

actor = require_actor()
show_flash()
st.title("My time")
week = timesheet_widgets.chosen_week()
with show_errors(), st.spinner("Loading the week…"):
    sheet = timesheets.weekly_timesheet(unit_of_work(), actor=actor, week_start=week)
    status = weeks.week_status(unit_of_work(), actor=actor, week_start=sheet.week_start)
    timesheet_widgets.week_heading(sheet)
    week_status.state_banner(status)
    week_grid.week_grid(actor, sheet, status)
    week_status.submit_button(actor, status)
    # The charts follow the week navigation: the chosen week against the one before it.
    charts.my_time_charts(actor, today=sheet.week_start)
