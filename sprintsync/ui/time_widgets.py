"""Time on a task: the running timer, the timer buttons, logging time and the task's entries."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import streamlit as st

from sprintsync.clock import today, utcnow
from sprintsync.domain import TIMER_LIMIT, UNSET, Unset, format_duration
from sprintsync.services import timelog, timers, unit_of_work
from sprintsync.services.views import Actor, TaskView, TimeEntryView, TimerView
from sprintsync.ui.actions import acting, finish
from sprintsync.ui.literal import escape_markdown

CORRECTED = "timer.corrected"
CORRECTED_NOTE = "timer.corrected_note"
ENTRIES_SHOWN = 10


def clock(elapsed: dt.timedelta) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


@st.fragment(run_every=1)
def _ticking(started_at: dt.datetime) -> None:
    # Only this fragment reruns each second; the database is read on full runs only.
    st.metric("Elapsed", clock(utcnow() - started_at), label_visibility="collapsed")


def timer_banner(actor: Actor) -> TimerView | None:
    """The running timer, live, with Stop and Discard; past 12 hours it asks for the real time."""
    timer = timers.running_timer(unit_of_work(), actor=actor)
    if timer is None:
        return None
    with st.container(border=True):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f":material/timer: **Timer running** on task #{timer.task_id}:")
            st.text(timer.task_title)
            _ticking(timer.started_at)
        if timer.too_long:
            _correction_form(actor, timer)
        else:
            with st.container(horizontal=True):
                if st.button("Stop and log", key=timer_key("stop", timer), type="primary"):
                    _stop(actor)
                _discard_button(actor, timer)
    return timer


def timer_key(what: str, timer: TimerView) -> str:
    """A banner button's key names the timer it was drawn for: a click on a page that went
    stale (the timer was switched or restarted in another tab) belongs to a button that no
    longer exists and does nothing, instead of stopping or discarding the other timer."""
    return f"timer.{what}.{timer.task_id}.{round(timer.started_at.timestamp() * 1e6)}"


def _correction_form(actor: Actor, timer: TimerView) -> None:
    st.warning(
        f"This timer has run for {format_duration(int(timer.elapsed.total_seconds() // 60))}, "
        f"longer than {format_duration(int(TIMER_LIMIT.total_seconds() // 60))}, so it will "
        "not be logged as it is. Enter the time you actually spent on the task, or discard "
        "the timer.",
        icon=":material/warning:",
    )
    st.text_input("Time actually spent", key=CORRECTED, placeholder="e.g. 2h30m")
    st.text_input("Note", key=CORRECTED_NOTE)
    with st.container(horizontal=True):
        if st.button("Log corrected time", key=timer_key("stop_corrected", timer), type="primary"):
            _stop(
                actor,
                duration=st.session_state[CORRECTED],
                note=st.session_state[CORRECTED_NOTE],
            )
        _discard_button(actor, timer)


def _stop(actor: Actor, *, duration: str | None = None, note: str = "") -> None:
    with acting("timer.stop", "Logging the timer…"):
        entry = timers.stop_timer(unit_of_work(), actor=actor, duration=duration, note=note)
        finish(
            f"Logged {format_duration(entry.minutes)} on task #{entry.task_id}."
            if entry is not None
            else "The timer ran under 30 seconds, so nothing was logged.",
            forget=(CORRECTED, CORRECTED_NOTE),
        )


def _discard_button(actor: Actor, timer: TimerView) -> None:
    if st.button("Discard timer", key=timer_key("discard", timer)):
        with acting("timer.discard"):
            gone = timers.discard_timer(unit_of_work(), actor=actor)
            finish(f"Discarded the timer on task #{gone.task_id}; nothing was logged.")


def timer_button(actor: Actor, task: TaskView, timer: TimerView | None, where: str) -> None:
    """Start a timer on this task (stopping any other), or stop the one running on it.

    The two buttons have keys of their own: a click on a page that went stale (the timer was
    stopped or started elsewhere) must not do the opposite of what its label said."""
    if timer is not None and timer.task_id == task.id:
        if st.button("Stop timer", key=f"{where}.timer_stop.{task.id}", icon=":material/stop:"):
            _stop(actor)
        return
    if st.button("Start timer", key=f"{where}.timer_start.{task.id}", icon=":material/timer:"):
        with acting("timer.start", "Starting the timer…"):
            started = timers.start_timer(unit_of_work(), actor=actor, task_id=task.id)
            message = f"Timer started on task #{task.id}."
            if started.logged is not None:
                message += (
                    f" Logged {format_duration(started.logged.minutes)} "
                    f"on task #{started.logged.task_id} from the timer it replaced."
                )
            finish(message)


class EntryFields(TypedDict):
    duration: str
    spent_on: dt.date | None
    note: str
    start: str
    end: str


def _entry_fields(duration_key: str, date_key: str, note_key: str) -> EntryFields:
    """Duration, date, optional start and end time, and note of a time entry, as keyword
    arguments for timelog (times given: the duration follows from them)."""
    left, right = st.columns(2)
    duration = left.text_input("Duration", key=duration_key, placeholder="45m, 1h30m, 1.5h or 90")
    spent_on = right.date_input("Date", key=date_key, format="YYYY-MM-DD")
    start_col, end_col = st.columns(2)
    start = start_col.text_input(
        "From (optional)", key=f"{duration_key}.start", placeholder="09:00", max_chars=5
    )
    end = end_col.text_input(
        "To (optional)", key=f"{duration_key}.end", placeholder="10:30", max_chars=5
    )
    note = st.text_input("Note", key=note_key, placeholder="What did you do? (optional)")
    return {"duration": duration, "spent_on": spent_on, "note": note, "start": start, "end": end}


def log_time_form(actor: Actor, task: TaskView) -> None:
    keys = tuple(
        f"log.{task.id}.{field}"
        for field in ("duration", "date", "note", "default", "duration.start", "duration.end")
    )
    duration_key, date_key, note_key, default_key = keys[:4]
    # The date defaults to today, and keeps doing so in a tab left open overnight: only a date
    # the user chose stays put.
    now = today()
    if st.session_state.get(date_key) in (None, st.session_state.get(default_key)):
        st.session_state[date_key] = st.session_state[default_key] = now
    values = _entry_fields(duration_key, date_key, note_key)
    if st.button("Log time", key=f"log.{task.id}.submit", type="primary"):
        with acting("time.log", "Logging time…"):
            entry = timelog.log_time(unit_of_work(), actor=actor, task_id=task.id, **values)
            finish(
                f"Logged {format_duration(entry.minutes)} on task #{task.id} "
                f"for {entry.spent_on:%a %d %b}.",
                forget=keys,
            )


def entries_list(actor: Actor, entries: list[TimeEntryView]) -> None:
    """A task's time entries, newest first; their owners can edit or delete them."""
    if not entries:
        st.caption("No time logged on this task yet. Log some above, or start a timer.")
        return
    shown = entries
    if len(entries) > ENTRIES_SHOWN and not st.toggle(
        f"Show all {len(entries)} entries", key="entries.all"
    ):
        shown = entries[:ENTRIES_SHOWN]
        st.caption(f"The {ENTRIES_SHOWN} newest of {len(entries)} entries.")
    for entry in shown:
        with st.container(border=True):
            with st.container(horizontal=True, vertical_alignment="center"):
                span = f" ({entry.span})" if entry.span else ""
                st.markdown(
                    f"**{format_duration(entry.minutes)}**{span} on {entry.spent_on:%a %d %b %Y} "
                    f"by {escape_markdown(entry.username)}"
                )
                if entry.user_id == actor.id or actor.is_admin:
                    _entry_buttons(entry)
            if entry.note:
                st.text(entry.note)
            if st.session_state.get(f"entry.{entry.id}.editing"):
                _entry_editor(actor, entry)
            if st.session_state.get(f"entry.{entry.id}.deleting"):
                _entry_delete(actor, entry)


