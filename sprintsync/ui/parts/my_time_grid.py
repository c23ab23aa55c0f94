"""My time's editable week: tasks by days, durations typed as text (`1h30m`, `90`, `1:30`),
totals per row, day and week that follow what is typed, rows added for any task one may log
on or copied from last week, and one Save for the whole grid (one transaction).

The grid is drawn from a snapshot of the week kept in the session until it is saved or
reloaded: each cell's "drawn" minutes go with the save, so time changed elsewhere meanwhile
is a Conflict (services/timesheet_grid.py) and what was typed stays on the screen. Adding
rows or reloading draws a new editor: what was typed so far is carried into it first."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.errors import Conflict, ValidationError
from sprintsync.services import tasks, timesheets, unit_of_work
from sprintsync.services.timesheet_grid import cell_minutes, save_grid
from sprintsync.services.timesheet_views import GridCell, WeekView
from sprintsync.services.views import Actor, Timesheet
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.errors import load
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown
from sprintsync.workweek import WeekState

TASK = "Task"


def _key(actor: Actor, sheet_week: Any, what: str) -> str:
    return f"grid.{actor.id}.{sheet_week}.{what}"


def _state(actor: Actor, week: Any) -> dict[str, Any]:
    """This week's grid in the session: its generation, snapshot, added rows, carried text."""
    found: dict[str, Any] = st.session_state.setdefault(
        _key(actor, week, "state"),
        {"gen": 0, "snapshot": None, "extra": [], "draft": {}, "conflict": None},
    )
    return found


def _columns(sheet: Timesheet) -> list[str]:
    return [f"{day:%a %d}" for day in sheet.days]


def _rows(state: dict[str, Any]) -> list[tuple[int, str]]:
    sheet: Timesheet = state["snapshot"]
    drawn = [(row.task_id, row.title) for row in sheet.rows]
    have = {task_id for task_id, _ in drawn}
    return drawn + [(t, title) for t, title in state["extra"] if t not in have]


def _drawn(sheet: Timesheet) -> dict[tuple[int, int], int]:
    return {(row.task_id, d): m for row in sheet.rows for d, m in enumerate(row.minutes)}


def _base(state: dict[str, Any]) -> list[list[str]]:
    """The text of each cell the editor starts from: carried text, or the drawn minutes."""
    drawn = _drawn(state["snapshot"])
    return [
        [
            state["draft"].get(
                (task_id, d), format_duration(m) if (m := drawn.get((task_id, d), 0)) else ""
            )
            for d in range(7)
        ]
        for task_id, _ in _rows(state)
    ]


def _typed(state: dict[str, Any], edits: dict[str, Any] | None, days: list[str]) -> list[list[str]]:
    """The base overlaid with the editor's edits (kept by Streamlit under the editor's key)."""
    cells = _base(state)
    for row, changed in ((edits or {}).get("edited_rows") or {}).items():
        for column, value in changed.items():
            if column in days and int(row) < len(cells):
                cells[int(row)][days.index(column)] = "" if value is None else str(value)
    return cells


def _minutes(text: str) -> int | None:
    try:
        return cell_minutes(text)
    except ValidationError:
        return None


def _fold(state: dict[str, Any], typed: list[list[str]]) -> None:
    """Carry what was typed into the next editor (rows added, a reload): cells that differ
    from what was drawn."""
    drawn = _drawn(state["snapshot"])
    for (task_id, _), cells in zip(_rows(state), typed, strict=True):
        for d, text in enumerate(cells):
            shown = format_duration(m) if (m := drawn.get((task_id, d), 0)) else ""
            if text.strip() != shown:
                state["draft"][(task_id, d)] = text
            else:
                state["draft"].pop((task_id, d), None)
    state["gen"] += 1


def _save_form(actor: Actor, week: Any) -> Form:
    """Save's generation and double-click claim (ui.forms): a save that succeeds draws the
    whole grid afresh, and the second run of a double click saves nothing again."""
    return Form(f"grid_save.{actor.id}.{week}")


def week_grid(actor: Actor, sheet: Timesheet, status: WeekView) -> None:
    state = _state(actor, sheet.week_start)
    if state["snapshot"] is None or state["snapshot"].week_start != sheet.week_start:
        state["snapshot"] = sheet
    days = _columns(state["snapshot"])
    saves = _save_form(actor, sheet.week_start).generation
    editor = _key(actor, sheet.week_start, f"editor.{saves}.{state['gen']}")
    typed = _typed(state, st.session_state.get(editor), days)
    rows = _rows(state)
    parsed = [[_minutes(t) for t in cells] for cells in typed]
    locked = status.state == WeekState.APPROVED
    if not rows:
        st.info(
            "No time logged in this week yet. Add a row for a task below (or copy last week's "
            "rows), type durations such as 1h30m into the days, and save.",
            icon=":material/schedule:",
        )
    else:
        # What the editor is given never changes while it is being typed in (the frontend
        # would start over): the typed text and its totals are shown around it.
        frame = pd.DataFrame(
            [
                [f"#{task_id} {title}", *cells]
                for (task_id, title), cells in zip(rows, _base(state), strict=True)
            ],
            columns=[TASK, *days],
        )
        st.data_editor(
            frame,
            key=editor,
            hide_index=True,
            num_rows="fixed",
            width="stretch",
            disabled=True if locked else [TASK],
            column_config={
                TASK: st.column_config.TextColumn(TASK, width="medium"),
                **{d: st.column_config.TextColumn(d, help="e.g. 45m, 1h30m, 1.5h") for d in days},
            },
        )
        _totals(days, rows, parsed)
    unreadable = [
        f"{title[:40]} on {days[d]}: {typed[r][d]!r}"
        for r, (_, title) in enumerate(rows)
        for d in range(7)
        if parsed[r][d] is None
    ]
    if unreadable:
        st.warning("Not a duration yet: " + "; ".join(unreadable[:5]), icon=":material/edit:")
    if locked:
        return
    _row_tools(actor, state, typed, rows)
    _save(actor, state, typed, rows, sheet)


