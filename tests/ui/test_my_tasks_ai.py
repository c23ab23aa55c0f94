"""Drafts and plans on the My tasks page: "Suggest a draft" in the create form and "Plan my
day" in the page, end to end in the real Streamlit runtime against the real database. Gemini
is the fake client from tests/ai/gemini_fake.py where a key is set; without a key the offline
helper runs."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.domain import format_duration
from sprintsync.services import tasks
from sprintsync.services.ai.fallback import draft_from_title
from tests.ai.gemini_fake import GOOD_DRAFT, json_response
from tests.ui.page_runner import (
    click,
    dialogs,
    errors,
    k,
    open_page,
    texts,
    toasts,
    with_new_task_open,
)

TITLE = "Fix login redirect loop on Safari"
TITLE_KEY, DESCRIPTION_KEY, ESTIMATE_KEY = (
    "new_task.title",
    "new_task.description",
    "new_task.estimate",
)


def drafted(at: AppTest, title: str = TITLE) -> AppTest:
    """Type the title and click "Suggest a draft"."""
    at.text_input(key=k(at, TITLE_KEY)).input(title)
    return click(at, "new_task.draft")


def form(at: AppTest) -> tuple[str, str, str]:
    return tuple(
        widget(key=k(at, key)).value
        for widget, key in (
            (at.text_input, TITLE_KEY),
            (at.text_area, DESCRIPTION_KEY),
            (at.text_input, ESTIMATE_KEY),
        )
    )


def form_captions(at: AppTest) -> list[str]:
    [new_task] = [e for e in at.expander if e.label == "New task"]
    return [c.value for c in new_task.caption]


def test_draft_with_gemini_fills_the_form_and_says_gemini_wrote_it(uow, member, fake_gemini):
    fake_gemini.will(json_response(GOOD_DRAFT))
    at = drafted(with_new_task_open(open_page("my_tasks.py", member)))

    assert form(at) == (
        TITLE,
        "Goal: Users on Safari sign in without bouncing between pages.\n\n"
        "Steps:\n"
        "1. Reproduce the redirect loop in Safari with a fresh profile\n"
        "2. Check the SameSite attribute on the session cookie\n"
        "3. Fix the cookie settings and add a regression test\n\n"
        "Acceptance criteria:\n"
        "- Signing in on Safari 17 lands on the dashboard",
        "2h30m",
    )
    assert form_captions(at)[0] == "Drafted by Gemini"
    [call] = fake_gemini.calls
    assert TITLE in str(call["contents"])
    assert tasks.list_tasks(uow(), actor=member).total == 0  # a draft is not a task yet


def test_draft_without_a_key_fills_the_form_and_says_the_offline_helper_wrote_it(uow, member):
    at = drafted(with_new_task_open(open_page("my_tasks.py", member)))

    offline = draft_from_title(TITLE)
    title, description, estimate = form(at)
    assert title == TITLE
    assert description.startswith(f"Goal: {offline.goal}\n\nSteps:\n1. {offline.steps[0]}\n")
    for line in (*offline.steps, *offline.acceptance_criteria):
        assert line in description
    assert estimate == format_duration(offline.estimate_minutes)
    assert form_captions(at)[0] == "Drafted by rules (no Gemini API key is set)"


def test_a_drafted_task_is_saved_exactly_as_the_user_edited_it(uow, member):
    at = drafted(with_new_task_open(open_page("my_tasks.py", member)))
    edited = form(at)[1] + "\nOnly Safari 17 and later."
    at.text_area(key=k(at, DESCRIPTION_KEY)).input(edited)
    at.text_input(key=k(at, ESTIMATE_KEY)).input("3h")
    click(at, "new_task.submit")

    [task] = tasks.list_tasks(uow(), actor=member).items
    assert (task.title, task.description, task.estimate_minutes) == (TITLE, edited, 180)
    assert toasts(at) == [f"Created task #{task.id}."]
    assert form(at) == ("", "", "")
    assert form_captions(at) == []  # the next task starts without the last one's attribution


def test_a_failed_save_keeps_the_draft_and_the_edits(uow, member):
    at = drafted(with_new_task_open(open_page("my_tasks.py", member)))
    at.text_input(key=k(at, ESTIMATE_KEY)).input("soon")
    typed = form(at)
    click(at, "new_task.submit")

    assert errors(at) == ["Could not read 'soon' as a duration; try 90, 45m, 1h30m or 1.5h."]
    assert form(at) == typed
    assert form_captions(at)[0] == "Drafted by rules (no Gemini API key is set)"
    assert tasks.list_tasks(uow(), actor=member).total == 0


def test_a_draft_with_an_empty_title_shows_the_error_and_changes_nothing(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_area(key=k(at, DESCRIPTION_KEY)).input("My own notes")
    at.text_input(key=k(at, ESTIMATE_KEY)).input("2h")
    drafted(at, title="   ")

    assert errors(at) == ["Title is required."]
    assert form(at) == ("   ", "My own notes", "2h")
    assert form_captions(at) == []
    assert tasks.list_tasks(uow(), actor=member).total == 0


@pytest.fixture
def open_tasks(uow, member) -> dict[str, int]:
    """Two to-do tasks, then the newest, smallest-but-one, moved to in progress."""
    ids = {
        title: tasks.create_task(uow(), actor=member, title=title, estimate=estimate).id
        for title, estimate in [
            ("Review the onboarding PR", "1h"),
            ("Write the release notes", "30m"),
            ("Fix login redirect loop", "2h"),
        ]
    }
    tasks.move_task(
        uow(), actor=member, task_id=ids["Fix login redirect loop"], to_status="in_progress"
    )
    return ids


def planned_ids(at: AppTest) -> list[int]:
    return [int(m[1]) for t in at.main.text if (m := re.search(r"^ *\S+  #(\d+) ", t.value))]


def test_plan_my_day_lists_work_in_progress_first_and_opens_a_task(uow, member, open_tasks):
    at = click(open_page("my_tasks.py", member), "day_plan")

    planned = planned_ids(at)
    assert planned[0] == open_tasks["Fix login redirect loop"]
    assert sorted(planned) == sorted(open_tasks.values())
    assert "Today: 3h30m planned of 6h available (6h focus time)" in texts(at)
    assert "Planned by rules (no Gemini API key is set)" in [c.value for c in at.caption]
    assert not at.sidebar.text  # the plan has room on the page, not in the sidebar
    assert not dialogs(at)  # no task open yet

    review = open_tasks["Review the onboarding PR"]
    click(at, f"day_plan.today.open.{review}")
    assert dialogs(at) == [f"Task #{review}"]
    assert "Review the onboarding PR" in [t.value for t in at.main.text]
    assert at.session_state["selected_task_id"] == review
    assert at.query_params["task"] == str(review)
    assert planned_ids(at) == planned  # the plan stays beside the open task


def click_twice_then_once_more(at: AppTest, key: str) -> list[str]:
    """The error messages after each of three clicks of the button `key`."""
    shown = []
    for _ in range(3):
        click(at, key)
        shown.append(errors(at))
    return shown


@pytest.mark.parametrize("button", ["new_task.draft", "day_plan"])
def test_past_the_ai_rate_limit_the_page_says_so_clearly(uow, member, env, open_tasks, button):
    env(SPRINTSYNC_AI_RATE_PER_MINUTE="2")
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, TITLE_KEY)).input(TITLE)

    first, second, third = click_twice_then_once_more(at, button)

    assert first == second == []
    [message] = third
    assert re.fullmatch(
        r"You have asked for 2 drafts and plans in the last minute, the most allowed; "
        r"try again in \d+ seconds?\.",
        message,
    )


def test_the_limit_is_shared_by_drafting_and_planning(uow, member, env, open_tasks):
    env(SPRINTSYNC_AI_RATE_PER_MINUTE="1")
    at = drafted(with_new_task_open(open_page("my_tasks.py", member)))
    draft = form(at)
    click(at, "day_plan")

    [message] = errors(at)
    assert message.startswith("You have asked for 1 draft or plan in the last minute")
    assert form(at) == draft  # what was drafted stays
    assert not planned_ids(at)
