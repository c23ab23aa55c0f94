"""My tasks: the New task form, the list and the board of task cards (the filters and sort are
in my_tasks_filters)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from sprintsync.clock import utcnow
from sprintsync.domain import TRANSITION_VERBS, UNSET, Status, format_duration
from sprintsync.services import tasks, unit_of_work, users
from sprintsync.services.choices import PlanningChoices
from sprintsync.services.views import Actor, Page, TaskView, TimerView
from sprintsync.ui.actions import Done, action_button, show_refusal, submit_button
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.parts import my_tasks_ai, my_tasks_fields, my_tasks_selection
from sprintsync.ui.parts.my_tasks_filters import (
    LIST_PAGE,
    Filters,
    active_line,
    empty_message,
    filters,
)
from sprintsync.ui.parts.my_tasks_table import TABLE_PER_PAGE, task_table
from sprintsync.ui.timer import timer_button

__all__ = ["Filters", "active_line", "filters"]  # the page draws these through this module

NEW_TASK = Form("new_task")
NEW_TASK_BOX = "new_task.box"
NEW_TASK_DRAWN = "new_task.drawn"
BOARD_LIMIT = 300
# Each card costs a click on the page about 14 ms, server and browser (docs/PERFORMANCE.md):
# ten a page keeps the list quick; search, filters, sort and the pages reach the rest.
LIST_PER_PAGE = 10


def edit_base_key(task_id: int) -> str:
    """The task version an open edit form started from (optimistic locking)."""
    return f"edit.{task_id}.base"


def age(created_at: dt.datetime, now: dt.datetime | None = None) -> str:
    seconds = max(0, int(((now or utcnow()) - created_at).total_seconds()))
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit} ago"
    return "just now"


def new_task_form(actor: Actor, choices: PlanningChoices) -> None:
    """Title, description, estimate, the planning fields (project, sprint, priority, due
    date, tags) and, for managers and admins, the assignee. Enter in a text box creates the
    task; the form is empty again after it is created, in the project last used.

    Folded until opened, even for someone with no tasks (the empty state points to it):
    its ten widgets were about two fifths of the browser's time to show the page, paid on
    every visit by those who rarely create tasks (admins, managers; benchmarks/browser.py).
    Open or folded, Streamlit keeps what the person chose for the session."""
    form = NEW_TASK
    box = st.expander(
        "New task", expanded=False, icon=":material/add_task:", key=NEW_TASK_BOX,
        on_change="rerun",
    )  # fmt: skip
    with box:
        # Its widgets are drawn from the first time the box is open in this session, and on
        # every run after, open or folded: a folded form keeps what was typed in it (an
        # st.form's text is only in the browser until submitted, and goes with its widgets).
        # Until then there is nothing to keep, and a page of tasks skips ten widgets.
        if not (box.open or st.session_state.get(NEW_TASK_DRAWN)):
            return
        st.session_state[NEW_TASK_DRAWN] = True
        with form.drawn(border=False):
            # No max_chars: the browser would drop a longer paste whole. The service refuses
            # an over-long title with its length, and the text stays here to shorten.
            st.text_input("Title", key=form.key("title"), placeholder="What needs doing?")
            st.text_area("Description", key=form.key("description"), height="content")
            st.text_input(
                "Estimate",
                key=form.key("estimate"),
                placeholder="e.g. 45m, 1h30m, 1.5h or 90 (minutes)",
            )
            my_tasks_fields.planning_fields(actor, form, choices)
            if actor.sees_everyone:
                _assignee_choice(actor, form)
            with st.container(horizontal=True):
                submit_button(  # first: Enter's
                    form, "Create task", action="task.create", do=_create, args=(actor, form),
                    type="primary",
                )  # fmt: skip
                my_tasks_ai.draft_button(actor, form)
        my_tasks_ai.draft_caption(form)


def _create(actor: Actor, form: Form) -> Done:
    """Create task's callback: the task as the form holds it, before the page is drawn."""
    assignee = form.value("assignee") if actor.sees_everyone else UNSET
    texts = form.texts("title", "description", "estimate")
    task = tasks.create_task(
        unit_of_work(),
        actor=actor,
        title=texts["title"],
        description=texts["description"],
        estimate=texts["estimate"],
        assignee_id=assignee,
        **my_tasks_fields.chosen_values(form),
        draft_id=my_tasks_ai.draft_id(form),
    )

    def remember_project() -> None:
        st.session_state[my_tasks_fields.LAST_PROJECT] = task.project_id

    return Done(f"Created task #{task.id}.", then=remember_project)


def _assignee_choice(actor: Actor, form: Form) -> int:
    people = {u.id: u for u in users.directory(unit_of_work(), actor=actor)}
    ids = list(people)
    return st.selectbox(
        "Assignee",
        ids,
        index=ids.index(actor.id) if actor.id in people else 0,
        key=form.key("assignee"),
        format_func=lambda uid: (
            f"{people[uid].username} ({people[uid].full_name})"
            if people[uid].full_name
            else people[uid].username
        ),
    )


