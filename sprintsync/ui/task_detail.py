"""The open task: details, moves, timer, logging time, entries, editing and deleting it."""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.errors import NotFound, PermissionDenied
from sprintsync.services import tasks, timelog, unit_of_work
from sprintsync.services.views import Actor, TaskView, TimeEntryView, TimerView
from sprintsync.ui import selected_task, time_widgets
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.errors import show_errors
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.task_widgets import age, edit_base_key, logged_line, move_buttons


def open_task_panel(actor: Actor, timer: TimerView | None) -> None:
    """The task named by ui.selected_task (an "Open" click, a link or a refresh), if any."""
    task_id = selected_task.current()
    if task_id is None:
        return
    task: TaskView | None = None
    with show_errors():
        try:
            task = tasks.get_task(unit_of_work(), actor=actor, task_id=task_id)
            entries = timelog.task_entries(unit_of_work(), actor=actor, task_id=task_id)
        except (NotFound, PermissionDenied):
            # Deleted meanwhile, or a link to a task that is not ours: said once, then closed
            # so that the next rerun or refresh does not say it again.
            selected_task.clear()
            raise
    if task is None:
        return
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.subheader(f"Task #{task.id}", anchor=False)
            st.button(
                "Close", key="panel.close", on_click=selected_task.clear, icon=":material/close:"
            )
        st.text(task.title)
        assignee = escape_markdown(task.assignee or "nobody")
        st.caption(
            f"{task.status.label} · assigned to {assignee} · {logged_line(task)} · "
            f"created {age(task.created_at)} by {escape_markdown(task.created_by)}"
        )
        if task.description:
            st.text(task.description)
        else:
            st.caption("No description.")
        mine = task.owner_id == actor.id or actor.is_admin
        if mine:
            with st.container(horizontal=True):
                move_buttons(actor, task, "panel")
                time_widgets.timer_button(actor, task, timer, "panel")
        entries_label = f"Time entries ({len(entries)})"
        if not mine:  # the service would refuse the rest: do not let anyone type it first
            st.caption("Only the task's assignee (or an admin) can change it or log time on it.")
            time_widgets.entries_list(actor, entries)
            return
        log_tab, entries_tab, edit_tab, delete_tab = st.tabs(
            ["Log time", entries_label, "Edit", "Delete"]
        )
        with log_tab:
            time_widgets.log_time_form(actor, task)
        with entries_tab:
            time_widgets.entries_list(actor, entries)
        with edit_tab:
            _edit_form(actor, task)
        with delete_tab:
            _delete(actor, task, entries)


def _edit_keys(task_id: int) -> tuple[str, ...]:
    fields = ("title", "description", "estimate", "original")
    return (*(f"edit.{task_id}.{field}" for field in fields), edit_base_key(task_id))


def _estimate_text(task: TaskView) -> str:
    return "" if task.estimate_minutes is None else format_duration(task.estimate_minutes)


def _edit_form(actor: Actor, task: TaskView) -> None:
    """Edits start from the version on screen. If someone else saves meanwhile, an untouched
    form quietly shows their version; a touched one keeps the user's text and says so, with
    ways to load theirs or save over it (saving as usual is refused as a Conflict)."""
    title_key, description_key, estimate_key, original_key, base_key = _edit_keys(task.id)
    fields = (title_key, description_key, estimate_key)
    typed = tuple(st.session_state.get(k) for k in fields)
    untouched = typed == st.session_state.get(original_key)
    # Streamlit drops a widget's value once a run does not draw it (the panel was closed or
    # another task opened): start again from the saved task, never from an empty form.
    dropped = any(k not in st.session_state for k in fields)
    if (
        dropped
        or base_key not in st.session_state
        or (untouched and st.session_state[base_key] != task.version)
    ):
        original = (task.title, task.description, _estimate_text(task))
        st.session_state[base_key] = task.version
        st.session_state[original_key] = original
        for key, value in zip((title_key, description_key, estimate_key), original, strict=True):
            st.session_state[key] = value
    st.text_input("Title", key=title_key, max_chars=200)
    st.text_area("Description", key=description_key, height=120)
    st.text_input("Estimate", key=estimate_key, placeholder="e.g. 2h; empty for none")
    stale = task.version != st.session_state[base_key]
    if stale:
        st.warning(
            "Someone else saved this task after you started editing. Your text is still in the "
            "form above; the saved version is now:",
            icon=":material/sync_problem:",
        )
        st.text(task.title)
        st.text(task.description or "(no description)")
        st.caption(f"Estimate: {format_duration(task.estimate_minutes)}")
    with st.container(horizontal=True):
        if st.button("Save changes", key=f"edit.{task.id}.save", type="primary"):
            _save(actor, task, st.session_state[base_key])
        if stale:
            if st.button("Save mine over theirs", key=f"edit.{task.id}.overwrite"):
                _save(actor, task, task.version)
            st.button(
                "Discard mine, load theirs",
                key=f"edit.{task.id}.reload",
                on_click=_forget,
                args=_edit_keys(task.id),
            )


def _forget(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


def _save(actor: Actor, task: TaskView, expected_version: int) -> None:
    title_key, description_key, estimate_key, _, _ = _edit_keys(task.id)
    with acting("task.update"):
        tasks.update_task(
            unit_of_work(),
            actor=actor,
            task_id=task.id,
            expected_version=expected_version,
            title=st.session_state[title_key],
            description=st.session_state[description_key],
            estimate=st.session_state[estimate_key],
        )
        finish(f"Saved task #{task.id}.", forget=_edit_keys(task.id))


def _delete(actor: Actor, task: TaskView, entries: list[TimeEntryView]) -> None:
    others = sorted({e.username for e in entries if e.user_id != actor.id})
    if others and not actor.is_admin:  # the service refuses it: say so before anyone clicks
        st.caption(
            f"This task holds time logged by {escape_markdown(', '.join(others))}: only an admin "
            "can delete it. Move it to done instead."
        )
        return
    confirming = selected_task.confirming_delete_key(task.id)
    if not st.session_state.get(confirming):
        st.button(
            "Delete task…",
            key=f"delete.{task.id}.start",
            on_click=lambda: st.session_state.update({confirming: True}),
        )
        return
    minutes = sum(e.minutes for e in entries)
    if entries:
        count = f"{len(entries)} time entr{'y' if len(entries) == 1 else 'ies'}"
        st.warning(
            f"This task has {count} ({format_duration(minutes)}). Deleting the task deletes "
            f"them too. This cannot be undone.",
            icon=":material/delete_forever:",
        )
        label = f"Delete the task and its {count}"
    else:
        st.warning("Delete this task? This cannot be undone.", icon=":material/delete:")
        label = "Yes, delete the task"
    with st.container(horizontal=True):
        # The key names what was confirmed: if time was logged since the warning was drawn,
        # the click belongs to a button that is gone, and the new warning shows instead.
        confirm_key = f"delete.{task.id}.confirm.{len(entries)}.{minutes}"
        if st.button(label, key=confirm_key, type="primary"):
            with acting("task.delete", "Deleting the task…"):
                tasks.delete_task(
                    unit_of_work(), actor=actor, task_id=task.id, delete_entries=bool(entries)
                )
                selected_task.clear()
                finish(f"Deleted task #{task.id}.", forget=(confirming,))
        st.button("Cancel", key=f"delete.{task.id}.cancel", on_click=_forget, args=(confirming,))
