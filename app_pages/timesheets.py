"""Timesheets (managers and admins): everyone's week for a chosen week, each person's week
read-only with approve / send back (reopen for admins), and the detailed time report."""

import streamlit as st

from sprintsync.domain import monday_of
from sprintsync.services import unit_of_work, weeks
from sprintsync.ui import week_sheet
from sprintsync.ui.errors import load, show_errors
from sprintsync.ui.parts import timesheets as ui
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Timesheets")
week = week_sheet.chosen_week()  # one week on show for My time and this page
found = load(weeks.team_weeks, unit_of_work(), actor=actor, week_start=week)
weeks_tab, report_tab = st.tabs(["Weeks", "Time report"])
with weeks_tab:
    ui.team_table(found)
    chosen = ui.pick_person(found)
    if chosen is not None:
        ui.person_week(actor, chosen)
with report_tab, show_errors():  # a refused filter (over a year) is said in the tab
    ui.time_report(actor, monday_of(week))
