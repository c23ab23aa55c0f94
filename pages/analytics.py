"""Analytics: where the team's time goes. For managers and admins (the service refuses others)."""

import streamlit as st

from sprintsync.services import analytics, unit_of_work, users
from sprintsync.ui import accuracy_chart, charts
from sprintsync.ui.errors import show_errors
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Analytics")

people: dict[int, str] = {}
with show_errors():
    people = {u.id: u.username for u in users.directory(unit_of_work(), actor=actor)}

first, last = analytics.default_range()
dates, who, grouping = st.columns([2, 4, 1])
picked = dates.date_input("Dates", value=(first, last), format="YYYY-MM-DD", key="dates")
chosen = who.multiselect(
    "People", options=list(people), format_func=people.get, placeholder="Everyone", key="people"
)
by = grouping.radio("Group by", ["week", "day"], format_func=str.title, key="by")

if len(picked) != 2:
    st.info("Pick the last day of the range too.", icon=":material/date_range:")
    st.stop()

with show_errors("analytics.view"):
    board = analytics.dashboard(
        unit_of_work(), actor=actor, start=picked[0], end=picked[1], by=by, user_ids=chosen
    )
    charts.show_dashboard(board)
    accuracy_chart.show_accuracy(actor, picked[0], picked[1], chosen)
