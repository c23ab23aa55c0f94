"""The AI helpers in the app: a "Draft with AI" button for the task form and a "Plan my day"
panel for My tasks. Both show model output as plain text only (st.text, never Markdown).

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
  the draft: "Drafted by Gemini" or "Drafted by the offline helper (reason)".
- ``plan_panel(actor)`` shows a "Plan my day" button and, once clicked, the plan: one row per
  task with its time box and an "Open" button, the tasks for later, and one tip. "Open" is
  ui.selected_task.select: it sets ``st.session_state["selected_task_id"]`` (an int) and the
  query parameter ``?task=<id>``, and the My tasks page opens that task. The plan stays on
  screen across reruns until the button is clicked again.
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
from sprintsync.ui import selected_task
from sprintsync.ui.errors import show_errors


def draft_button(
    actor: Actor,
    *,
    title_key: str,
    description_key: str,
    estimate_key: str,
    context_key: str | None = None,
    estimate_as: Literal["text", "minutes"] = "text",
    key: str = "ai_draft",
    label: str = "Draft with AI",
) -> ai.Suggestion | None:
    """The button; returns the latest draft made with it in this session, if any."""
    st.button(
        label,
        key=key,
        icon=":material/auto_awesome:",
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
    return suggestion


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


def plan_panel(actor: Actor, *, key: str = "ai_plan") -> ai.Suggestion | None:
    """The "Plan my day" button and, after a click, the plan; returns the plan shown."""
    if st.button("Plan my day", key=key, icon=":material/event_note:"):
        with show_errors("ai.plan"):
            st.session_state[f"{key}.suggestion"] = ai.plan_day(unit_of_work(), actor=actor)
    plan: ai.Suggestion | None = st.session_state.get(f"{key}.suggestion")
    if plan is None:
        return None
    with st.container(border=True):
        st.text(
            f"Today: {format_duration(plan.planned_minutes)} planned of "
            f"{format_duration(plan.focus_minutes)} focus time"
        )
        for item in plan.items:
            _item_row(item, key)
        if not plan.items:
            st.text("Nothing to plan.")
        if plan.later:
            with st.expander(f"Later ({len(plan.later)})"):
                for item in plan.later:
                    _item_row(item, key)
        st.text(f"Tip: {plan.tip}")
        st.caption(plan.attribution)
    return plan


def _item_row(item: ai.PlanItem, key: str) -> None:
    box = format_duration(item.minutes) if item.minutes is not None else "?"
    note = f" ({item.note})" if item.note else ""
    row = st.container(horizontal=True, vertical_alignment="center", wrap=False)
    row.text(f"{box:>6}  #{item.task_id} {item.title}{note}", width="stretch")
    row.button(
        "Open",
        key=f"{key}.open.{item.task_id}",
        on_click=selected_task.select,
        args=(item.task_id,),
        help=f"Open task #{item.task_id}",
    )
