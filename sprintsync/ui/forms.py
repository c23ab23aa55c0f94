"""Forms that start empty again after a success, and that a double click cannot submit twice.

Popping a widget's key from st.session_state does not clear the browser's copy: the frontend
sends its value back on the next rerun, so a "cleared" form shows (and resubmits) the old text.
Instead each form has a generation number in its widgets' keys and its submit button's key.
A success bumps it in the same run as the service call, before anything else is drawn, so:

- the next run draws new widgets (new keys), empty or at their defaults;
- a second click that was already on its way names a submit button that no longer exists,
  and does nothing.

A refusal does not bump it, so what the user typed stays for them to correct.

A double click can also arrive while the first run is still in its service call: Streamlit
(fast reruns) then starts a second run of the page at once, in a thread of its own, with the
same values and the same generation. So a submission claims its generation first: the second
run waits for the first and, once it succeeded, shows the page it left (its toast included)
instead of saving again; if the first was refused, the second goes ahead. A claim left by a
run that failed or was stopped is let go when its action ends (ui.actions.acting).

    form = Form(f"log.{task.id}")
    with form.drawn():
        duration = st.text_input("Duration", key=form.key("duration"))
        if form.submitted("Log time"):
            with acting("time.log"):
                entry = timelog.log_time(..., duration=duration)
                finish("Logged.", form=form)   # bumps the generation, then reruns

Inside st.form, Enter in a text input submits with the form's first submit button.

The faster way (ui.actions.submit_button) does the action in the submit button's callback,
before the run that follows draws the page: that one run shows the new state, no second run
is needed. A double click's second run, in its own thread, may reach its callback while
the first is still saving: it waits for the first's outcome (ui.forms.take), then saves
nothing if the first saved.

Any read or write of st.session_state is a point where Streamlit may stop a run (a newer
click asked for one), even in a callback. So whether a generation was saved is kept in a
plain dict (the ledger, held in session_state and changed in place, which never stops a
run), written straight after the service call. A run stopped before it drew the form
afresh leaves the generation saved in the ledger: the next run finishes it (Form.drawn).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st

from sprintsync.ui.literal import escape_markdown

_PREFIX = "_form_generation."
_CLAIM = "_form_submitting."
_LEDGER = "_form_ledger"
_REFUSAL = "_form_refusal."
_CLAIMS_LOCK = threading.Lock()  # the two runs of a double click are threads of one process
_HELD = threading.local()  # the claims the run in this thread made
DOUBLE_CLICK_WAIT_SECONDS = 15


class Form:
    """Keys for one form's widgets, tied to the form's current generation."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def generation(self) -> int:
        return int(st.session_state.get(_PREFIX + self.name, 0))

    def key(self, field: str) -> str:
        """The session_state key of `field` in this generation of the form."""
        return f"{self.name}.{field}.{self.generation}"

    def value(self, field: str, default: Any = None) -> Any:
        return st.session_state.get(self.key(field), default)

    def texts(self, *fields: str) -> dict[str, str]:
        """The text fields' values by name, "" for one never typed in (a service's keywords)."""
        return {field: self.value(field) or "" for field in fields}

    def set(self, field: str, value: Any) -> None:
        """Give `field` a value before its widget is drawn (or from a callback)."""
        st.session_state[self.key(field)] = value

    @property
    def _claim_key(self) -> str:
        return self.claim_of(self.generation)

    def claim_of(self, generation: int) -> str:
        return f"{_CLAIM}{self.name}.{generation}"

    def done(self, message: str = "") -> None:
        """A success: the next run draws this form afresh. What this generation kept is
        forgotten (the browser's copy of its widgets belongs to keys no longer drawn)."""
        ledger = _ledger()
        for key in [k for k in _held() if k.startswith(f"{_CLAIM}{self.name}.")]:
            ledger[key] = ("done", message, None)  # before the keys below: each may stop the run
        ledger[self._claim_key] = ("done", message, None)
        _held().discard(self._claim_key)
        ledger.pop(self.claim_of(self.generation - 1), None)
        finished = self.generation
        prefix, suffix = f"{self.name}.", f".{finished}"
        for key in [k for k in st.session_state if k.startswith(prefix) and k.endswith(suffix)]:
            del st.session_state[key]
        st.session_state[_PREFIX + self.name] = finished + 1

    def choose(self, field: str, value: Any) -> None:
        """The code picks `value` for a selector (e.g. the thing just created): the next run
        draws the selector afresh holding it. A click already on its way carries the browser's
        copy of the old selector, which then belongs to a key no longer drawn and is ignored,
        instead of putting the old choice back."""
        self.done()
        self.set(field, value)

    @contextmanager
    def drawn(self, *, border: bool = True) -> Iterator[None]:
        """The st.form holding this generation's widgets (Enter submits it), and under it
        the refusal of a submission its callback made, if any."""
        self.settle()
        with st.form(self.key("form"), border=border, enter_to_submit=True):
            yield
        self.show_refusal()

    def settle(self) -> None:
        """Finish a submission whose run saved it and was stopped before it drew the form
        afresh: the form starts empty and the toast is shown, as if that run had ended."""
        state = _ledger().get(self._claim_key)
        if isinstance(state, tuple) and self._claim_key not in _held():
            _, message, then = state
            if then is not None:
                then()
            self.done(message)
            if message:
                st.toast(escape_markdown(message), icon=":material/check_circle:")

    def refuse(self, message: str) -> None:
        """Keep a callback's refusal for the run that draws the form (its text stays)."""
        refuse(self.name, message)

    def show_refusal(self) -> None:
        show_refusal(self.name)

    def take(self, generation: int) -> Claim | None:
        """For a submit button's callback: claim the submission of `generation` (the one the
        button was drawn in). None when there is nothing to do: a click on a form drawn
        afresh since, or on one saved already (see take)."""
        if generation != self.generation:
            return None
        return take(self.claim_of(generation))

    def submitted(self, label: str, *, name: str = "submit", **button: Any) -> bool:
        """A submit button of this generation; `name` tells a form's buttons apart. The first
        one drawn is what Enter presses."""
        if not st.form_submit_button(label, key=self.key(name), **button):
            return False
        return self._claim()

    def clicked(self, label: str, *, name: str = "submit", **button: Any) -> bool:
        """A plain button of this generation that claims as a submit button does: for an
        action whose widgets cannot sit in st.form (the week grid's totals follow what is
        typed; in a form they would wait for the submit)."""
        if not st.button(label, key=self.key(name), **button):
            return False
        return self._claim()

    def _claim(self) -> bool:
        key = self._claim_key
        ledger = _ledger()
        with _CLAIMS_LOCK:
            first = key not in ledger
            if first:
                ledger[key] = "running"
        if not first:
            deadline = time.monotonic() + DOUBLE_CLICK_WAIT_SECONDS
            while ledger.get(key) == "running" and time.monotonic() < deadline:
                time.sleep(0.05)
            if isinstance(ledger.get(key), tuple):
                self.settle()
                st.rerun()  # the first click saved: show what it left, save nothing again
            with _CLAIMS_LOCK:
                ledger[key] = "running"
        _held().add(key)
        return True


