"""Time on the open task: logging time, and its entries with their edit and delete."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import streamlit as st

from sprintsync.clock import today
from sprintsync.domain import UNSET, Unset, format_day, format_duration
from sprintsync.services import timelog, unit_of_work
from sprintsync.services.views import Actor, TaskView, TimeEntryView
from sprintsync.ui.actions import acting, confirmed, finish, submit_button
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown

ENTRIES_SHOWN = 10
DURATION_HINT = "45m, 1h30m, 1.5h or 90"


class EntryFields(TypedDict):
    duration: str
    spent_on: dt.date | None
    note: str
    start: str
    end: str


def _fields(form: Form) -> EntryFields:
    """Duration, date, optional start and end time, and note of a time entry, as keyword
    arguments for timelog (times given: the duration follows from them)."""
    left, right = st.columns(2)
    duration = left.text_input("Duration", key=form.key("duration"), placeholder=DURATION_HINT)
    spent_on = right.date_input("Date", key=form.key("date"), format="YYYY-MM-DD")
    start_col, end_col = st.columns(2)
    start = start_col.text_input("From (optional)", key=form.key("start"), placeholder="09:00")
    end = end_col.text_input("To (optional)", key=form.key("end"), placeholder="10:30")
    note = st.text_input("Note", key=form.key("note"), placeholder="What did you do? (optional)")
    return {"duration": duration, "spent_on": spent_on, "note": note, "start": start, "end": end}


def _follow_today(form: Form, now: dt.date) -> None:
    """The date defaults to today, and keeps doing so in a tab left open overnight: only a
    date the user chose stays put."""
    chosen, default = form.value("date"), form.value("date_default")
    if chosen in (None, default) and chosen != now:
        form.set("date", now)
        form.set("date_default", now)


def log_time_form(actor: Actor, task: TaskView) -> None:
    """Duration, date and note; Enter logs it, and the form is empty again afterwards. Logged
    in the button's callback, and only the dialog (a fragment) reruns to show the new total:
    the page behind it is redrawn when the dialog closes (its on_dismiss)."""
    form = Form(f"log.{task.id}")
    _follow_today(form, today())
    with form.drawn():
        _fields(form)
        submit_button(
            form, "Log time", action="time.log", do=_log, args=(actor, task.id, form),
            type="primary",
        )  # fmt: skip


def _log(actor: Actor, task_id: int, form: Form) -> str:
    entry = timelog.log_time(unit_of_work(), actor=actor, task_id=task_id, **_values(form))
    return (
        f"Logged {format_duration(entry.minutes)} on task #{task_id} "
        f"for {format_day(entry.spent_on, today())}."
    )


def _values(form: Form) -> EntryFields:
    """What _fields returned when the form was drawn, read back in a callback."""
    texts = form.texts("duration", "note", "start", "end")
    return {
        "duration": texts["duration"],
        "spent_on": form.value("date"),
        "note": texts["note"],
        "start": texts["start"],
        "end": texts["end"],
    }


def entries_list(actor: Actor, entries: list[TimeEntryView]) -> None:
    """A task's time entries, newest first; their owners (and admins) can edit or delete."""
    if not entries:
        st.caption("No time logged on this task yet. Log some here, or start a timer.")
        return
    shown = entries
    if len(entries) > ENTRIES_SHOWN and not st.toggle(
        f"Show all {len(entries)} entries", key="entries.all"
    ):
        shown = entries[:ENTRIES_SHOWN]
        st.caption(f"The {ENTRIES_SHOWN} newest of {len(entries)} entries.")
    for entry in shown:
        with st.container(border=True, key=f"entry.{entry.id}"):
            span = f" ({entry.span})" if entry.span else ""
            st.markdown(
                f"**{format_duration(entry.minutes)}**{span} on {entry.spent_on:%a %d %b %Y} "
                f"by {escape_markdown(entry.username)}"
            )
            if entry.note:
                st.text(entry.note)
            if entry.user_id == actor.id or actor.is_admin:
                _entry_actions(actor, entry)


def _editing_key(entry: TimeEntryView) -> str:
    return f"entry.{entry.id}.editing"


def _toggle(key: str) -> None:
    st.session_state[key] = not st.session_state.get(key, False)


def _entry_actions(actor: Actor, entry: TimeEntryView) -> None:
    editing = _editing_key(entry)
    if st.session_state.get(editing):
        _entry_editor(actor, entry)
        return
    with st.container(horizontal=True):
        st.button("Edit", key=f"entry.{entry.id}.edit", on_click=_toggle, args=(editing,))
        if confirmed(
            f"delete_entry:{entry.id}",
            ask="Delete",
            question=(
                f"Delete this entry of {format_duration(entry.minutes)} on "
                f"{format_day(entry.spent_on, today())}?"
            ),
            yes="Yes, delete the entry",
            version=entry.minutes,
        ):
            with acting("time.delete", "Deleting…"):
                timelog.delete_entry(unit_of_work(), actor=actor, entry_id=entry.id)
                finish("Time entry deleted.")


def _entry_editor(actor: Actor, entry: TimeEntryView) -> None:
    form = Form(f"entry.{entry.id}")
    if form.value("duration") is None:
        first, _, last = entry.span.partition("–")
        form.set("duration", format_duration(entry.minutes))
        form.set("date", entry.spent_on)
        form.set("note", entry.note)
        form.set("start", first)
        form.set("end", last)
    with form.drawn():
        values = _fields(form)
        with st.container(horizontal=True):
            save = form.submitted("Save entry", type="primary")
            form.submitted(
                "Cancel", name="cancel", on_click=_stop_editing, args=(form, _editing_key(entry))
            )
    if save:
        with acting("time.edit"):
            duration, start, end = _what_changed(entry, values)
            timelog.edit_entry(
                unit_of_work(),
                actor=actor,
                entry_id=entry.id,
                duration=duration,
                spent_on=values["spent_on"],
                note=values["note"],
                start=start,
                end=end,
            )
            st.session_state.pop(_editing_key(entry), None)
            finish("Time entry saved.", form=form)


def _what_changed(
    entry: TimeEntryView, values: EntryFields
) -> tuple[str | Unset, str | Unset, str | Unset]:
    """An edit's duration, start and end: new times set the duration and a new duration
    moves the end, so only what was changed is passed (both, when both were)."""
    first, _, last = entry.span.partition("–")
    retimed = (values["start"].strip(), values["end"].strip()) != (first, last)
    start: str | Unset = values["start"] if retimed else UNSET
    end: str | Unset = values["end"] if retimed else UNSET
    duration: str | Unset = values["duration"]
    if retimed and values["duration"].strip() == format_duration(entry.minutes):
        duration = UNSET
    return duration, start, end


def _stop_editing(form: Form, key: str) -> None:
    form.done()
    st.session_state.pop(key, None)
