"""The AI helpers of My tasks: a "Draft with AI" button in the New task form and a "Plan my
day" panel. Both show model output as plain text only (st.text, never Markdown).

- ``draft_button(actor, form)`` is a submit button of the New task form (ui.forms.Form with
  fields ``title``, ``description`` and ``estimate``): a click sends the form's values and, in
  the button's callback (the only moment Streamlit lets code set a widget's value), writes
  the drafted description and estimate into the form for the user to edit before saving.
  Nothing the user typed is replaced: a description they wrote themselves is sent as
  context and kept above the draft, and an estimate they typed stays; only what an earlier
  draft filled in is redrafted. The estimate is written as text such as ``1h30m``. A caption
  under the form says who wrote the draft: "Drafted by Gemini" or "Drafted by the offline
  helper (reason)". What the button keeps belongs to the form's generation, so a saved task
  takes its draft caption with it.
- ``plan_panel(actor)`` shows a "Plan my day" button and, once clicked, the plan: one row per
  task with its time box and an "Open" button, the tasks for later, and one tip. "Open" is
  my_tasks_selection.select, which opens that task. The plan stays on screen across reruns
  until the button is clicked again.

Errors (rate limit, a deactivated account) are shown through ui.show_errors like any other.
"""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.services import ai, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.errors import show_errors
from sprintsync.ui.forms import Form
from sprintsync.ui.parts import my_tasks_selection


def draft_button(actor: Actor, form: Form) -> None:
    """The form's "Draft with AI" submit button (draw it after the form's main one)."""
    form.submitted(
        "Draft with AI",
        name="draft",
        icon=":material/auto_awesome:",
        on_click=_draft,
        kwargs={"actor": actor, "form": form},
    )


def draft_caption(form: Form) -> ai.Suggestion | None:
    """Below the form: the draft's error, or who wrote the draft; returns the latest draft."""
    error = st.session_state.pop(form.key("draft_error"), None)
    if error is not None:
        with show_errors("ai.draft"):
            raise error
    suggestion: ai.Suggestion | None = form.value("draft_suggestion")
    if suggestion is not None:
        st.caption(suggestion.attribution)
    return suggestion


def _draft(*, actor: Actor, form: Form) -> None:
    # What the user wrote themselves: the description and estimate unless they are exactly
    # what the previous draft filled in (then that draft is replaced, not stacked).
    own, drafted, estimated = form.value("draft_filled") or ("", None, None)
    typed = form.value("description") or ""
    if typed != drafted:
        own = typed.strip()
    keep_estimate = form.value("estimate") not in (None, "", estimated)
    try:
        suggestion = ai.draft_task(
            unit_of_work(),
            actor=actor,
            title=str(form.value("title") or ""),
            context=own[: ai.CONTEXT_MAX],
        )
    except Exception as error:  # shown by show_errors when the page draws the caption
        form.set("draft_error", error)
        return
    description = suggestion.description()
    form.set("description", f"{own}\n\n{description}" if own else description)
    if not keep_estimate:
        form.set("estimate", format_duration(suggestion.estimate_minutes))
    form.set("draft_filled", (own, form.value("description"), form.value("estimate")))
    form.set("draft_suggestion", suggestion)


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
        on_click=my_tasks_selection.select,
        args=(item.task_id,),
        help=f"Open task #{item.task_id}",
    )
