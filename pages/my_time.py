"""My time: the signed-in user's week as a timesheet, tasks by days, with week navigation."""

import streamlit as st

from sprintsync.services import timesheets, unit_of_work
from sprintsync.ui import charts, timesheet_widgets
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor

actor = require_actor()
show_flash()
st.title("My time")
week = timesheet_widgets.chosen_week()
with show_errors(), st.spinner("Loading the week…"):
    sheet = timesheets.weekly_timesheet(unit_of_work(), actor=actor, week_start=week)
    timesheet_widgets.timesheet(sheet)
    # The charts follow the week navigation: the chosen week against the one before it.
    charts.my_time_charts(actor, today=sheet.week_start)
