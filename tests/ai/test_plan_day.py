"""plan_day over the real database: the actor's open tasks, offline and through Gemini."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.clock import today
from sprintsync.domain import Status
from sprintsync.services import ai, preferences, tasks, timelog
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
    assert plan.attribution == "Planned by rules (no Gemini API key is set)"
    assert plan.logged_today == 90  # Mia logged 1h on the fix and 30m on the notes today
    assert plan.planned_minutes <= 360 - 90


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
        ([{"task_id": "FIX", "minutes": 30, "note": ""}] * 2, "the same task twice"),
    ],
)
def test_a_gemini_plan_naming_unknown_or_repeated_tasks_falls_back(
    uow, member, my_tasks, fake_gemini, items, why
):
    items = [{**i, "task_id": my_tasks["fix"]} if i["task_id"] == "FIX" else i for i in items]
    fake_gemini.will(json_response({"items": items, "tip": "Go."}))
    plan = ai.plan_day(uow(), actor=member)
    assert (plan.source, plan.reason) == ("fallback", "off_schema"), why
    assert plan.items[0].task_id == my_tasks["fix"]


def entry(task_id, minutes, note="Gemini's box"):
    return {"task_id": task_id, "minutes": minutes, "note": note}


def test_a_gemini_plan_over_capacity_is_repaired_by_moving_the_lowest_ranked_to_later(
    uow, member, my_tasks, fake_gemini
):
    fake_gemini.will(
        json_response(
            {
                "items": [
                    entry(my_tasks["fix"], 120),
                    entry(my_tasks["review"], 60),
                    entry(my_tasks["docs"], 120),
                    entry(my_tasks["big"], 120),
                ],
                "tip": "Full day.",
            }
        )
    )
    plan = ai.plan_day(uow(), actor=member)
    assert (plan.source, plan.reason) == ("gemini", None)
    assert plan.planned_minutes <= plan.available_minutes == 270
    assert [i.task_id for i in plan.items] == [my_tasks["fix"], my_tasks["review"]]
    assert plan.flags == ("2 tasks were moved to later to fit the 4h30m available",)
    assert {i.task_id: i.note for i in plan.later}[my_tasks["big"]].startswith(
        ("did not fit", "lower priority")
    )


def test_a_gemini_plan_that_starts_new_work_before_work_in_progress_is_repaired(
    uow, member, my_tasks, fake_gemini
):
    fake_gemini.will(json_response({"items": [entry(my_tasks["review"], 60)], "tip": "Go."}))
    plan = ai.plan_day(uow(), actor=member)
    assert [i.task_id for i in plan.items] == [my_tasks["fix"], my_tasks["review"]]
    assert plan.items[0].minutes == 120  # the planner's box for what is left of it
    assert plan.flags == (
        "1 task in progress was put first: finish work in progress before starting new",
    )


def test_a_gemini_plan_that_leaves_urgent_work_out_or_plans_blocked_work_is_repaired(
    uow, member, fake_gemini
):
    urgent = tasks.create_task(
        uow(), actor=member, title="Hotfix", estimate="1h", priority="urgent"
    )
    low = tasks.create_task(uow(), actor=member, title="Polish", estimate="1h", priority="low")
    stuck = tasks.create_task(uow(), actor=member, title="Wait", estimate="1h", tags=["blocked"])
    fake_gemini.will(
        json_response({"items": [entry(low.id, 60), entry(stuck.id, 60)], "tip": "Go."})
    )
    plan = ai.plan_day(uow(), actor=member)
    assert [i.task_id for i in plan.items] == [urgent.id, low.id]
    assert {i.task_id: i.note for i in plan.later} == {stuck.id: "blocked: it is tagged blocked"}
    assert plan.flags == (
        "1 blocked task was left out",
        "1 urgent task was put in ahead of less urgent work",
    )
    prompt = fake_gemini.calls[0]["contents"]
    assert '"priority": "urgent"' in prompt and '"blocked": true' in prompt


def test_the_plan_uses_the_persons_own_focus_hours(uow, member, my_tasks):
    preferences.set_focus_hours(uow(), actor=member, hours="3")
    plan = ai.plan_day(uow(), actor=member)
    assert (plan.focus_minutes, plan.logged_today, plan.available_minutes) == (180, 90, 90)
    assert plan.planned_minutes <= 90


def test_priority_and_due_dates_order_the_offline_plan(uow, member):
    day = today()
    late = tasks.create_task(
        uow(), actor=member, title="Late", estimate="1h", due=day - dt.timedelta(days=1)
    )
    low = tasks.create_task(uow(), actor=member, title="Low", estimate="1h", priority="low")
    high = tasks.create_task(uow(), actor=member, title="High", estimate="1h", priority="high")
    plan = ai.plan_day(uow(), actor=member)
    assert [i.task_id for i in plan.items] == [high.id, late.id, low.id]
    assert plan.items[1].note.startswith("overdue by 1 day")
