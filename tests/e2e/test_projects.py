"""The Projects page in Chromium against a real server: an admin creates a project and a
sprint (double clicks included), work is filed through the CLI, the budget warning, sprint
figures and burndown appear; a member sees it all without the forms. Every step is checked
in the database behind the page, through the same CLI an operator would use."""

from __future__ import annotations

import datetime as dt
import json

from playwright.sync_api import Page, expect

from tests.e2e.e2e_actions import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    heading,
    open_page,
    settle,
    sign_in,
    sign_out,
)

MEMBER = "e2e-member"
# Files the work: the server is shared by the suite, and the admin's own task list must stay
# as other tests expect it (empty, so its New task form is open).
DEVELOPER = "e2e-developer"


def set_date(scope, label: str, day: dt.date) -> None:
    """Type a date into Streamlit's segmented date field, segment by segment."""
    for part, value in (
        ("year", f"{day.year}"),
        ("month", f"{day.month:02d}"),
        ("day", f"{day.day:02d}"),
    ):
        segment = scope.get_by_role("spinbutton", name=f"{part}, {label}")
        segment.click()
        segment.press_sequentially(value)


def expander(page: Page, title: str):
    return page.get_by_test_id("stExpander").filter(has_text=title)


def test_an_admin_plans_a_project_and_a_sprint_and_sees_how_it_goes(page, server, step):
    today = dt.date.today()
    with step("sign in and open Projects"):
        page.goto("/")
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()
        open_page(page, "Projects")
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()

    with step("create a project with a double click; the form comes back empty"):
        form = expander(page, "New project")
        form.get_by_text("New project").click()
        form.get_by_label("Key", exact=True).fill("WEB")
        form.get_by_label("Name", exact=True).fill("Website")
        form.get_by_label("Budget (hours, optional)").fill("10h")
        form.get_by_role("button", name="Create project").dblclick()
        expect(page.get_by_text("Created project WEB.")).to_be_visible()
        settle(page)
        expect(page.get_by_role("heading", name="WEB · Website")).to_be_visible()
        expect(form.get_by_label("Key", exact=True)).to_have_value("")
        expect(form.get_by_label("Name", exact=True)).to_have_value("")
        made = json.loads(server.cli("projects", "list", "--json"))
        assert [(p["key"], p["budget_minutes"]) for p in made if p["key"] == "WEB"] == [
            ("WEB", 600)
        ]

    with step("add a sprint from three days ago with a double click"):
        form = expander(page, "New sprint")
        form.get_by_text("New sprint").click()
        form.get_by_label("Sprint name").fill("Sprint 1")
        set_date(form, "Start", today - dt.timedelta(days=3))
        set_date(form, "End", today + dt.timedelta(days=10))
        form.get_by_role("button", name="Add sprint").dblclick()
        expect(page.get_by_text("Added Sprint 1 to WEB.")).to_be_visible()
        settle(page)
        expect(form.get_by_label("Sprint name")).to_have_value("")
        planned = json.loads(server.cli("sprints", "list", "--project", "WEB", "--json"))
        assert [(s["name"], s["state"]) for s in planned] == [("Sprint 1", "active")]

    with step("file work in the sprint and log 9 of the 10 budgeted hours"):
        server.cli("users", "add", DEVELOPER, "--password-stdin", stdin="dev pass 123\n")
        for title, estimate, logged in [("Search box", "4h", "5h"), ("Results page", "6h", "4h")]:
            out = server.cli("tasks", "add", "--as", DEVELOPER, title, "--project", "WEB",
                "--sprint", "Sprint 1", "--estimate", estimate, "--priority", "high",
            )  # fmt: skip
            task_id = out.split("#")[1].split(":")[0]
            server.cli("tasks", "log", "--as", DEVELOPER, task_id, logged)
            if title == "Search box":
                for status in ("in_progress", "done"):
                    server.cli("tasks", "move", "--as", DEVELOPER, task_id, status)
        page.reload()
        expect(heading(page, "Projects")).to_be_visible()

    with step("see the budget warning, the sprint's figures and its burndown"):
        expect(page.get_by_text("Near budget: 90% of 10.0 h used.")).to_be_visible()
        expect(page.get_by_test_id("stMetric").filter(has_text="Done")).to_contain_text("4.0 h")
        expect(
            page.get_by_test_id("stMetric").filter(has_text="Added after start")
        ).to_contain_text("10.0 h")
        expect(page.get_by_role("heading", name="Burndown: Sprint 1")).to_be_visible()
        expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2)
        report = json.loads(
            server.cli("report", "sprint", "--project", "WEB", "Sprint 1", "--format", "json")
        )
        assert (report["added"], report["done"], report["open"]) == (
            {"tasks": 2, "minutes": 600},
            {"tasks": 1, "minutes": 240},
            {"tasks": 1, "minutes": 360},
        )

    with step("the burndown's table is a click away"):
        page.get_by_role("tab", name="Table").last.click()
        expect(page.get_by_role("button", name="Download CSV").last).to_be_visible()


def test_a_member_sees_projects_and_sprints_but_no_forms(page, server, person, step):
    with step("a member and a project with a sprint exist"):
        member = person(name=MEMBER)
        server.cli("projects", "add", "OPS", "Operations", "--budget", "2h")
        today = dt.date.today()
        server.cli("sprints", "add", "--project", "OPS", "Week 1", "--start", today.isoformat(),
            "--end", (today + dt.timedelta(days=6)).isoformat(),
        )  # fmt: skip
        out = server.cli("tasks", "add", "--as", MEMBER, "Patch servers", "--project", "OPS")
        task_id = out.split("#")[1].split(":")[0]
        server.cli("tasks", "log", "--as", MEMBER, task_id, "3h")

    with step("the member opens Projects and picks OPS"):
        page.goto("/")
        sign_in(page, MEMBER, member.password)
        expect(heading(page, "My tasks")).to_be_visible()
        open_page(page, "Projects")
        picker = page.get_by_test_id("stSelectbox").filter(has_text="Project").first
        picker.click()
        page.get_by_role("option", name="OPS · Operations").click()
        settle(page)

    with step("over budget is an error; there is nothing to edit"):
        expect(page.get_by_text("Over budget: 1.0 h past the 2.0 h budget.")).to_be_visible()
        expect(page.get_by_role("heading", name="Burndown: Week 1")).to_be_visible()
        expect(expander(page, "New project")).to_have_count(0)
        expect(expander(page, "New sprint")).to_have_count(0)
        expect(page.get_by_role("button", name="Archive project")).to_have_count(0)
        sign_out(page)
