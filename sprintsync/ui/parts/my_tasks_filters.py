"""My tasks' filters and sort: view, search, status and sort in the first row; project,
sprint, tag, priority and due date in a box under it (More filters), drawn only while it is
open: its five widgets were a quarter of the page's time in the browser (1.80x the floor
with them, 1.34x without, docs/PERFORMANCE.md). They apply open or folded. They are
remembered for the browser session (a visit to another page and back keeps them), the
active ones are named above the tasks with a way to clear them, and an empty result names
the filters that hide everything.

On the board, the sprint filter is the board's sprint: its columns show that sprint's tasks
by status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from sprintsync.domain import Status
from sprintsync.planning import DueFilter, Priority
from sprintsync.services.choices import PlanningChoices
from sprintsync.services.views import SprintView
from sprintsync.ui.literal import escape_markdown

LIST_PAGE = "my_tasks.page"
STATUS_CHOICE = "my_tasks.status"
PROJECT_CHOICE = "my_tasks.project"
SPRINT_CHOICE = "my_tasks.sprint"
TAG_CHOICE = "my_tasks.tag"
PRIORITY_CHOICE = "my_tasks.priority"
DUE_CHOICE = "my_tasks.due"
VIEW_CHOICE = "my_tasks.view"
MORE_BOX = "my_tasks.more_filters"
VIEWS = ("Table", "List", "Board")  # the first is the default
VIEW_PARAM = "view"  # in the URL too: a reload or a copied link keeps the view
# Streamlit forgets a widget's value on a run that does not draw it (another page, or the
# board, which has no status filter): each choice is kept beside its widget and put back.
REMEMBERED: tuple[str, ...] = (STATUS_CHOICE, PROJECT_CHOICE, SPRINT_CHOICE, TAG_CHOICE)
REMEMBERED += (PRIORITY_CHOICE, DUE_CHOICE, VIEW_CHOICE, "my_tasks.search", "my_tasks.order")
KEPT = "my_tasks.kept."
PLANNING_CHOICES = (PROJECT_CHOICE, SPRINT_CHOICE, TAG_CHOICE, PRIORITY_CHOICE, DUE_CHOICE)
DUE_LABELS = {DueFilter.OVERDUE.value: "Overdue", DueFilter.THIS_WEEK.value: "Due this week"}
# The list keeps its order while you work: a task you move or log time on stays where it is,
# unless you chose "Recently changed".
ORDERS: dict[str, str] = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "changed": "Recently changed",
    "priority": "Priority",
    "due": "Due date",
    "title": "Title A-Z",
}


@dataclass(frozen=True)
class Filters:
    view: str
    statuses: tuple[Status, ...]
    search: str
    order: str
    project_ids: tuple[int, ...] = ()
    sprint: SprintView | None = None
    tag: str | None = None
    priorities: tuple[Priority, ...] = ()
    due: str | None = None
    projects: dict[int, str] = field(default_factory=dict)  # id -> key, for naming them

    @property
    def active(self) -> list[str]:
        """The filters that narrow the tasks, as a person names them."""
        named = []
        if self.search.strip():
            named.append(f"search “{self.search.strip()}”")
        if self.statuses:
            named.append("status " + ", ".join(s.label for s in self.statuses))
        if self.project_ids:
            keys = [self.projects.get(i, f"#{i}") for i in self.project_ids]
            named.append("project " + ", ".join(keys))
        if self.sprint is not None:
            named.append(f"sprint {self.sprint.project_key} · {self.sprint.name}")
        if self.tag:
            named.append(f"tag {self.tag}")
        if self.priorities:
            named.append("priority " + ", ".join(p.label for p in self.priorities))
        if self.due:
            named.append(DUE_LABELS[self.due].lower())
        return named

    @property
    def narrowed(self) -> bool:
        return bool(self.active)


def _set_page(number: int) -> None:
    st.session_state[LIST_PAGE] = number


def _view_from_url() -> None:
    """A new browser session (a reload, a copied link) starts in the view its URL names."""
    if VIEW_CHOICE in st.session_state:
        return
    named = {view.lower(): view for view in VIEWS}.get(st.query_params.get(VIEW_PARAM, ""))
    if named is not None:
        st.session_state[VIEW_CHOICE] = named


def _view_to_url(view: str) -> None:
    wanted = None if view == VIEWS[0] else view.lower()
    if st.query_params.get(VIEW_PARAM) != wanted:
        if wanted is None:
            st.query_params.pop(VIEW_PARAM, None)
        else:
            st.query_params[VIEW_PARAM] = wanted


def _restore(*keys: str) -> None:
    for key in keys:
        if key not in st.session_state and KEPT + key in st.session_state:
            st.session_state[key] = st.session_state[KEPT + key]


def _keep(*keys: str) -> None:
    for key in keys:
        if key in st.session_state:
            st.session_state[KEPT + key] = st.session_state[key]


def clear() -> None:
    """Every filter back to none (a button's on_click); the view and sort stay."""
    for key in (STATUS_CHOICE, PROJECT_CHOICE, PRIORITY_CHOICE):
        st.session_state[key] = []
    for key in (SPRINT_CHOICE, TAG_CHOICE, DUE_CHOICE):
        st.session_state[key] = None
    st.session_state["my_tasks.search"] = ""
    _keep(*REMEMBERED)
    _set_page(1)


def filters(choices: PlanningChoices) -> Filters:
    """The filters as chosen, drawn in two rows; `choices` is what the page read for them."""
    _restore(*REMEMBERED)
    _view_from_url()
    view_col, search_col, status_col, order_col = st.columns(
        [1.5, 2, 2, 1], vertical_alignment="bottom"
    )
    view = view_col.segmented_control("View", VIEWS, default=VIEWS[0], key=VIEW_CHOICE)
    _view_to_url(view or VIEWS[0])
    search = search_col.text_input(
        "Search",
        key="my_tasks.search",
        placeholder="Title or description",
        on_change=_set_page,
        args=(1,),
    )
    statuses: list[Status] = []
    if view != "Board":  # the board's columns are the statuses
        statuses = status_col.multiselect(
            "Status",
            list(Status),
            key=STATUS_CHOICE,
            format_func=lambda s: s.label,
            on_change=_set_page,
            args=(1,),
        )
    order = order_col.selectbox(
        "Sort",
        list(ORDERS),
        format_func=ORDERS.__getitem__,
        key="my_tasks.order",
        on_change=_set_page,
        args=(1,),
    )
    box = st.expander(
        "More filters: project, sprint, tag, priority, due date",
        icon=":material/filter_list:",
        key=MORE_BOX,
        on_change="rerun",
    )
    with box:
        planning = _planning_filters(choices, board=view == "Board", drawn=bool(box.open))
    undrawn = {STATUS_CHOICE} if view == "Board" else set()
    if not box.open:
        undrawn.update(PLANNING_CHOICES)
    _keep(*REMEMBERED)
    # An undrawn widget's value is let go here and lives on in its kept copy only. Left in
    # the session, it would be the value of the widget drawn again later without the
    # browser being told: the box would show "Any tag" while the tag still filtered, and
    # the next click would send the empty choice back.
    for key in undrawn:
        st.session_state.pop(key, None)
    return Filters(view or VIEWS[0], tuple(statuses), search or "", order or "newest", **planning)


def _planning_filters(choices: PlanningChoices, *, board: bool, drawn: bool) -> dict[str, Any]:
    """Project, sprint, tag, priority and due date; only choices that exist are offered.
    Not `drawn` (the box is folded), each is what was chosen last (see _restore)."""
    every_sprint, tag_names = choices.sprints, list(choices.tags)
    projects = {p.id: p.key for p in choices.projects}
    _drop_gone(PROJECT_CHOICE, list(projects), many=True)
    _drop_gone(TAG_CHOICE, tag_names)
    _drop_gone(PRIORITY_CHOICE, list(Priority), many=True)
    _drop_gone(DUE_CHOICE, list(DUE_LABELS))
    columns = st.columns(5) if drawn else [None] * 5

    def chosen(column: Any, widget: str, key: str, **options: Any) -> Any:
        if column is None:
            return st.session_state.get(key, [] if widget == "multiselect" else None)
        return getattr(column, widget)(key=key, on_change=_set_page, args=(1,), **options)

    project_ids = chosen(
        columns[0],
        "multiselect",
        PROJECT_CHOICE,
        label="Project",
        options=list(projects),
        format_func=projects.__getitem__,
        placeholder="Any project",
    )
    offered = {s.id: s for s in every_sprint if not project_ids or s.project_id in project_ids}
    _drop_gone(SPRINT_CHOICE, list(offered))
    sprint_id = chosen(
        columns[1],
        "selectbox",
        SPRINT_CHOICE,
        label="Sprint (the board's)" if board else "Sprint",
        options=list(offered),
        index=None,
        format_func=lambda i: (
            f"{offered[i].project_key} · {offered[i].name} ({offered[i].state.label.lower()})"
        ),
        placeholder="Any sprint",
    )
    tag = chosen(
        columns[2],
        "selectbox",
        TAG_CHOICE,
        label="Tag",
        options=tag_names,
        index=None,
        placeholder="Any tag",
    )
    priorities = chosen(
        columns[3],
        "multiselect",
        PRIORITY_CHOICE,
        label="Priority",
        options=list(Priority),
        format_func=lambda p: p.label,
        placeholder="Any priority",
    )
    due = chosen(
        columns[4],
        "selectbox",
        DUE_CHOICE,
        label="Due",
        options=list(DUE_LABELS),
        index=None,
        format_func=DUE_LABELS.__getitem__,
        placeholder="Any due date",
    )
    return {
        "project_ids": tuple(project_ids),
        "sprint": offered.get(sprint_id) if sprint_id is not None else None,
        "tag": tag,
        "priorities": tuple(priorities),
        "due": due,
        "projects": projects,
    }


def _drop_gone(key: str, options: Sequence[object], *, many: bool = False) -> None:
    """A remembered choice that is no longer offered (an archived project, a deleted tag)
    would make the widget fail: it is let go."""
    chosen = st.session_state.get(key)
    if many and chosen:
        st.session_state[key] = [c for c in chosen if c in options]
    elif not many and chosen is not None and chosen not in options:
        st.session_state[key] = None


def active_line(chosen: Filters) -> None:
    """Which filters are on, above the tasks, and a button that clears them all."""
    if not chosen.narrowed:
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.caption("Filtered by " + escape_markdown("; ".join(chosen.active)) + ".")
        st.button("Clear filters", key="my_tasks.clear", on_click=clear, icon=":material/close:")


def empty_message(chosen: Filters) -> str:
    """What an empty result says: the filters that hide everything, by name."""
    return (
        "No tasks match these filters: "
        + escape_markdown("; ".join(chosen.active))
        + ". Clear one of them, or all with **Clear filters**."
    )
