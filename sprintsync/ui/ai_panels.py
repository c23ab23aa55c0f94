"""The draft helper in the app: a "Suggest a draft" button for the task form (the day plan is
in ui/day_plan.py). Its output is shown as plain text only (st.text, never Markdown). It is
not called AI: without a Gemini key the draft comes from the team's history or from rules,
and the caption under the button names which ("Drafted by Gemini", "Drafted from your team's
history (...)", "Drafted by rules (...)"), with the evidence for its estimate.

Contract for pages:

- ``draft_button(actor, title_key=..., description_key=..., estimate_key=...)`` reads the title
  (and optional context) from the session_state keys of the page's own inputs and, on click,
  writes the drafted description and estimate into ``description_key`` and ``estimate_key`` for
  the user to edit before saving. Nothing the user typed is replaced: a description they
  wrote themselves is sent as context and kept above the draft, and an estimate they typed
  stays; only what an earlier draft filled in is redrafted. The writes happen in the button's
  callback, before the page reruns, which is the only moment Streamlit lets code set a
  widget's value. So the inputs must
  be plain widgets with those keys and must NOT sit inside an ``st.form`` (a form sends its
  values only on submit, so the button would not see the title). The estimate is written as
  text such as ``1h30m`` (what ``tasks.create_task(estimate=...)`` parses), or as whole minutes
  with ``estimate_as="minutes"`` for a number_input. A caption under the button says who wrote
  the draft, and what its estimate rests on; what the checks changed in Gemini's answer and
  Gemini's own doubts are shown beside it.
- ``draft_id(key)`` is the record of the latest draft (for ``tasks.create_task(draft_id=...)``,
  which records whether it was kept or edited).
- ``draft_keys(key)`` names the session_state keys a draft_button keeps (its last draft, for
  the caption, what it filled in, its error): forget them with the inputs once the task is
  saved.

Errors (rate limit, a deactivated account) are shown through ui.show_errors like any other.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.services import ai, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.errors import show_errors
from sprintsync.ui.literal import escape_markdown


def draft_button(
    actor: Actor,
    *,
    title_key: str,
    description_key: str,
    estimate_key: str,
    context_key: str | None = None,
    estimate_as: Literal["text", "minutes"] = "text",
    key: str = "ai_draft",
    label: str = "Suggest a draft",
) -> ai.Suggestion | None:
    """The button; returns the latest draft made with it in this session, if any."""
    st.button(
        label,
        key=key,
        icon=":material/edit_note:",
        help="A goal, steps, acceptance criteria and an estimate for the title, from Gemini "
        "when it is set up, otherwise from your team's finished work or from rules.",
        on_click=_draft,
        kwargs={
            "actor": actor,
            "title_key": title_key,
            "description_key": description_key,
            "estimate_key": estimate_key,
            "context_key": context_key,
            "estimate_as": estimate_as,
            "key": key,
        },
    )
    suggestion_key, _, error_key = draft_keys(key)
    error = st.session_state.pop(error_key, None)
    if error is not None:
        with show_errors("ai.draft"):
            raise error
    suggestion = st.session_state.get(suggestion_key)
    if suggestion is not None:
        st.caption(suggestion.attribution)
        if suggestion.evidence:
            st.caption(suggestion.evidence)
        for flag in suggestion.flags:
            st.warning(f"Checked: {flag}.", icon=":material/rule:")
        if suggestion.unsure:
            # The model's words: shown literally, never as Markdown.
            st.info(
                f"Gemini is unsure: {escape_markdown(suggestion.unsure)}", icon=":material/help:"
            )
    return suggestion


def draft_id(key: str = "ai_draft") -> int | None:
    """The record of the latest draft made with the button of this key, if any."""
    suggestion = st.session_state.get(draft_keys(key)[0])
    return suggestion.draft_id if suggestion is not None else None


def draft_keys(key: str = "ai_draft") -> tuple[str, str, str]:
    """What a draft_button with this key keeps between reruns: its last draft, what it wrote
    into the inputs, its error."""
    return (f"{key}.suggestion", f"{key}.filled", f"{key}.error")


def _draft(
    *,
    actor: Actor,
    title_key: str,
    description_key: str,
    estimate_key: str,
    context_key: str | None,
    estimate_as: str,
    key: str,
) -> None:
    state = st.session_state
    suggestion_key, filled_key, error_key = draft_keys(key)
    # What the user wrote themselves: the description and estimate unless they are exactly
    # what the previous draft filled in (then that draft is replaced, not stacked).
    own, drafted, estimated = state.get(filled_key) or ("", None, None)
    typed = state.get(description_key) or ""
    if typed != drafted:
        own = typed.strip()
    keep_estimate = state.get(estimate_key) not in (None, "", estimated)
    context = str(state.get(context_key) or "") if context_key else own[: ai.CONTEXT_MAX]
    try:
        suggestion = ai.draft_task(
            unit_of_work(),
            actor=actor,
            title=str(state.get(title_key) or ""),
            context=context,
        )
    except Exception as error:  # shown by show_errors when the page renders the button
        state[error_key] = error
        return
    description = suggestion.description()
    state[description_key] = f"{own}\n\n{description}" if own else description
    if not keep_estimate:
        minutes = suggestion.estimate_minutes
        state[estimate_key] = minutes if estimate_as == "minutes" else format_duration(minutes)
    state[filled_key] = (own, state[description_key], state[estimate_key])
    state[suggestion_key] = suggestion
