"""The running timer, on every page: app.py draws it above the page, live, with Stop and
Discard (past 12 hours it asks for the real time first), and leaves the TimerView in
st.session_state[RUNNING] for the page's own timer buttons (timer_button)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from sprintsync.clock import utcnow
from sprintsync.domain import TIMER_LIMIT, format_duration
from sprintsync.services import timers, unit_of_work
from sprintsync.services.views import Actor, TaskView, TimerView
from sprintsync.ui.actions import Done, acting, action_button, finish, show_refusal
from sprintsync.ui.forms import Form

RUNNING = "_running_timer"  # this run's TimerView (or None), for the page's buttons
STARTS = "_timer_starts"  # timers this session started (part of Start timer's once-key)


def clock(elapsed: dt.timedelta) -> str:
    seconds = max(0, int(elapsed.total_seconds()))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def running() -> TimerView | None:
    """The timer app.py found running at the start of this run."""
    return st.session_state.get(RUNNING)


@st.fragment(run_every=1)
def _ticking(started_at: dt.datetime) -> None:
    # Only this fragment reruns each second; the database is read on full runs only.
    st.text(clock(utcnow() - started_at))


def banner(actor: Actor) -> TimerView | None:
    """The running timer, if any, in one bordered row above the page."""
    st.session_state[RUNNING] = None
    timer = timers.running_timer(unit_of_work(), actor=actor)
    st.session_state[RUNNING] = timer
    if timer is None:
        return None
    with st.container(border=True, key="timer_banner"):
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f":material/timer: **Timer running** on task #{timer.task_id}:")
            st.text(timer.task_title)  # user text: shown literally
            _ticking(timer.started_at)
            if not timer.too_long:
                if st.button("Stop and log", key=timer_key("stop", timer), type="primary"):
                    _stop(actor)
                _discard_button(actor, timer)
        if timer.too_long:
            _correction_form(actor, timer)
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
    form = Form(timer_key("correct", timer))
    with form.drawn(border=False):
        duration = st.text_input(
            "Time actually spent", key=form.key("duration"), placeholder="e.g. 2h30m"
        )
        note = st.text_input("Note", key=form.key("note"))
        if form.submitted("Log corrected time", type="primary"):
            _stop(actor, duration=duration, note=note, form=form)
    _discard_button(actor, timer)


def _stop(
    actor: Actor, *, duration: str | None = None, note: str = "", form: Form | None = None
) -> None:
    with acting("timer.stop", "Logging the timer…"):
        entry = timers.stop_timer(unit_of_work(), actor=actor, duration=duration, note=note)
        finish(
            f"Logged {format_duration(entry.minutes)} on task #{entry.task_id}."
            if entry is not None
            else "The timer ran under 30 seconds, so nothing was logged.",
            form=form,
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
    # Started in the click's callback: the one run after it shows the timer running. A
    # second click on the same drawn state does nothing: the state is the timer that ran
    # then (if any) and how many this session has started (a stopped timer leaves the card
    # as it was before its start, and starting it again must not count as a second click).
    key = f"{where}.timer_start.{task.id}"
    starts = int(st.session_state.get(STARTS, 0))
    running = timer_key("on", timer) if timer else "none"
    action_button(
        "Start timer",
        key=key,
        once=f"timer.start.{task.id}.{starts}.{running}",
        action="timer.start",
        do=_start,
        args=(actor, task.id, starts),
        # Every task is drawn in a fragment (My tasks' list and its dialog): the banner above
        # the page must show the timer too.
        whole_page=True,
        icon=":material/timer:",
    )
    show_refusal(key)


def _start(actor: Actor, task_id: int, starts: int) -> Done:
    started = timers.start_timer(unit_of_work(), actor=actor, task_id=task_id)
    message = f"Timer started on task #{task_id}."
    if started.logged is not None:
        message += (
            f" Logged {format_duration(started.logged.minutes)} "
            f"on task #{started.logged.task_id} from the timer it replaced."
        )

    def counted() -> None:
        st.session_state[STARTS] = starts + 1  # run twice, the same as once

    return Done(message, then=counted)
