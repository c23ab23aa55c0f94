"""My time: the signed-in user's week as a timesheet, tasks by days, with week navigation."""

import streamlit as st

from sprintsync.db import unit_of_work
from sprintsync.services import timesheets
from sprintsync.services.views import Actor, Timesheet
from sprintsync.ui import timesheet_widgets
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor


def personal_charts(actor: Actor, sheet: Timesheet) -> None:
    """ANALYTICS SLOT: the analytics issue's personal charts go here (hours per day this week
    against last week, split by task), below the timesheet."""


actor = require_actor()
show_flash()
st.title("My time")
week = timesheet_widgets.chosen_week()
with show_errors(), st.spinner("Loading the week…"):
    sheet = timesheets.weekly_timesheet(unit_of_work(), actor=actor, week_start=week)
    timesheet_widgets.timesheet(sheet)
    personal_charts(actor, sheet)
