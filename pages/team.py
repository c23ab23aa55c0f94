"""Team: every task in the team, read-only (managers and admins)."""

import pandas as pd
import streamlit as st

from sprintsync.config import get_settings
from sprintsync.domain import Status, format_duration
from sprintsync.services import tasks, unit_of_work, users
from sprintsync.ui.errors import attempt
from sprintsync.ui.exports import download_csv
from sprintsync.ui.session import require_actor

PER_PAGE = 100

actor = require_actor()
st.title("Team")
st.caption("Every task in the team, newest activity first. Read-only.")

people = attempt(users.directory, unit_of_work(), actor=actor) or []
names = {person.id: person.username for person in people}


def _first_page() -> None:
    st.session_state["team_page"] = 1


status_col, person_col, search_col = st.columns([2, 1, 2])
statuses = status_col.multiselect(
    "Status",
    list(Status),
    format_func=lambda s: s.label,
    placeholder="Any status",
    on_change=_first_page,
)
assignee_id = person_col.selectbox(
    "Assignee",
    [None, *names],
    format_func=lambda i: "Anyone" if i is None else names[i],
    on_change=_first_page,
)
search = search_col.text_input(
    "Search", placeholder="Words in the title or description", on_change=_first_page
)
page_number = int(st.session_state.get("team_page", 1))

found = attempt(
    tasks.list_tasks,
    unit_of_work(),
    actor=actor,
    everyone=True,
    status=statuses or None,
    assignee_id=assignee_id,
    search=search,
    page=page_number,
    per_page=PER_PAGE,
)
if found is None:
    st.stop()
if not found.items:
    filtered = bool(statuses or assignee_id is not None or search.strip())
    st.info("No tasks match these filters." if filtered else "Nobody has created a task yet.")
    st.stop()

frame = pd.DataFrame(
    {
        "#": t.id,
        "Title": t.title,
        "Status": t.status.label,
        "Assignee": t.assignee or "—",
        "Estimate": format_duration(t.estimate_minutes),
        "Logged": format_duration(t.total_minutes),
        "Over estimate": t.over_estimate,
        "Updated": t.updated_at,
    }
    for t in found.items
)
st.dataframe(
    frame,
    hide_index=True,
    column_config={
        "Updated": st.column_config.DatetimeColumn(
            format="YYYY-MM-DD HH:mm", timezone=get_settings().timezone
        )
    },
)
download_csv(frame, "team-tasks", "Download this page as CSV")
st.caption(
    f"{found.total} task{'s' if found.total != 1 else ''}, page {found.page} of {found.pages}."
)
if found.pages > 1:
    st.number_input("Page", min_value=1, max_value=found.pages, key="team_page")
