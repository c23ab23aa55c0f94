"""Forms that start empty again after a success, and that a double click cannot submit twice.

Popping a widget's key from st.session_state does not clear the browser's copy: the frontend
sends its value back on the next rerun, so a "cleared" form shows (and resubmits) the old text.
Instead each form has a generation number in its widgets' keys and its submit button's key.
A success bumps it in the same run as the service call, before anything else is drawn, so:

- the next run draws new widgets (new keys), empty or at their defaults;
- a second click that was already on its way names a submit button that no longer exists,
  and does nothing.

A refusal does not bump it, so what the user typed stays for them to correct.

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

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

_PREFIX = "_form_generation."


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

    def done(self) -> None:
        """A success: the next run draws this form afresh. What this generation kept is
        forgotten (the browser's copy of its widgets belongs to keys no longer drawn)."""
        finished = self.generation
        prefix, suffix = f"{self.name}.", f".{finished}"
        for key in [k for k in st.session_state if k.startswith(prefix) and k.endswith(suffix)]:
            del st.session_state[key]
        st.session_state[_PREFIX + self.name] = finished + 1

    @contextmanager
    def drawn(self, *, border: bool = True) -> Iterator[None]:
        """The st.form holding this generation's widgets (Enter submits it)."""
        with st.form(self.key("form"), border=border, enter_to_submit=True):
            yield

    def submitted(self, label: str, *, name: str = "submit", **button: Any) -> bool:
        """A submit button of this generation; `name` tells a form's buttons apart. The first
        one drawn is what Enter presses."""
        return st.form_submit_button(label, key=self.key(name), **button)
