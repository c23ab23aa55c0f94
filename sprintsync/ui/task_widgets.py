"""My tasks page parts: the create form, filters, the list and the board of task cards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from sprintsync.clock import utcnow
from sprintsync.domain import TRANSITION_VERBS, UNSET, Status, Unset, format_duration
from sprintsync.services import tasks, unit_of_work, users
from sprintsync.services.views import Actor, Page, TaskView, TimerView
from sprintsync.ui import ai_panels, selected_task, time_widgets
from sprintsync.ui.actions import acting, finish

# The create form's widget keys. They are plain widgets, not an st.form, so that "Suggest a
# draft" can read the title typed so far and write its draft into the other two.
NEW_TITLE = "new_task.title"
NEW_DESCRIPTION = "new_task.description"
NEW_ESTIMATE = "new_task.estimate"
NEW_ASSIGNEE = "new_task.assignee"
NEW_DRAFT = "new_task.draft"
NEW_TASK_KEYS = (
    NEW_TITLE,
    NEW_DESCRIPTION,
    NEW_ESTIMATE,
    NEW_ASSIGNEE,
    *ai_panels.draft_keys(NEW_DRAFT),
)

LIST_PAGE = "my_tasks.page"
STATUS_CHOICE = "my_tasks.status"
KEPT_STATUSES = "my_tasks.status_kept"  # the choice, kept while the board is shown
BOARD_LIMIT = 300
LIST_PER_PAGE = 25


def edit_base_key(task_id: int) -> str:
    """The task version an open edit form started from (optimistic locking)."""
    return f"edit.{task_id}.base"


def age(created_at: dt.datetime, now: dt.datetime | None = None) -> str:
    seconds = max(0, int(((now or utcnow()) - created_at).total_seconds()))
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def new_task_form(actor: Actor, *, expanded: bool) -> None:
    with st.expander("New task", expanded=expanded, icon=":material/add_task:"):
        st.text_input("Title", key=NEW_TITLE, max_chars=200, placeholder="What needs doing?")
        ai_panels.draft_button(
            actor,
            title_key=NEW_TITLE,
            description_key=NEW_DESCRIPTION,
            estimate_key=NEW_ESTIMATE,
            key=NEW_DRAFT,
        )
        st.text_area("Description", key=NEW_DESCRIPTION, height="content")  # a draft shows whole
        st.text_input(
            "Estimate", key=NEW_ESTIMATE, placeholder="e.g. 45m, 1h30m, 1.5h or 90 (minutes)"
        )
        assignee: int | Unset = UNSET
        if actor.sees_everyone:
            people = {u.id: u for u in users.directory(unit_of_work(), actor=actor)}
            if actor.id in people:
                st.session_state.setdefault(NEW_ASSIGNEE, actor.id)
            assignee = st.selectbox(
                "Assignee",
                list(people),
                key=NEW_ASSIGNEE,
                format_func=lambda uid: (
                    f"{people[uid].username} ({people[uid].full_name})"
                    if people[uid].full_name
                    else people[uid].username
                ),
            )
        if st.button("Create task", type="primary", key="new_task.create"):
            with acting("task.create", "Creating the task…"):
                task = tasks.create_task(
                    unit_of_work(),
                    actor=actor,
                    title=st.session_state[NEW_TITLE],
                    description=st.session_state[NEW_DESCRIPTION],
                    estimate=st.session_state[NEW_ESTIMATE],
                    assignee_id=assignee,
                    draft_id=ai_panels.draft_id(NEW_DRAFT),
                )
                finish(f"Created task #{task.id}.", forget=NEW_TASK_KEYS)


@dataclass(frozen=True)
class Filters:
    view: str
    statuses: tuple[Status, ...]
    search: str

    @property
    def narrowed(self) -> bool:
        return bool(self.statuses or self.search.strip())


def filters() -> Filters:
    left, middle, right = st.columns([1, 2, 2], vertical_alignment="bottom")
    view = left.segmented_control("View", ["List", "Board"], default="List", key="my_tasks.view")
    search = middle.text_input(
        "Search",
        key="my_tasks.search",
        placeholder="Title or description",
        on_change=_set_page,
        args=(1,),
    )
    statuses: list[Status] = []
    if view != "Board":  # the board's columns are the statuses
        # Streamlit forgets a widget's value on a run that does not draw it (a look at the
        # board): the choice is kept beside it and put back.
        if STATUS_CHOICE not in st.session_state:
            st.session_state[STATUS_CHOICE] = st.session_state.get(KEPT_STATUSES, [])
        statuses = right.multiselect(
            "Status",
            list(Status),
            key=STATUS_CHOICE,
            format_func=lambda s: s.label,
            on_change=_set_page,
            args=(1,),
        )
        st.session_state[KEPT_STATUSES] = statuses
    return Filters(view or "List", tuple(statuses), search or "")


def load(actor: Actor, chosen: Filters) -> Page[TaskView]:
    if chosen.view == "Board":
        return tasks.list_tasks(
            unit_of_work(), actor=actor, search=chosen.search, per_page=BOARD_LIMIT
        )
    found = tasks.list_tasks(
        unit_of_work(),
        actor=actor,
        status=list(chosen.statuses) or None,
        search=chosen.search,
        page=st.session_state.get(LIST_PAGE, 1),
        per_page=LIST_PER_PAGE,
    )
    if not found.items and found.page > 1:  # the last page emptied (moved, deleted, filtered)
        st.session_state[LIST_PAGE] = max(1, found.pages)
        return load(actor, chosen)
    return found


def has_tasks(actor: Actor) -> bool:
    return tasks.list_tasks(unit_of_work(), actor=actor, per_page=1).total > 0


def move_buttons(actor: Actor, task: TaskView, where: str) -> None:
    """A button per legal move of this task, and nothing else."""
    for target in task.moves:
        verb = TRANSITION_VERBS[(task.status, target)]
        if st.button(verb, key=f"{where}.move.{task.id}.{target.value}"):
            with acting("task.move", "Moving the task…"):
                moved = tasks.move_task(
                    unit_of_work(), actor=actor, task_id=task.id, to_status=target
                )
                # Our own move bumps the version; an edit form open on it must not call that
                # someone else's change.
                if st.session_state.get(edit_base_key(task.id)) == task.version:
                    st.session_state[edit_base_key(task.id)] = moved.version
                finish(f"Task #{task.id} moved to {target.label.lower()}.")


def logged_line(task: TaskView) -> str:
    """Time logged against the estimate, e.g. `1h30m of 2h`; marked when it runs over."""
    if task.estimate_minutes is None:
        return f"{format_duration(task.total_minutes)} logged, no estimate"
    line = f"{format_duration(task.total_minutes)} of {format_duration(task.estimate_minutes)}"
    if task.over_estimate:
        over = format_duration(task.total_minutes - task.estimate_minutes)
        return f":red[**{line}, {over} over estimate**]"
    return line


def task_card(actor: Actor, task: TaskView, timer: TimerView | None, where: str) -> None:
    """Title, estimate, time logged against it (marked when over), age, and the actions.
    On the board the actions go under the text; in the list, beside it."""
    with st.container(border=True):
        text, actions = (
            (st.container(), st.container())
            if where == "board"
            else st.columns([3, 2], vertical_alignment="center")
        )
        with text:
            st.text(task.title)  # user text: shown literally
            created = age(task.created_at)
            st.caption(
                f"#{task.id} · {task.status.label} · {logged_line(task)} · created {created}"
            )
            if task.estimate_minutes and not task.over_estimate:
                st.progress(task.total_minutes / task.estimate_minutes)
        with actions, st.container(horizontal=True):
            move_buttons(actor, task, where)
            time_widgets.timer_button(actor, task, timer, where)
            st.button(
                "Open",
                key=f"{where}.open.{task.id}",
                on_click=selected_task.select,
                args=(task.id,),
            )


def board(actor: Actor, page: Page[TaskView], timer: TimerView | None) -> None:
    columns = st.columns(len(Status))
    for column, status in zip(columns, Status, strict=True):
        cards = [t for t in page.items if t.status == status]
        with column:
            st.subheader(f"{status.label} ({len(cards)})", anchor=False)
            if not cards:
                st.caption("Nothing here.")
            for task in cards:
                task_card(actor, task, timer, "board")
    if page.total > len(page.items):
        st.caption(f"Showing the {len(page.items)} most recently changed of {page.total} tasks.")


def task_list(actor: Actor, page: Page[TaskView], timer: TimerView | None) -> None:
    for task in page.items:
        task_card(actor, task, timer, "list")
    if page.pages > 1:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.button(
                "Previous",
                key="list.previous",
                disabled=page.page <= 1,
                on_click=_set_page,
                args=(page.page - 1,),
            )
            st.caption(f"Page {page.page} of {page.pages} ({page.total} tasks)")
            st.button(
                "Next",
                key="list.next",
                disabled=page.page >= page.pages,
                on_click=_set_page,
                args=(page.page + 1,),
            )


def _set_page(number: int) -> None:
    st.session_state[LIST_PAGE] = number


def empty_state(chosen: Filters) -> None:
    if chosen.narrowed:
        st.info("No tasks match these filters. Clear the search or the status filter.")
    else:
        st.info(
            "You have no tasks yet. Start with **New task** above: a title is enough, and an "
            "estimate lets you see your progress against it. Then start a timer on the task "
            "or log time on it.",
            icon=":material/lightbulb:",
        )
