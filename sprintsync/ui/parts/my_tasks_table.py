"""My tasks as a table: a row a task, 25 a page; a row's Open button (or selecting the row)
opens the task, where it is moved, timed, logged, edited or deleted.

One element for the whole page of tasks. At 1M entries, in one interleaved run: the page with
ten cards (text and three or four buttons each) 2.92x the floor, with the table of the same
tasks 2.02x, with no tasks at all 1.98x (docs/PERFORMANCE.md)."""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import format_duration
from sprintsync.services.views import Page, TaskView
from sprintsync.ui.parts import my_tasks_selection

TABLE_PER_PAGE = 25
TABLE_KEY = "my_tasks.table"
# The table's key carries how many times a task was closed: the row selected stays selected
# while its task is open (drawing the table anew as the task opened was most of the time
# the opening took), and the table after a close has none (a row left selected would point
# at whatever task the list puts there next, once the list changes).
OPEN = "Open"  # the column of buttons, first, and each button's label
OPEN_KEY = "my_tasks.table.open"
# A button opens at once: a row's selection reaches the server 150 ms after the click, the
# debounce of Streamlit's table (about a third of the time the opening took, at 1M entries).
ROW_PX = 35  # Streamlit's row height: the table is as tall as its rows, with no scroll of its own


def row(task: TaskView) -> dict[str, Any]:
    """A task's row; every cell plain text (a title is shown as typed, never as Markdown)."""
    due = ""
    if task.due_date is not None:
        due = f"{task.due_date:%d %b %Y}"
        if task.overdue_on(today()):
            due += ", overdue"
    logged = format_duration(task.total_minutes)
    if task.estimate_minutes is not None:
        logged += f" of {format_duration(task.estimate_minutes)}"
        if task.over_estimate:
            logged += ", over"
    project = task.project_key + (f" · {task.sprint_name}" if task.sprint_name else "")
    return {
        OPEN: OPEN,
        "#": task.id,
        "Title": task.title,
        "Status": task.status.label,
        "Project": project,
        "Priority": task.priority.label,
        "Due": due,
        "Logged": logged,
        "Tags": ", ".join(task.tags),
        "Created": f"{task.created_at:%d %b %Y}",
    }


def task_table(page: Page[TaskView]) -> None:
    key = f"{TABLE_KEY}.{my_tasks_selection.closings()}"
    ids = tuple(task.id for task in page.items)
    st.dataframe(
        [row(task) for task in page.items],
        hide_index=True,
        width="stretch",
        height=ROW_PX * (len(ids) + 1) + 3,
        column_config={
            OPEN: st.column_config.ButtonColumn(
                "",
                width="small",
                pinned=True,
                type="tertiary",
                key=OPEN_KEY,
                on_click=functools.partial(_open_clicked, ids),
            ),
            "#": st.column_config.NumberColumn(format="%d"),
        },
        key=key,
        on_select=functools.partial(_open_selected, key, ids),
        selection_mode="single-row",
    )
    st.caption("Open a task (or select its row) to move it, run a timer, log time, edit or delete.")


def _open_selected(key: str, ids: tuple[int, ...]) -> None:
    """The row's task as the table was drawn (`ids`), not as the list stands now."""
    rows = st.session_state[key].selection.rows
    if rows:
        _open_row(ids, rows[0])


def _open_clicked(ids: tuple[int, ...]) -> None:
    click = st.session_state[OPEN_KEY]
    if click is not None:
        _open_row(ids, click.row)


def _open_row(ids: tuple[int, ...], row: int) -> None:
    if 0 <= row < len(ids):
        my_tasks_selection.select(ids[row])
