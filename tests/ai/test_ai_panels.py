"""The "Suggest a draft" button and the day plan in the real Streamlit runtime."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.services import tasks
from sprintsync.services.ai.fallback import draft_from_title
from tests.ai.gemini_fake import GOOD_DRAFT, json_response
from tests.ui.page_runner import errors

TITLE = "Fix login redirect loop on Safari"
TITLE_KEY, DESCRIPTION_KEY, ESTIMATE_KEY = "task.title.0", "task.description.0", "task.estimate.0"
DRAFT_KEY, SAVE_KEY = "task.draft.0", "task.submit.0"


def task_form() -> None:
    """A stand-in for the task form: a ui.forms.Form with the three fields, its own submit
    button first (what Enter presses) and "Suggest a draft" beside it."""
    import streamlit as st

    from sprintsync.ui.forms import Form
    from sprintsync.ui.parts.my_tasks_ai import draft_button, draft_caption

    form = Form("task")
    with form.drawn():
        st.text_input("Title", key=form.key("title"))
        st.text_area("Description", key=form.key("description"))
        st.text_input("Estimate", key=form.key("estimate"))
        form.submitted("Save")
        draft_button(st.session_state["actor"], form)
    draft_caption(form)


def my_tasks_page() -> None:
    import streamlit as st

    from sprintsync.ui.parts.my_tasks_plan import plan_section

    plan_section(st.session_state["actor"])


def started(script, actor, **kwargs) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30, kwargs=kwargs)
    at.session_state["actor"] = actor
    at.run()
    assert not at.exception
    return at


def test_draft_fills_description_and_estimate_with_an_offline_caption(member):
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.button(key=DRAFT_KEY).click().run()

    assert not at.exception
    offline = draft_from_title(TITLE)
    description = at.text_area(key=DESCRIPTION_KEY).value
    assert description.startswith(f"Goal: {offline.goal}\n\nSteps:\n1. {offline.steps[0]}")
    assert at.text_input(key=ESTIMATE_KEY).value == "3h"
    assert [c.value for c in at.caption] == [
        "Drafted by rules (no Gemini API key is set)",
        "No finished tasks like this one yet (0 found, 3 needed), so the estimate is a "
        "typical size for bug work.",
    ]


def test_the_drafted_text_stays_editable(member):
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.button(key=DRAFT_KEY).click().run()
    at.text_area(key=DESCRIPTION_KEY).input("My own words")
    at.button(key=SAVE_KEY).click().run()
    assert not at.exception
    assert at.text_area(key=DESCRIPTION_KEY).value == "My own words"


def test_a_description_the_user_wrote_is_kept_above_the_draft_and_sent_as_context(
    member, fake_gemini
):
    fake_gemini.will(json_response(GOOD_DRAFT), json_response(GOOD_DRAFT))
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.text_area(key=DESCRIPTION_KEY).input("Only on Safari 17, after SSO.")
    at.text_input(key=ESTIMATE_KEY).input("45m")
    at.button(key=DRAFT_KEY).click().run()

    assert not at.exception
    description = at.text_area(key=DESCRIPTION_KEY).value
    assert description.startswith("Only on Safari 17, after SSO.\n\nGoal: ")
    assert GOOD_DRAFT["goal"] in description
    assert at.text_input(key=ESTIMATE_KEY).value == "45m"  # theirs, not the draft's
    assert "Only on Safari 17, after SSO." in str(fake_gemini.calls[0]["contents"])

    at.button(key=DRAFT_KEY).click().run()  # again: the draft is replaced, not stacked
    again = at.text_area(key=DESCRIPTION_KEY).value
    assert again.count("Only on Safari 17, after SSO.") == 1
    assert again.count(GOOD_DRAFT["goal"]) == 1


def test_drafting_again_replaces_the_earlier_draft(member):
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.button(key=DRAFT_KEY).click().run()
    first = at.text_area(key=DESCRIPTION_KEY).value
    at.text_input(key=TITLE_KEY).input("Write the release notes")
    at.button(key=DRAFT_KEY).click().run()
    second = at.text_area(key=DESCRIPTION_KEY).value
    assert second != first
    assert second.startswith("Goal: ")
    assert at.text_input(key=ESTIMATE_KEY).value != ""


def test_draft_with_gemini_says_so_and_fills_the_estimate_as_text(member, fake_gemini):
    fake_gemini.will(json_response(GOOD_DRAFT))
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.button(key=DRAFT_KEY).click().run()

    assert not at.exception
    assert at.text_input(key=ESTIMATE_KEY).value == "2h30m"
    assert GOOD_DRAFT["goal"] in at.text_area(key=DESCRIPTION_KEY).value
    assert at.caption[0].value == "Drafted by Gemini"


def test_draft_without_a_title_shows_the_error_and_changes_nothing(member):
    at = started(task_form, member)
    at.button(key=DRAFT_KEY).click().run()
    assert not at.exception
    assert errors(at) == ["Title is required."]
    assert at.text_area(key=DESCRIPTION_KEY).value == ""


def test_draft_past_the_rate_limit_shows_a_clear_message(member, env):
    env(SPRINTSYNC_AI_RATE_PER_MINUTE="1")
    at = started(task_form, member)
    at.text_input(key=TITLE_KEY).input(TITLE)
    at.button(key=DRAFT_KEY).click().run()
    at.button(key=DRAFT_KEY).click().run()
    assert not at.exception
    [error] = at.error
    assert "asked for 1 draft or plan in the last minute" in error.value


@pytest.fixture
def three_tasks(uow, member):
    ids = [
        tasks.create_task(uow(), actor=member, title=title, estimate=estimate).id
        for title, estimate in [
            ("Review the onboarding PR", "1h"),
            ("Fix login redirect loop", "2h"),
            ("Build admin analytics dashboard", "24h"),
        ]
    ]
    tasks.move_task(uow(), actor=member, task_id=ids[1], to_status="in_progress")
    return ids


def test_plan_my_day_shows_the_plan_as_text(member, three_tasks):
    at = started(my_tasks_page, member)
    assert not at.text  # nothing until asked
    at.button(key="day_plan").click().run()

    assert not at.exception
    lines = [t.value for t in at.text]
    assert lines[0] == "Today: 6h planned of 6h available (6h focus time)"
    assert "#" + str(three_tasks[1]) + " Fix login redirect loop" in lines[1]
    assert lines[-1].startswith("Tip: ")
    assert at.caption[-1].value == "Planned by rules (no Gemini API key is set)"
    assert "24h left\\; a first block today" in [c.value for c in at.caption]  # escaped
    [split] = at.info
    shown = re.sub(r"\\(.)", r"\1", split.value)  # Markdown-escaped on the wire
    assert shown.startswith(f"#{three_tasks[2]} Build admin analytics dashboard has 24h left")
    # The plan stays on screen across reruns.
    at.run()
    assert [t.value for t in at.text] == lines


def test_open_on_a_plan_item_names_the_task_for_my_tasks(member, three_tasks):
    at = started(my_tasks_page, member)
    at.button(key="day_plan").click().run()
    at.button(key=f"day_plan.today.open.{three_tasks[0]}").click().run()

    assert not at.exception
    assert at.session_state["selected_task_id"] == three_tasks[0]
    assert at.query_params["task"] == str(three_tasks[0])
