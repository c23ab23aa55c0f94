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
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

_PREFIX = "_form_generation."
_CLAIM = "_form_submitting."
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

    def set(self, field: str, value: Any) -> None:
        """Give `field` a value before its widget is drawn (or from a callback)."""
        st.session_state[self.key(field)] = value

    @property
    def _claim_key(self) -> str:
        return f"{_CLAIM}{self.name}.{self.generation}"

    def done(self) -> None:
        """A success: the next run draws this form afresh. What this generation kept is
        forgotten (the browser's copy of its widgets belongs to keys no longer drawn)."""
        st.session_state[self._claim_key] = "done"
        _held().discard(self._claim_key)
        st.session_state.pop(f"{_CLAIM}{self.name}.{self.generation - 1}", None)
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
        """The st.form holding this generation's widgets (Enter submits it)."""
        with st.form(self.key("form"), border=border, enter_to_submit=True):
            yield

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
        with _CLAIMS_LOCK:
            first = key not in st.session_state
            if first:
                st.session_state[key] = "running"
        if not first:
            deadline = time.monotonic() + DOUBLE_CLICK_WAIT_SECONDS
            while st.session_state.get(key) == "running" and time.monotonic() < deadline:
                time.sleep(0.05)
            if st.session_state.get(key) == "done":
                st.rerun()  # the first click saved: show what it left, save nothing again
            with _CLAIMS_LOCK:
                st.session_state[key] = "running"
        _held().add(key)
        return True


def _held() -> set[str]:
    if not hasattr(_HELD, "claims"):
        _HELD.claims = set()
    claims: set[str] = _HELD.claims
    return claims


def release_claims() -> None:
    """Let go of the submissions this run claimed and did not finish (it was refused, failed
    or stopped), so a second try of the same form is not kept waiting."""
    for key in _held():
        if st.session_state.get(key) == "running":
            st.session_state.pop(key, None)
    _held().clear()
