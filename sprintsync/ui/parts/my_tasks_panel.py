"""The open task, in a dialog over the list: details, moves, timer, logging time, entries,
editing and deleting it.

A dialog, not a panel at the top of the page: "Open" on a task low in a long list shows it
where the person is looking, and the list underneath neither moves nor changes, so the
button under the pointer still belongs to the task it showed. Closing it (Close, Escape,
a click outside) closes the task in the session and the URL (my_tasks_selection.clear)."""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.errors import NotFound, PermissionDenied
from sprintsync.services import tasks, timelog, unit_of_work
from sprintsync.services.choices import PlanningChoices
from sprintsync.services.views import Actor, TaskView, TimeEntryView, TimerView
from sprintsync.ui.actions import acting, confirmed, finish, show_flash
from sprintsync.ui.dialog_keys import escape_closes_dialogs
from sprintsync.ui.errors import show_errors
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.parts import my_tasks_fields, my_tasks_selection, my_tasks_time
from sprintsync.ui.parts.my_tasks import age, edit_base_key, logged_line, move_buttons
from sprintsync.ui.timer import timer_button

FIELDS = ("title", "description", "estimate", *my_tasks_fields.FIELDS)


# What the page's run read for the dialog; a rerun of the dialog alone (after Log time)
# finds it gone and reads the task again.
_READ_KEY = "_panel_read"
PANEL_TABS = ("Log time", "Time entries", "Edit", "Delete")


def open_task(actor: Actor, timer: TimerView | None, choices: PlanningChoices) -> None:
    """The task named by my_tasks_selection (an "Open" click, a link or a refresh), if any."""
    task_id = my_tasks_selection.current()
    if task_id is None:
        return
    read = _read(actor, task_id)
    if read is not None:
        st.session_state[_READ_KEY] = read
        escape_closes_dialogs()  # also once a move in it took the focus away
        dialog = st.dialog(f"Task #{task_id}", width="large", on_dismiss=my_tasks_selection.clear)
        dialog(_dialog)(actor, task_id, timer, choices)


def _read(actor: Actor, task_id: int) -> tuple[TaskView, list[TimeEntryView]] | None:
    with show_errors():
        try:
            task = tasks.get_task(unit_of_work(), actor=actor, task_id=task_id)
            entries = timelog.task_entries(unit_of_work(), actor=actor, task_id=task_id)
        except (NotFound, PermissionDenied):
            # Deleted meanwhile, or a link to a task that is not ours: said once, then closed
            # so that the next rerun or refresh does not say it again.
            my_tasks_selection.clear()
            raise
        return task, entries
    return None


def _dialog(actor: Actor, task_id: int, timer: TimerView | None, choices: PlanningChoices) -> None:
    """The dialog's body. Logging time reruns it alone (the page behind it is redrawn when
    the dialog closes), so its toast is shown here, and the task is read again."""
    show_flash()
    read: tuple[TaskView, list[TimeEntryView]] | None = st.session_state.pop(_READ_KEY, None)
    read = read or _read(actor, task_id)
    if read is not None:
        task, entries = read
        _panel(actor, task, entries, timer, choices)


def _close() -> None:
    my_tasks_selection.clear()
    st.rerun()


def _panel(
    actor: Actor,
    task: TaskView,
    entries: list[TimeEntryView],
    timer: TimerView | None,
    choices: PlanningChoices,
) -> None:
    st.text(task.title)
    assignee = escape_markdown(task.assignee or "nobody")
    st.caption(
        f"{task.status.label} · assigned to {assignee} · {logged_line(task)} · "
        f"created {age(task.created_at)} by {escape_markdown(task.created_by)}"
    )
    st.markdown(my_tasks_fields.card_line(task))
    tagged = my_tasks_fields.tags_line(task)
    if tagged:
        st.markdown(tagged)
    if task.description:
        st.text(task.description)
    else:
        st.caption("No description.")
    mine = task.owner_id == actor.id or actor.is_admin
    with st.container(horizontal=True):
        if mine:
            move_buttons(actor, task, "panel")
            timer_button(actor, task, timer, "panel")
        if st.button("Close", key="panel.close", icon=":material/close:"):
            _close()
    if not mine:  # the service would refuse the rest: do not let anyone type it first
        st.caption("Only the task's assignee (or an admin) can change it or log time on it.")
        my_tasks_time.entries_list(actor, entries)
        return
    # A tab's content is drawn from the first time it is open, and on every run after (a
    # tab left keeps what was typed in it): a task opens with its log form alone, not with
    # every entry, the edit form and the delete question too (docs/PERFORMANCE.md). The
    # labels stay fixed: the chosen tab is its label, and a count in one would close it
    # whenever the count changed.
    tabs = st.tabs(PANEL_TABS, key=tab_key(task.id), on_change="rerun")
    drawn: set[str] = st.session_state.setdefault(_drawn_key(task.id), set())
    drawn.update(name for name, tab in zip(PANEL_TABS, tabs, strict=True) if tab.open)
    log_tab, entries_tab, edit_tab, delete_tab = tabs
    with log_tab:
        if "Log time" in drawn:
            my_tasks_time.log_time_form(actor, task)
    with entries_tab:
        if "Time entries" in drawn:
            my_tasks_time.entries_list(actor, entries)
    with edit_tab:
        if "Edit" in drawn:
            _edit_form(actor, task, choices)
    with delete_tab:
        if "Delete" in drawn:
            _delete(actor, task, entries)


