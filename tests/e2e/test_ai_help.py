"""The draft and the day plan in Chromium against a real server without a Gemini key: the
draft says it came from rules, then from the team's history once similar work is finished;
a task created from it is recorded as kept; the plan has its own room on My tasks, with
work in progress first and every later task's reason. Each step is checked in the database
behind the page."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from sprintsync.services import ai, tasks, timelog
from tests.e2e.e2e_actions import (
    button,
    dialog,
    main,
    new_task_form,
    settle,
    sidebar,
    textbox,
    toast,
)

TITLE = "Login loops back to the sign-in page"
FINISHED_LOGIN_WORK = [
    ("Fix login redirect loop on Safari", 120),
    ("Login fails after the session cookie expires", 90),
    ("Login broken for SSO users", 180),
]


def click_until(page: Page, pressed: Locator, shown: Locator) -> None:
    """Click until `shown` appears: right after sign-in a rerun confirming the cookie can
    swallow a click (as ui's open_page says)."""
    for attempt in range(3):
        settle(page)
        pressed.click()
        try:
            expect(shown).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def finished(server, who, title: str, minutes: int) -> int:
    uow = server.db.uow
    task = tasks.create_task(uow(), actor=who.actor, title=title, estimate=minutes)
    tasks.move_task(uow(), actor=who.actor, task_id=task.id, to_status="in_progress")
    timelog.log_time(uow(), actor=who.actor, task_id=task.id, duration=minutes)
    tasks.move_task(uow(), actor=who.actor, task_id=task.id, to_status="done")
    return task.id


def test_the_draft_names_its_source_and_a_task_made_from_it_is_recorded(
    signed_in, person, server, step
):
    planner = person()
    with step("a member with finished login bugs signs in"):
        for title, minutes in FINISHED_LOGIN_WORK:
            finished(server, planner, title, minutes)
        page = signed_in(planner)

    with step("a title nobody has done before is drafted by rules, and it says so"):
        form = new_task_form(page)
        textbox(form, "Title").fill("Nightly build fails on the arm64 runner")
        rules = form.get_by_text("Drafted by rules (no Gemini API key is set)")
        click_until(page, button(form, "Suggest a draft"), rules)
        expect(form.get_by_text("typical size for CI/build work")).to_be_visible()

    with step("a login bug is drafted from the team's history, with its evidence"):
        textbox(form, "Title").fill(TITLE)
        button(form, "Suggest a draft").click()
        expect(
            form.get_by_text("Drafted from your team's history (no Gemini API key is set)")
        ).to_be_visible()
        expect(form.get_by_text("similar finished tasks took")).to_be_visible()
        description = form.get_by_label("Description")
        expect(description).to_contain_text("Read how similar finished work was done first")
        page.screenshot(path=str(step.folder / "draft-from-history.png"), full_page=True)

    with step("creating the task from the draft records it as kept, the first as discarded"):
        button(form, "Create task").click()
        toast(page, "Created task #")
        settle(page)
    drafts = server.db.rows(
        "SELECT title, source, outcome, task_id FROM ai_drafts WHERE user_id = :u ORDER BY id",
        u=planner.actor.id,
    )
    [(task_id, saved)] = server.db.rows(
        "SELECT id, description FROM tasks WHERE title = :t AND created_by_id = :u",
        t=TITLE,
        u=planner.actor.id,
    )
    assert drafts == [
        ("Nightly build fails on the arm64 runner", "rules", "discarded", None),
        (TITLE, "history", "kept", task_id),
    ]
    assert "Read how similar finished work was done first" in saved


def test_the_day_plan_has_room_on_the_page_and_says_why_work_waits(signed_in, person, server, step):
    member = person()
    uow = server.db.uow
    with step("a member with work in progress, urgent and blocked work signs in"):

        def add(title: str, estimate: str, **fields) -> int:
            return tasks.create_task(
                uow(), actor=member.actor, title=title, estimate=estimate, **fields
            ).id

        started = add("Finish the export fix", "2h")
        tasks.move_task(uow(), actor=member.actor, task_id=started, to_status="in_progress")
        urgent = add("Patch the login outage", "1h", priority="urgent")
        big = add("Rebuild the reporting pipeline", "20h")
        blocked = add("Wait for the vendor's API key", "1h", tags=["blocked"])
        page = signed_in(member)

    with step("Plan my day shows the plan in the page, work in progress first"):
        panel = page.locator(".st-key-day_plan_panel")
        click_until(page, button(main(page), "Plan my day"), panel)
        expect(panel.get_by_text("Today's plan")).to_be_visible()
        expect(sidebar(page).get_by_text("Today's plan")).to_have_count(0)
        expect(panel.get_by_text("Planned by rules (no Gemini API key is set)")).to_be_visible()
        rows = panel.get_by_text("#", exact=False)
        expect(rows.first).to_contain_text(f"#{started} Finish the export fix")
        expect(panel.get_by_text("blocked: it is tagged blocked")).to_be_visible()
        expect(panel.get_by_text("split it into")).to_be_visible()
        page.screenshot(path=str(step.folder / "day-plan.png"), full_page=True)

    with step("the plan agrees with the tasks in the database"):
        plan = ai.plan_day(uow(), actor=member.actor)
        assert [i.task_id for i in plan.items][:2] == [started, urgent]
        assert {i.task_id for i in plan.later} >= {blocked}
        assert [s.task_id for s in plan.splits] == [big]
        statuses = dict(
            server.db.rows(
                "SELECT id, status FROM tasks WHERE created_by_id = :u", u=member.actor.id
            )
        )
        assert statuses[started] == "in_progress"
        assert server.db.rows("SELECT priority FROM tasks WHERE id = :t", t=urgent) == [("urgent",)]

    with step("Open on a planned task opens it"):
        panel.get_by_role("button", name="Open").first.click()
        expect(dialog(page)).to_contain_text(f"Task #{started}")
    assert f"task={started}" in page.url