def _held() -> set[str]:
    if not hasattr(_HELD, "claims"):
        _HELD.claims = set()
    claims: set[str] = _HELD.claims
    return claims


@dataclass(frozen=True)
class Claim:
    """An action being done in a callback. It holds the ledger itself, not a way to find it:
    marking it involves no Streamlit call, so no stop of the run can fall between the
    service's commit and the mark, nor keep a refused claim from being let go."""

    key: str
    ledger: dict[str, Any]

    def saved(self, message: str, then: Callable[[], None] | None = None) -> None:
        """Straight after the service call: it is saved. `then` (what to note in session
        state) is kept for the run that finishes it, if this one is stopped first."""
        self.ledger[self.key] = ("done", message, then)

    def give_back(self) -> None:
        """It did not save (refused, failed or stopped): a new try may go on."""
        with _CLAIMS_LOCK:
            if self.ledger.get(self.key) == "running":
                del self.ledger[self.key]


def take(key: str) -> Claim | None:
    """Claim the action `key` names (a form's generation, a move of a task's version). None
    if it was done already. Each click's run has a thread of its own and their callbacks
    may overlap: the second click of a double click waits for the first's outcome (the
    first goes on to its mark even when asked to stop: its callback makes no Streamlit
    call until then) and goes ahead only if the first did not save."""
    ledger = _ledger()
    deadline = time.monotonic() + DOUBLE_CLICK_WAIT_SECONDS
    while True:
        with _CLAIMS_LOCK:
            state = ledger.get(key)
            if state is None or (state == "running" and time.monotonic() > deadline):
                ledger[key] = "running"
                return Claim(key, ledger)
        if isinstance(state, tuple):
            return None
        time.sleep(0.02)


def saved_with(key: str) -> tuple[str, Callable[[], None] | None] | None:
    """The toast and follow-up of the action `key` if it was saved: for the second click of
    a double click, whose run replaces the first's (toast included) and finishes what the
    first, asked to stop, may have left undone."""
    state = _ledger().get(key)
    return (state[1], state[2]) if isinstance(state, tuple) else None


def refuse(name: str, message: str) -> None:
    """Keep a callback's refusal for the run that draws the place `name` (the form)."""
    st.session_state[_REFUSAL + name] = message


def show_refusal(name: str) -> None:
    """Show, once, what a callback refused for `name`."""
    message = st.session_state.pop(_REFUSAL + name, None)
    if message:
        st.error(escape_markdown(message), icon=":material/error:")


def _ledger() -> dict[str, Any]:
    """The session's ledger of submissions: key -> "running" or ("done", toast, follow-up)."""
    ledger = st.session_state.get(_LEDGER)
    if ledger is None:
        ledger = st.session_state[_LEDGER] = {}
    return ledger


def release_claims() -> None:
    """Let go of the submissions this run claimed and did not finish (it was refused, failed
    or stopped), so a second try of the same form is not kept waiting."""
    held = _held()
    if held:
        ledger = _ledger()
        with _CLAIMS_LOCK:
            for key in held:
                if ledger.get(key) == "running":
                    del ledger[key]
    held.clear()