def tab_key(task_id: int) -> str:
    """The session key of the open task's chosen tab."""
    return f"panel.{task_id}.tab"


def _drawn_key(task_id: int) -> str:
    return f"panel.{task_id}.drawn"


def _estimate_text(task: TaskView) -> str:
    return "" if task.estimate_minutes is None else format_duration(task.estimate_minutes)


def _start_editing(form: Form, task: TaskView) -> None:
    original = (
        task.title,
        task.description,
        _estimate_text(task),
        *my_tasks_fields.start_values(task),
    )
    st.session_state[edit_base_key(task.id)] = task.version
    st.session_state[f"edit.{task.id}.original"] = original
    for field, value in zip(FIELDS, original, strict=True):
        form.set(field, value)


def _edit_form(actor: Actor, task: TaskView, choices: PlanningChoices) -> None:
    """Title, description, estimate and the planning fields (moving the task to another
    sprint is choosing it here). Edits start from the version on screen. If someone else
    saves meanwhile, an untouched form quietly shows their version; a touched one keeps the
    user's text and says so, with ways to load theirs or save over it (saving as usual is
    refused as a Conflict)."""
    form = Form(f"edit.{task.id}")
    base_key = edit_base_key(task.id)
    typed = tuple(form.value(f) for f in FIELDS)
    untouched = typed == st.session_state.get(f"edit.{task.id}.original")
    # Streamlit drops a widget's value once a run does not draw it (the dialog was closed):
    # start again from the saved task, never from an empty form.
    dropped = any(form.key(f) not in st.session_state for f in FIELDS)
    if base_key not in st.session_state or dropped:
        _start_editing(form, task)
    elif untouched and st.session_state[base_key] != task.version:
        form.done()  # fresh widgets, so the browser shows their version
        _start_editing(form, task)
    base = st.session_state[base_key]
    stale = task.version != base
    with form.drawn():
        title = st.text_input("Title", key=form.key("title"))
        description = st.text_area("Description", key=form.key("description"), height=120)
        estimate = st.text_input(
            "Estimate", key=form.key("estimate"), placeholder="e.g. 2h; empty for none"
        )
        planned = my_tasks_fields.planning_fields(actor, form, choices, task)
        if stale:
            st.warning(
                "Someone else saved this task after you started editing. Your text is still "
                "in the form above; the saved version is now:",
                icon=":material/sync_problem:",
            )
            st.text(task.title)
            st.text(task.description or "(no description)")
            st.caption(f"Estimate: {format_duration(task.estimate_minutes)}")
        with st.container(horizontal=True):
            save = form.submitted("Save changes", type="primary")
            overwrite = stale and form.submitted("Save mine over theirs", name="overwrite")
            if stale:
                form.submitted("Discard mine, load theirs", name="reload", on_click=form.done)
    if save or overwrite:
        with acting("task.update"):
            tasks.update_task(
                unit_of_work(),
                actor=actor,
                task_id=task.id,
                expected_version=task.version if overwrite else base,
                title=title,
                description=description,
                estimate=estimate,
                **planned,
            )
            st.session_state.pop(base_key, None)
            finish(f"Saved task #{task.id}.", form=form)


def _delete(actor: Actor, task: TaskView, entries: list[TimeEntryView]) -> None:
    others = sorted({e.username for e in entries if e.user_id != actor.id})
    if others and not actor.is_admin:  # the service refuses it: say so before anyone clicks
        st.caption(
            f"This task holds time logged by {escape_markdown(', '.join(others))}: only an admin "
            "can delete it. Move it to done instead."
        )
        return
    minutes = sum(e.minutes for e in entries)
    if entries:
        count = f"{len(entries)} time entr{'y' if len(entries) == 1 else 'ies'}"
        question = (
            f"This task has {count} ({format_duration(minutes)}). Deleting the task deletes "
            "them too. This cannot be undone."
        )
        yes = f"Delete the task and its {count}"
    else:
        question, yes = "Delete this task? This cannot be undone.", "Yes, delete the task"
    # The version names what was confirmed: if time was logged since the question was drawn,
    # the click belongs to a button that is gone, and the new question shows instead.
    if confirmed(
        f"delete_task:{task.id}",
        ask="Delete task…",
        question=question,
        yes=yes,
        version=f"{len(entries)}.{minutes}",
        icon=":material/delete:",
    ):
        with acting("task.delete", "Deleting the task…"):
            tasks.delete_task(
                unit_of_work(), actor=actor, task_id=task.id, delete_entries=bool(entries)
            )
            my_tasks_selection.clear()
            finish(f"Deleted task #{task.id}.")
