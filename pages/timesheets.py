"""Timesheets (managers and admins): everyone's week for a chosen week, each person's week
read-only with approve / send back (reopen for admins), and the detailed time report."""

import streamlit as st

from sprintsync.domain import monday_of
from sprintsync.services import unit_of_work, weeks
from sprintsync.ui import approvals, timesheet_widgets
from sprintsync.ui.actions import show_flash
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor

actor = require_actor()
show_flash()
st.title("Timesheets")
week = timesheet_widgets.chosen_week()
weeks_tab, report_tab = st.tabs(["Weeks", "Time report"])
with weeks_tab, show_errors():
    found = weeks.team_weeks(unit_of_work(), actor=actor, week_start=week)
    approvals.team_table(found)
    chosen = approvals.pick_person(found)
    if chosen is not None:
        approvals.person_week(actor, chosen)
with report_tab, show_errors():
    approvals.time_report(actor, monday_of(week))
