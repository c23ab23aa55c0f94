"""Team: every task in the team, read-only (managers and admins)."""

import streamlit as st

from sprintsync.services import tasks, unit_of_work, users
from sprintsync.ui.errors import load
from sprintsync.ui.parts import team
from sprintsync.ui.session import require_actor

actor = require_actor()
st.title("Team")
st.caption("Every task in the team. Read-only.")

people = load(users.directory, unit_of_work(), actor=actor)
names = {person.id: person.username for person in people}
chosen = team.filters(names)
found = load(
    tasks.list_tasks,
    unit_of_work(),
    actor=actor,
    everyone=True,
    status=chosen.statuses or None,
    assignee_id=chosen.assignee_id,
    search=chosen.search,
    page=team.page_number(),
    per_page=team.PER_PAGE,
    sort=chosen.order,
)
team.table(found, chosen)
