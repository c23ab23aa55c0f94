"""Analytics: where the team's time goes, its tasks and estimates, and by project and sprint
(velocity included), one section at a time. For managers and admins (the services refuse
others)."""

import streamlit as st

from sprintsync.services import analytics, unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import analytics as parts
from sprintsync.ui.parts import analytics_accuracy
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
parts.headline(board)
# Only the open section is read and drawn (a dozen Plotly charts at once were most of a visit).
team, work_done, by_project = parts.sections()
if team.open:
    with team:
        parts.team_time(board, people)
elif work_done.open:
    with work_done:
        parts.tasks_and_estimates(board, actor, chosen)
        analytics_accuracy.show_accuracy(actor, chosen.start, chosen.end, chosen.user_ids, people)
else:
    with by_project:
        parts_work.projects_and_sprints(actor, chosen)
