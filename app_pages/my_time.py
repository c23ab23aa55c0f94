"""My time: the signed-in user's week as a timesheet, tasks by days, with week navigation,
and the week against the one before it."""

import streamlit as st

from sprintsync.services import analytics, timesheets, unit_of_work
from sprintsync.ui.errors import load
from sprintsync.ui.parts import my_time
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("My time")
week = my_time.chosen_week()
sheet = load(timesheets.weekly_timesheet, unit_of_work(), actor=actor, week_start=week)
my_time.timesheet(sheet)
# The charts follow the week navigation: the chosen week against the one before it.
mine = load(analytics.my_week, unit_of_work(), actor=actor, today=sheet.week_start)
my_time.week_charts(mine)
