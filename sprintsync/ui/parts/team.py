"""Team: the filters and the read-only table of everyone's tasks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from sprintsync.config import get_settings
from sprintsync.domain import Status, format_duration
from sprintsync.services.views import Page, TaskView
from sprintsync.ui.exports import download_csv

PAGE = "team_page"
PER_PAGE = 100
ORDERS: dict[str, str] = {
    "changed": "Recently changed",
    "newest": "Newest first",
    "oldest": "Oldest first",
}


@dataclass(frozen=True)
class Filters:
    statuses: list[Status]
    assignee_id: int | None
    search: str
    order: str

    @property
    def narrowed(self) -> bool:
        return bool(self.statuses or self.assignee_id is not None or self.search.strip())


def _first_page() -> None:
    st.session_state[PAGE] = 1


def filters(names: dict[int, str]) -> Filters:
    status_col, person_col, search_col, order_col = st.columns([2, 1, 2, 1])
    statuses = status_col.multiselect(
        "Status",
        list(Status),
        format_func=lambda s: s.label,
        placeholder="Any status",
        on_change=_first_page,
        key="team_status",
    )
    assignee_id = person_col.selectbox(
        "Assignee",
        [None, *names],
        format_func=lambda i: "Anyone" if i is None else names[i],
        on_change=_first_page,
        key="team_assignee",
    )
    search = search_col.text_input(
        "Search",
        placeholder="Words in the title or description",
        on_change=_first_page,
        key="team_search",
    )
    order = order_col.selectbox(
        "Sort",
        list(ORDERS),
        format_func=ORDERS.__getitem__,
        on_change=_first_page,
        key="team_order",
    )
    return Filters(statuses, assignee_id, search, order or "changed")


def page_number() -> int:
    return int(st.session_state.get(PAGE, 1))


def table(found: Page[TaskView], chosen: Filters) -> None:
    if not found.items:
        st.info(
            "No tasks match these filters." if chosen.narrowed else "Nobody has created a task yet."
        )
        return
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
        st.number_input("Page", min_value=1, max_value=found.pages, key=PAGE)
