"""The day plan on My tasks, in the page itself (not the sidebar): a "Plan my day" button and,
once clicked, today's plan beside what is left for later.

Today: the capacity (focus time less time already logged today), one row per planned task
with its time box, why it is there (urgent, overdue, what is left) and an "Open" button.
Later: every other open task with its reason (did not fit, lower priority, blocked). Below:
proposals to split tasks too big for a day, what the checks changed in Gemini's plan, the
tip, and who planned it ("Planned by Gemini" or "Planned by rules (...)").

"Open" is my_tasks_selection.select: it sets ``st.session_state["selected_task_id"]`` and the
query parameter ``?task=<id>``, and My tasks opens that task in its dialog. The plan stays on
screen across reruns until the button is clicked again. Titles are shown with st.text (never
Markdown).
"""

from __future__ import annotations

import streamlit as st

from sprintsync.domain import format_duration
from sprintsync.services import ai, unit_of_work
from sprintsync.services.views import Actor
from sprintsync.ui.errors import show_errors
from sprintsync.ui.literal import escape_markdown
from sprintsync.ui.parts import my_tasks_selection

KEY = "day_plan"


def plan_section(actor: Actor, *, key: str = KEY) -> ai.Suggestion | None:
    """The button and, after a click, the plan; returns the plan shown."""
    clicked = st.button(
        "Plan my day",
        key=key,
        icon=":material/event_note:",
        help="Today's plan from your open tasks: work in progress first, then by priority and "
        "due date, within your focus hours (set them on Account) less what you logged today.",
    )
    if clicked:
        with show_errors("ai.plan"):
            st.session_state[f"{key}.suggestion"] = ai.plan_day(unit_of_work(), actor=actor)
    plan: ai.Suggestion | None = st.session_state.get(f"{key}.suggestion")
    if plan is None:
        return None
    with st.container(border=True, key=f"{key}_panel"):
        st.subheader("Today's plan", anchor=False)
        st.text(plan.capacity_line)
        today, later = st.columns([3, 2], gap="large")
        with today:
            for item in plan.items:
                _row(item, key, "today")
            if not plan.items:
                st.text("Nothing to plan.")
        with later:
            st.markdown(f"**Later ({len(plan.later)})**")
            for item in plan.later:
                _row(item, key, "later")
            if not plan.later:
                st.caption("Everything open fits today.")
        for split in plan.splits:
            st.info(_literal(split.text), icon=":material/call_split:")
        for flag in plan.flags:
            st.warning(f"Checked: {flag}.", icon=":material/rule:")
        st.text(f"Tip: {plan.tip}")
        st.caption(plan.attribution)
    return plan


def _row(item: ai.PlanItem, key: str, where: str) -> None:
    box = format_duration(item.minutes) if item.minutes is not None else "?"
    row = st.container(horizontal=True, vertical_alignment="center", wrap=False)
    with row.container(width="stretch"):
        st.text(f"{box:>6}  #{item.task_id} {item.title}")
        if item.note:
            st.caption(_literal(item.note))
    row.button(
        "Open",
        key=f"{key}.{where}.open.{item.task_id}",
        on_click=my_tasks_selection.select,
        args=(item.task_id,),
        help=f"Open task #{item.task_id}",
    )


def _literal(text: str) -> str:
    # Captions and alerts read Markdown; a split names a task's title, which is user text.
    return escape_markdown(text)
