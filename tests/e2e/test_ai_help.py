"""The draft and the day plan in Chromium against a real server without a Gemini key: the
draft says it came from rules, then from the team's history once similar work is finished;
a task created from it is recorded as kept; the plan has its own room on My tasks, with
work in progress first and every later task's reason. Each step is checked in the database
behind the page, through the same CLI an operator would use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.e2e_actions import enter, heading, settle, sign_in

ROOT = Path(__file__).resolve().parents[2]
PLANNER, PLANNER_PASSWORD = "e2e-planner", "planner passphrase 1"
TITLE = "Login loops back to the sign-in page"


def sprintsync(server, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sprintsync.cli", *args],
        input=stdin,
        text=True,
        env=server.env,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def as_planner(server, *args: str) -> str:
    return sprintsync(server, *args[:2], "--as", PLANNER, *args[2:])


def add_task(server, user: str, title: str, *options: str) -> int:
    out = sprintsync(server, "tasks", "add", "--as", user, title, "--project", "GEN", *options)
    return int(out.split("#")[1].split(":")[0])


def click_until(page: Page, button, shown) -> None:
    """Click until `shown` appears: right after sign-in a rerun confirming the cookie can
    swallow a click (as ui's open_page says)."""
    for attempt in range(3):
        settle(page)
        button.click()
        try:
            expect(shown).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def new_task_form(page: Page):
    return page.get_by_test_id("stExpander").filter(has_text="New task")


def test_the_draft_names_its_source_and_a_task_made_from_it_is_recorded(page, server, step):
    with step("a member with finished login bugs signs in"):
        sprintsync(
            server, "users", "add", PLANNER, "--password-stdin", stdin=PLANNER_PASSWORD + "\n"
        )
        for title, logged in [
            ("Fix login redirect loop on Safari", "2h"),
            ("Login fails after the session cookie expires", "1h30m"),
            ("Login broken for SSO users", "3h"),
        ]:
            made = str(add_task(server, PLANNER, title, "--estimate", logged))
            as_planner(server, "tasks", "move", made, "in_progress")
            as_planner(server, "tasks", "log", made, logged)
            as_planner(server, "tasks", "move", made, "done")
        page.goto("/")
        sign_in(page, PLANNER, PLANNER_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()

    with step("a title nobody has done before is drafted by rules, and it says so"):
        form = new_task_form(page)
        form.get_by_text("New task").click()
        enter(page, "Title", "Nightly build fails on the arm64 runner")
        rules = form.get_by_text("Drafted by rules (no Gemini API key is set)")
        click_until(page, form.get_by_role("button", name="Suggest a draft"), rules)
        expect(form.get_by_text("typical size for CI/build work")).to_be_visible()

    with step("a login bug is drafted from the team's history, with its evidence"):
        enter(page, "Title", TITLE)
        form.get_by_role("button", name="Suggest a draft").click()
        expect(
            form.get_by_text("Drafted from your team's history (no Gemini API key is set)")
        ).to_be_visible()
        expect(form.get_by_text("3 similar finished tasks took")).to_be_visible()
        description = form.get_by_label("Description")
        expect(description).to_contain_text("Read how similar finished work was done first")
        page.screenshot(path=str(step.folder / "draft-from-history.png"), full_page=True)

    with step("creating the task from the draft records it as kept, the first as discarded"):
        form.get_by_role("button", name="Create task").click()
        expect(page.get_by_text("Created task #")).to_be_visible()
        settle(page)
        drafts = json.loads(as_planner(server, "ai", "drafts", "--json"))["drafts"]
        assert [(d["title"], d["source"], d["outcome"]) for d in drafts] == [
            (TITLE, "history", "kept"),
            ("Nightly build fails on the arm64 runner", "rules", "discarded"),
        ]
        saved = json.loads(as_planner(server, "tasks", "list", "--json"))
        [task] = [t for t in saved if t["title"] == TITLE]
        assert task["id"] == drafts[0]["task_id"]
        assert "Read how similar finished work was done first" in task["description"]


def test_the_day_plan_has_room_on_the_page_and_says_why_work_waits(page, server, step):
    member, password = "e2e-dayplan", "day plan passphrase 1"
    with step("a member with work in progress, urgent and blocked work signs in"):
        sprintsync(server, "users", "add", member, "--password-stdin", stdin=password + "\n")

        def add(title: str, *options: str) -> int:
            return add_task(server, member, title, *options)

        started = add("Finish the export fix", "--estimate", "2h")
        sprintsync(server, "tasks", "move", "--as", member, str(started), "in_progress")
        urgent = add("Patch the login outage", "--estimate", "1h", "--priority", "urgent")
        big = add("Rebuild the reporting pipeline", "--estimate", "20h")
        blocked = add("Wait for the vendor's API key", "--estimate", "1h", "--tag", "blocked")
        page.goto("/")
        sign_in(page, member, password)
        expect(heading(page, "My tasks")).to_be_visible()

    with step("Plan my day shows the plan in the page, work in progress first"):
        panel = page.locator(".st-key-day_plan_panel")
        click_until(page, page.get_by_role("button", name="Plan my day"), panel)
        expect(panel.get_by_text("Today's plan")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text("Today's plan")).to_have_count(0)
        expect(panel.get_by_text("Planned by rules (no Gemini API key is set)")).to_be_visible()
        rows = panel.get_by_text("#", exact=False)
        expect(rows.first).to_contain_text(f"#{started} Finish the export fix")
        expect(panel.get_by_text("blocked: it is tagged blocked")).to_be_visible()
        expect(panel.get_by_text("split it into")).to_be_visible()
        page.screenshot(path=str(step.folder / "day-plan.png"), full_page=True)

    with step("the plan agrees with the tasks in the database"):
        plan = json.loads(sprintsync(server, "ai", "plan", "--as", member, "--json"))
        assert [i["task_id"] for i in plan["items"]][:2] == [started, urgent]
        assert {i["task_id"] for i in plan["later"]} >= {blocked}
        assert [s["task_id"] for s in plan["splits"]] == [big]
        listed = json.loads(sprintsync(server, "tasks", "list", "--as", member, "--json"))
        assert {t["id"]: t["status"] for t in listed}[started] == "in_progress"

    with step("Open on a planned task opens it"):
        panel.get_by_role("button", name="Open").first.click()
        expect(page.get_by_role("heading", name=f"Task #{started}")).to_be_visible()
