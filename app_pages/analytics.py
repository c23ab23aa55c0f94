"""Analytics: where the team's time goes, and by project and sprint (velocity included). For
managers and admins (the services refuse others)."""

import streamlit as st

from sprintsync.services import analytics, unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import analytics as parts
from sprintsync.ui.parts import analytics_planning as parts_work
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Analytics")

people = {u.id: u.username for u in load(users.directory, unit_of_work(), actor=actor)}
chosen = parts.filters(people)
if chosen is None:
    st.stop()
board = load(
    analytics.dashboard,
    unit_of_work(),
    actor=actor,
    start=chosen.start,
    end=chosen.end,
    by=chosen.by,
    user_ids=chosen.user_ids,
)
parts.dashboard(board, people)

st.header("Projects and sprints", divider="gray")
work = parts_work.filters(actor)
found = load(
    parts_work.work_charts, actor, chosen.start, chosen.end, chosen.by, chosen.user_ids, work
)
parts_work.section(found)
