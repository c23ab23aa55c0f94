"""The draft helper of My tasks: a "Suggest a draft" button in the New task form (the day plan
is in my_tasks_plan.py). Its output is shown as plain text only (st.text, never Markdown). It
is not called AI: without a Gemini key the draft comes from the team's history or from rules,
and the caption under the form names which ("Drafted by Gemini", "Drafted from your team's
history (...)", "Drafted by rules (...)"), with the evidence for its estimate.

- ``draft_button(actor, form)`` is a submit button of the New task form (ui.forms.Form with
  fields ``title``, ``description`` and ``estimate``): a click sends the form's values and, in
  the button's callback (the only moment Streamlit lets code set a widget's value), writes
  the drafted description and estimate into the form for the user to edit before saving.
  Nothing the user typed is replaced: a description they wrote themselves is sent as
  context and kept above the draft, and an estimate they typed stays; only what an earlier
  draft filled in is redrafted. The estimate is written as text such as ``1h30m``. What the
  button keeps belongs to the form's generation, so a saved task takes its draft with it.
- ``draft_caption(form)`` under the form: who wrote the draft, what its estimate rests on,
  what the checks changed in Gemini's answer and Gemini's own doubts.
- ``draft_id(form)`` is the record of the latest draft (for ``tasks.create_task(draft_id=...)``,
  which records whether it was kept or edited).

Errors (rate limit, a deactivated account) are shown through ui.show_errors like any other.
"""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.services import ai, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.errors import show_errors
from sprintsync.ui.forms import Form
from sprintsync.ui.literal import escape_markdown


def draft_button(actor: Actor, form: Form) -> None:
    """The form's "Suggest a draft" submit button (draw it after the form's main one)."""
    form.submitted(
        "Suggest a draft",
        name="draft",
        icon=":material/edit_note:",
        help="A goal, steps, acceptance criteria and an estimate for the title, from Gemini "
        "when it is set up, otherwise from your team's finished work or from rules.",
        on_click=_draft,
        kwargs={"actor": actor, "form": form},
    )


def draft_caption(form: Form) -> ai.Suggestion | None:
    """Below the form: the draft's error, or who wrote the draft and what it rests on;
    returns the latest draft."""
    error = st.session_state.pop(form.key("draft_error"), None)
    if error is not None:
        with show_errors("ai.draft"):
            raise error
    suggestion: ai.Suggestion | None = form.value("draft_suggestion")
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


def draft_id(form: Form) -> int | None:
    """The record of the latest draft made in this generation of the form, if any."""
    suggestion: ai.Suggestion | None = form.value("draft_suggestion")
    return suggestion.draft_id if suggestion is not None else None


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