def _toggle(key: str) -> None:
    st.session_state[key] = not st.session_state.get(key, False)


def _entry_buttons(entry: TimeEntryView) -> None:
    st.button(
        "Edit", key=f"entry.{entry.id}.edit", on_click=_toggle, args=(f"entry.{entry.id}.editing",)
    )
    st.button(
        "Delete",
        key=f"entry.{entry.id}.delete",
        on_click=_toggle,
        args=(f"entry.{entry.id}.deleting",),
    )


def _entry_editor(actor: Actor, entry: TimeEntryView) -> None:
    fields = ("duration", "date", "note", "editing", "duration.start", "duration.end")
    keys = tuple(f"entry.{entry.id}.{field}" for field in fields)
    duration_key, date_key, note_key, _, start_key, end_key = keys
    st.session_state.setdefault(duration_key, format_duration(entry.minutes))
    st.session_state.setdefault(date_key, entry.spent_on)
    st.session_state.setdefault(note_key, entry.note)
    first, _, last = entry.span.partition("–")
    st.session_state.setdefault(start_key, first)
    st.session_state.setdefault(end_key, last)
    values = _entry_fields(duration_key, date_key, note_key)
    if st.button("Save entry", key=f"entry.{entry.id}.save", type="primary"):
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
            finish("Time entry saved.", forget=keys)


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


def _entry_delete(actor: Actor, entry: TimeEntryView) -> None:
    st.warning(
        f"Delete this entry of {format_duration(entry.minutes)} on {entry.spent_on:%a %d %b}?"
    )
    with st.container(horizontal=True):
        if st.button("Yes, delete the entry", key=f"entry.{entry.id}.confirm", type="primary"):
            with acting("time.delete", "Deleting…"):
                timelog.delete_entry(unit_of_work(), actor=actor, entry_id=entry.id)
                finish("Time entry deleted.", forget=(f"entry.{entry.id}.deleting",))
        st.button(
            "Keep it",
            key=f"entry.{entry.id}.cancel",
            on_click=_toggle,
            args=(f"entry.{entry.id}.deleting",),
        )
