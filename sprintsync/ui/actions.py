"""What surrounds a user action on a page: errors shown, a spinner while it runs, a toast that
survives the rerun that shows its result, and the one way to confirm a destructive action."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import streamlit as st

from sprintsync.ui import forms
from sprintsync.ui.errors import show_errors
from sprintsync.ui.forms import Form, release_claims
from sprintsync.ui.literal import escape_markdown

_FLASH_KEY = "_flash"
_ASKING_KEY = "_asking"


@contextmanager
def acting(action: str, busy: str = "Saving…") -> Iterator[None]:
    """Run one user action: domain errors shown where it happened, a spinner if it is slow.
    A form submission it ran for and that did not finish is let go (see ui.forms)."""
    try:
        with show_errors(action=action), st.spinner(busy):
            yield
    finally:
        release_claims()


def show_flash() -> None:
    """Toast what the previous run reported (app.py calls it once per run)."""
    message = st.session_state.get(_FLASH_KEY)
    if message:
        st.toast(escape_markdown(message), icon=":material/check_circle:")
        # Forgotten only once shown: a run stopped before its toast left shows it next run.
        st.session_state.pop(_FLASH_KEY, None)


def finish(message: str, *, form: Form | None = None) -> NoReturn:
    """After a successful action: draw `form` afresh (see ui.forms), rerun so the whole page
    shows the new state, and toast `message` on that run. Call it straight after the service
    call, before drawing anything: a second click already on its way then finds nothing."""
    if form is not None:
        form.done()
    flash(message)
    st.rerun()


@dataclass(frozen=True)
class Done:
    """What an action done in a callback reports: the toast, and what to do once it is
    saved (session state to update, after the ledger's mark, see ui.forms). `then` may run
    twice (a double click's second run finishes what a stopped first left): make it so
    that twice is the same as once."""

    message: str
    then: Callable[[], None] | None = None


Act = Callable[..., "str | Done"]


def submit_button(
    form: Form,
    label: str,
    *,
    action: str,
    do: Act,
    args: tuple[Any, ...] = (),
    name: str = "submit",
    whole_page: bool = False,
    **button: Any,
) -> None:
    """A submit button of `form` whose action runs in its callback, before the page is drawn:
    the one run that follows shows the new state (no st.rerun, no second run). `do(*args)`
    reads the form's values (form.value), calls the service last and returns the toast
    (a str or Done). A success draws the form afresh; a refusal keeps the text and shows
    the message under the form. `whole_page`: the form is in a fragment (a dialog), whose
    own rerun would not show the rest of the page, so the whole page reruns instead."""
    st.form_submit_button(
        label,
        key=form.key(name),
        on_click=_submit,
        args=(form, form.generation, action, do, args, whole_page),
        **button,
    )


def _submit(
    form: Form, generation: int, action: str, do: Act, args: tuple[Any, ...], whole_page: bool
) -> None:
    claim = form.take(generation)
    if claim is None:  # saved by the first click of a double click, or drawn afresh since
        saved = forms.saved_with(form.claim_of(generation))
        if saved is not None:
            message, then = saved
            if form.generation == generation:  # the first click's run stopped before it
                if then is not None:
                    then()
                form.done(message)
            flash(message)
            if whole_page:
                st.rerun()
        return
    if _run(claim, action, do, args, form.refuse, form=form) and whole_page:
        st.rerun()


def action_button(
    label: str,
    *,
    key: str,
    once: str,
    action: str,
    do: Act,
    args: tuple[Any, ...] = (),
    whole_page: bool = False,
    **button: Any,
) -> None:
    """A button whose action runs in its callback (see submit_button). `once` names what the
    click acts on as drawn (e.g. a task's version): a second click on the same thing does
    nothing. A refusal is shown where show_refusal(key) is called."""
    st.button(
        label,
        key=key,
        on_click=_act,
        args=(key, once, action, do, args, whole_page),
        **button,
    )


def _act(
    key: str, once: str, action: str, do: Act, args: tuple[Any, ...], whole_page: bool
) -> None:
    claim = forms.take(once)
    if claim is None:
        saved = forms.saved_with(once)
        if saved is not None:  # this run replaces the first click's, toast included
            message, then = saved
            if then is not None:
                then()  # in case the first click's run stopped before it
            flash(message)
            if whole_page:
                st.rerun()
        return
    if _run(claim, action, do, args, lambda message: forms.refuse(key, message)) and whole_page:
        st.rerun()


def _run(
    claim: forms.Claim,
    action: str,
    do: Act,
    args: tuple[Any, ...],
    refuse: Callable[[str], None],
    *,
    form: Form | None = None,
) -> bool:
    """Do a claimed action in a callback; True if it was saved."""
    ok = False
    try:
        with show_errors(action=action, say=refuse):
            result = do(*args)
            done = result if isinstance(result, Done) else Done(result)
            claim.saved(done.message, done.then)
            ok = True
            if done.then is not None:
                done.then()
            flash(done.message)
            if form is not None:
                form.done(done.message)
    finally:
        claim.give_back()
    return ok


show_refusal = forms.show_refusal


def flash(message: str) -> None:
    """Toast `message` on the next run (for a page that reruns or switches page itself)."""
    st.session_state[_FLASH_KEY] = message


def stop_asking() -> None:
    """Forget a confirmation being asked (e.g. the thing it was about went off screen)."""
    st.session_state.pop(_ASKING_KEY, None)


def confirmed(
    what: str,
    *,
    ask: str,
    question: str,
    yes: str,
    version: object = "",
    **button: Any,
) -> bool:
    """The one way to confirm a destructive action. Draws the button `ask`; once clicked, the
    same spot shows `question` with `yes` and Cancel instead. True on the run where `yes` was
    clicked. One question is asked at a time: asking another forgets this one.

    `what` names the action and its target (`deactivate:12`); `version` names the state the
    question describes (e.g. how many time entries a delete takes with it): if it changed
    since the question was drawn, the click belongs to a button that is gone and the new
    question shows instead. Labels are Markdown: `yes` must have any user text escaped."""
    if st.session_state.get(_ASKING_KEY) != what:
        st.button(ask, key=f"ask.{what}", on_click=_ask, args=(what,), **button)
        return False
    with st.container(border=True):
        st.warning(escape_markdown(question), icon=":material/help:")
        with st.container(horizontal=True):
            clicked = st.button(yes, key=f"confirm.{what}.{version}", type="primary")
            st.button("Cancel", key=f"cancel.{what}", on_click=stop_asking)
    if clicked:
        stop_asking()
    return clicked


def _ask(what: str) -> None:
    st.session_state[_ASKING_KEY] = what