def find(actor: Actor, chosen: Filters) -> Page[TaskView]:
    """The tasks to show: the board's (every status), or the list's or the table's page."""
    planned: dict[str, Any] = {
        "search": chosen.search,
        "sort": chosen.order,
        "project_id": list(chosen.project_ids) or None,
        "sprint_id": chosen.sprint.id if chosen.sprint else None,
        "tag": chosen.tag,
        "priority": list(chosen.priorities) or None,
        "due": chosen.due,
    }
    if chosen.view == "Board":
        return tasks.list_tasks(unit_of_work(), actor=actor, per_page=BOARD_LIMIT, **planned)
    found = tasks.list_tasks(
        unit_of_work(),
        actor=actor,
        status=list(chosen.statuses) or None,
        page=st.session_state.get(LIST_PAGE, 1),
        per_page=TABLE_PER_PAGE if chosen.view == "Table" else LIST_PER_PAGE,
        **planned,
    )
    if not found.items and found.page > 1:  # the last page emptied (moved, deleted, filtered)
        st.session_state[LIST_PAGE] = max(1, found.pages)
        return find(actor, chosen)
    return found


def move_buttons(actor: Actor, task: TaskView, where: str) -> None:
    """A button per legal move of this task, and nothing else. The move is done in the
    click's callback (one run shows it); a second click on the same version does nothing."""
    keys = [f"{where}.move.{task.id}.{target.value}" for target in task.moves]
    for target, key in zip(task.moves, keys, strict=True):
        action_button(
            TRANSITION_VERBS[(task.status, target)],
            key=key,
            once=f"move.{task.id}.{task.version}",
            action="task.move",
            do=_move,
            args=(actor, task, target),
            # The move reruns the fragment it is drawn in: the open task (a dialog) alone, as
            # logging time does, the page's tasks redrawn when it closes; or, on a card, the
            # page's tasks (app_pages/my_tasks.py).
        )
    for key in keys:
        show_refusal(key)


def _move(actor: Actor, task: TaskView, target: Status) -> Done:
    moved = tasks.move_task(unit_of_work(), actor=actor, task_id=task.id, to_status=target)

    def follow_version() -> None:
        # Our own move bumps the version; an edit form open on it must not call that
        # someone else's change.
        if st.session_state.get(edit_base_key(task.id)) == task.version:
            st.session_state[edit_base_key(task.id)] = moved.version

    return Done(f"Task #{task.id} moved to {target.label.lower()}.", then=follow_version)


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
    """Title; project (and sprint), priority unless normal, due date (red when overdue);
    estimate, time logged against it (marked when over), age; tags; and the actions.
    On the board the actions go under the text; in the list, beside it."""
    with st.container(border=True, key=f"{where}.card.{task.id}"):
        text, actions = (
            (st.container(), st.container())
            if where == "board"
            else st.columns([3, 2], vertical_alignment="center")
        )
        with text:
            st.text(task.title)  # user text: shown literally
            # One element for the rest: each element of a card costs the browser time, and a
            # page of cards multiplies it (docs/PERFORMANCE.md).
            created = age(task.created_at)
            lines = [
                my_tasks_fields.card_line(task),
                f"#{task.id} · {task.status.label} · {logged_line(task)} · created {created}",
            ]
            tagged = my_tasks_fields.tags_line(task)
            if tagged:
                lines.append(tagged)
            st.caption("  \n".join(lines))
            if task.estimate_minutes and not task.over_estimate:
                st.progress(task.total_minutes / task.estimate_minutes)
        with actions, st.container(horizontal=True):
            move_buttons(actor, task, where)
            timer_button(actor, task, timer, where)
            st.button(
                "Open",
                key=f"{where}.open.{task.id}",
                on_click=my_tasks_selection.select,
                args=(task.id,),
            )


def show(actor: Actor, found: Page[TaskView], chosen: Filters, timer: TimerView | None) -> None:
    """The empty state, the board, the table or the list (under active_line's filters)."""
    if chosen.view == "Board" and chosen.sprint is not None:
        sprint = chosen.sprint
        st.subheader(
            f"Board of {escape_markdown(sprint.project_key)} · {escape_markdown(sprint.label)}",
            anchor=False,
        )
        if sprint.goal:
            st.text("Goal: " + sprint.goal)
    if not found.total:
        _empty_state(chosen)
    elif chosen.view == "Board":
        _board(actor, found, timer)
    elif chosen.view == "Table":
        task_table(found)
        _pager(found)
    else:
        for task in found.items:
            task_card(actor, task, timer, "list")
        _pager(found)


def _board(actor: Actor, page: Page[TaskView], timer: TimerView | None) -> None:
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
        st.caption(f"Showing {len(page.items)} of {page.total} tasks, in the order chosen.")


def _pager(page: Page[TaskView]) -> None:
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


def _empty_state(chosen: Filters) -> None:
    if chosen.narrowed:
        st.info(empty_message(chosen), icon=":material/filter_alt_off:")
    else:
        st.info(
            "You have no tasks yet. Open **New task** above and give it a title (an estimate "
            "lets you see your progress against it). Then start a timer on the task or log "
            "time on it.",
            icon=":material/lightbulb:",
        )