def _shown(minutes: int) -> str:
    return format_duration(minutes) if minutes else ""


def _totals(days: list[str], rows: list[tuple[int, str]], parsed: list[list[int | None]]) -> None:
    """Per day and per task, and the week's, as typed (saved or not): one caption and the
    week's figure. Two tables were a fifth of the page's time in the browser (Account -> My
    time at 1M entries, interleaved: 1.84x the floor with them, 1.47x with a caption,
    docs/PERFORMANCE.md)."""
    per_day = [sum(row[d] or 0 for row in parsed) for d in range(7)]
    per_task = [sum(m or 0 for m in row) for row in parsed]
    by_day = " · ".join(f"{day} {_shown(m) or '–'}" for day, m in zip(days, per_day, strict=True))
    by_task = " · ".join(
        f"#{task_id} {escape_markdown(title)} {_shown(m) or '–'}"  # user text: shown literally
        for (task_id, title), m in zip(rows, per_task, strict=True)
    )
    with st.container(horizontal=True, vertical_alignment="center"):
        st.metric("Week total", format_duration(sum(per_day)), width="content")
        st.caption(f"By day: {by_day}  \nBy task: {by_task}")


def _row_tools(
    actor: Actor, state: dict[str, Any], typed: list[list[str]], rows: list[tuple[int, str]]
) -> None:
    have = {task_id for task_id, _ in rows}
    mine = load(tasks.all_tasks, unit_of_work(), actor=actor, status=["todo", "in_progress"])
    choices = {t.id: t.title for t in mine if t.id not in have}
    with st.container(horizontal=True, vertical_alignment="bottom"):
        chosen = st.selectbox(
            "Add a row for a task",
            list(choices),
            index=None,
            placeholder="Choose one of your open tasks",
            format_func=lambda i: f"#{i} {choices[i]}",
            key=f"grid.add.{state['gen']}",
        )
        add = st.button("Add row", key=f"grid.add_row.{state['gen']}", disabled=chosen is None)
        if add and chosen is not None:
            _fold(state, typed)
            state["extra"].append((chosen, choices[chosen]))
            st.rerun()
        if st.button("Copy last week's rows", key=f"grid.copy.{state['gen']}"):
            previous = load(
                timesheets.weekly_timesheet,
                unit_of_work(),
                actor=actor,
                week_start=state["snapshot"].previous_week,
            )
            _fold(state, typed)
            state["extra"] += [(r.task_id, r.title) for r in previous.rows if r.task_id not in have]
            st.rerun()


def _save(
    actor: Actor,
    state: dict[str, Any],
    typed: list[list[str]],
    rows: list[tuple[int, str]],
    sheet: Timesheet,
) -> None:
    drawn = _drawn(state["snapshot"])
    cells = [
        GridCell(task_id, d, text, drawn.get((task_id, d), 0))
        for (task_id, _), texts in zip(rows, typed, strict=True)
        for d, text in enumerate(texts)
        if text.strip() != (format_duration(m) if (m := drawn.get((task_id, d), 0)) else "")
    ]
    if state["conflict"]:
        # Shown until reloaded: the grid still holds what was typed.
        st.error(escape_markdown(state["conflict"]), icon=":material/sync_problem:")
    form = _save_form(actor, sheet.week_start)
    with st.container(horizontal=True):
        save = form.clicked(
            "Save week", name="save", type="primary", icon=":material/save:", disabled=not cells
        )
        if state["conflict"] and st.button(
            "Reload the week, keeping what I typed", key=f"grid.reload.{state['gen']}"
        ):
            _fold(state, typed)
            state["snapshot"], state["conflict"] = sheet, None
            st.rerun()
    if cells:
        st.caption(f"{len(cells)} unsaved cell{'s' if len(cells) != 1 else ''}.")
    if save:
        with acting("timesheet.save", "Saving the week…"):
            try:
                saved = save_grid(
                    unit_of_work(), actor=actor, week_start=sheet.week_start, cells=cells
                )
            except Conflict as error:
                state["conflict"] = error.message  # shown with the typed grid, kept
                st.rerun()
            st.session_state.pop(_key(actor, sheet.week_start, "state"), None)
            finish(saved.summary, form=form)
