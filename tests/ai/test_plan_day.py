"""plan_day over the real database: the actor's open tasks, offline and through Gemini."""

from __future__ import annotations

import pytest

from sprintsync.domain import Status
from sprintsync.services import ai, tasks, timelog
from tests.ai.gemini_fake import json_response


@pytest.fixture
def my_tasks(uow, member, other_member):
    """Mia's open work: one task in progress with time logged, three to-dos, one done."""

    def make(title, estimate, start=False, done=False, logged=None):
        task = tasks.create_task(uow(), actor=member, title=title, estimate=estimate)
        if start or done:
            tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
        if logged:
            timelog.log_time(uow(), actor=member, task_id=task.id, duration=logged)
        if done:
            tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")
        return task.id

    ids = {
        "review": make("Review the onboarding PR", "1h"),
        "fix": make("Fix login redirect loop", "3h", start=True, logged="1h"),
        "docs": make("Document the billing webhook", "2h"),
        "big": make("Build admin analytics dashboard", "8h"),
        "done": make("Ship the release notes", "30m", done=True, logged="30m"),
    }
    tasks.create_task(uow(), actor=other_member, title="Otto's own task", estimate="1h")
    return ids


def test_offline_plan_puts_in_progress_first_and_fits_the_focus_hours(uow, member, my_tasks):
    plan = ai.plan_day(uow(), actor=member)

    assert (plan.mode, plan.source, plan.reason) == ("plan", "fallback", "no_key")
    assert plan.focus_minutes == 360
    assert plan.planned_minutes <= 360
    assert plan.items[0].task_id == my_tasks["fix"]
    assert plan.items[0].status == Status.IN_PROGRESS
    assert plan.items[0].minutes == 120  # 2h of the 3h estimate are left
    assert plan.items[0].title == "Fix login redirect loop"
    planned = {i.task_id for i in plan.items} | {i.task_id for i in plan.later}
    assert planned == {my_tasks[k] for k in ("review", "fix", "docs", "big")}
    assert plan.tip
    assert plan.attribution == "Planned by the offline helper (no Gemini API key is set)"


def test_a_shorter_day_moves_work_to_later(uow, member, my_tasks, env):
    env(SPRINTSYNC_FOCUS_HOURS="2.5")
    plan = ai.plan_day(uow(), actor=member)
    assert plan.focus_minutes == 150
    assert plan.planned_minutes <= 150
    assert plan.items[0].task_id == my_tasks["fix"]
    assert plan.later, "some tasks cannot fit in 2.5 hours"


def test_with_nothing_open_the_plan_says_so_without_calling_gemini(uow, member, fake_gemini):
    plan = ai.plan_day(uow(), actor=member)
    assert (plan.source, plan.reason) == ("fallback", "no_open_tasks")
    assert plan.items == ()
    assert "Nothing is open" in plan.tip
    assert fake_gemini.calls == []


def test_gemini_plans_with_titles_from_the_database(uow, member, my_tasks, fake_gemini):
    fake_gemini.will(
        json_response(
            {
                "items": [
                    {"task_id": my_tasks["review"], "minutes": 45, "note": "quick win first"},
                    {"task_id": my_tasks["fix"], "minutes": 120, "note": "finish it"},
                ],
                "tip": "Block your calendar for the fix.",
            }
        )
    )
    plan = ai.plan_day(uow(), actor=member)

    assert (plan.source, plan.reason) == ("gemini", None)
    assert [i.task_id for i in plan.items] == [my_tasks["fix"], my_tasks["review"]]
    assert plan.items[1].title == "Review the onboarding PR"
    assert plan.items[1].note == "quick win first"
    assert {i.task_id for i in plan.later} == {my_tasks["docs"], my_tasks["big"]}
    assert plan.tip == "Block your calendar for the fix."
    prompt = fake_gemini.calls[0]["contents"]
    assert "Focus minutes today: 360" in prompt
    assert "Otto's own task" not in prompt
    assert "Ship the release notes" not in prompt


@pytest.mark.parametrize(
    ("items", "why"),
    [
        ([{"task_id": 999_999, "minutes": 30, "note": ""}], "an id that is not one of the tasks"),
        ([{"task_id": "FIX", "minutes": 400, "note": ""}], "more than the focus time"),
        ([{"task_id": "FIX", "minutes": 30, "note": ""}] * 2, "the same task twice"),
    ],
)
def test_a_gemini_plan_that_breaks_the_rules_falls_back(
    uow, member, my_tasks, fake_gemini, items, why
):
    items = [{**i, "task_id": my_tasks["fix"]} if i["task_id"] == "FIX" else i for i in items]
    fake_gemini.will(json_response({"items": items, "tip": "Go."}))
    plan = ai.plan_day(uow(), actor=member)
    assert (plan.source, plan.reason) == ("fallback", "off_schema"), why
    assert plan.items[0].task_id == my_tasks["fix"]
