"""Timesheets in Chromium against a real server: a member types a week into the grid
(Enter and Tab between cells), sees the totals, saves and submits; a manager sends it back,
then approves it; the member sees the lock, and logging time in the approved week is refused
with the reason; a reminder banner is dismissed; the report downloads. Each step is checked in
the database through the CLI an operator would use."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.e2e_actions import (
    button,
    card,
    dialog,
    expect_sign_in_form,
    heading,
    list_view,
    open_page,
    settle,
    sign_in,
    sign_out,
)

TODAY = dt.date.today()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
LAST_MONDAY = MONDAY - dt.timedelta(days=7)  # a week that has begun, all of it editable


def grid_cell(page: Page, row: int, column: int) -> None:
    """Put the cursor on a cell of the (first) data editor: rows and columns counted from 0
    (column 0 is the task), the header not counted. Streamlit draws the grid on a canvas, 35
    px a row: click the row's task, then walk there with the arrow keys."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.click(position={"x": 10, "y": 35 * (row + 1) + 17})
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def enter_as(page: Page, username: str, password: str) -> None:
    """Sign in from the start page (after a sign-out the URL is still the last page's)."""
    page.goto("/")
    expect_sign_in_form(page)
    settle(page)
    sign_in(page, username, password)
    expect(heading(page, "My tasks")).to_be_visible()


def type_in(page: Page, text: str) -> None:
    """Type into the cell under the cursor as a person does: the first key opens the cell's
    editor, which takes a moment; keys typed faster than that are lost."""
    page.keyboard.type(text, delay=60)


def add_row(page: Page, option: str) -> None:
    settle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Add a row for a task").click()
    page.get_by_role("option", name=option).click()
    settle(page)
    page.get_by_role("button", name="Add row").click()
    settle(page)
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()


def shown(server, user: str, week: dt.date) -> dict:
    return json.loads(
        server.cli("timesheet", "show", "--as", user, "--week", week.isoformat(), "--json")
    )


def pick_person(page: Page, option: str) -> None:
    """Choose someone on Timesheets by typing their name: a long list is drawn virtually, so
    an option far down is not in the page until the list is searched."""
    page.get_by_test_id("stSelectbox").filter(has_text="Person").click()
    page.keyboard.type(option.split(" · ")[0])
    page.get_by_role("option", name=option).click()
    settle(page)


def previous_week(page: Page) -> None:
    page.get_by_role("button", name="Previous week").click()
    settle(page)


def test_a_member_fills_in_a_week_a_manager_sends_it_back_and_approves_it(
    page, server, step, person
):
    with step("a member with two tasks, a manager"):
        member, lead = person(), person("manager")
        ids = []
        for title in ("Design review", "Customer call"):
            out = server.cli("tasks", "add", "--as", member.username, title, "--project", "GEN")
            ids.append(int(out.split("#")[1].split(":")[0]))

    with step("the member opens last week on My time and adds a row"):
        enter_as(page, member.username, member.password)
        open_page(page, "My time")
        previous_week(page)
        expect(page.get_by_text("No time logged in this week yet")).to_be_visible()
        for task_id, title in zip(ids, ("Design review", "Customer call"), strict=True):
            add_row(page, f"#{task_id} {title}")
        expect(page.get_by_test_id("stDataFrame")).to_have_count(1)  # the grid
        expect(page.get_by_text("By task:")).to_contain_text("Customer call")

    with step("type Monday and Tuesday with Tab, and Wednesday below with Enter"):
        grid_cell(page, 0, 1)  # Design review, Monday
        type_in(page, "1h30m")
        page.keyboard.press("Tab")
        settle(page)
        type_in(page, "2h")
        page.keyboard.press("Enter")  # commits; the cursor moves down, to Customer call
        settle(page)
        type_in(page, "45m")
        page.keyboard.press("Enter")
        settle(page)
        expect(page.get_by_test_id("stMetric").filter(has_text="Week total")).to_contain_text(
            "4h15m"
        )
        by_day = page.get_by_text("By day:")  # the totals follow what is typed
        expect(by_day).to_contain_text(f"{LAST_MONDAY:%a %d} 1h30m")
        expect(by_day).to_contain_text(f"{LAST_MONDAY + dt.timedelta(days=1):%a %d} 2h45m")
        expect(page.get_by_text("3 unsaved cells.")).to_be_visible()
        # nothing saved yet
        assert shown(server, member.username, LAST_MONDAY)["total_minutes"] == 0

    with step("a double click on Save week saves once, checked in the database"):
        page.get_by_role("button", name="Save week").dblclick()
        expect(page.get_by_text("Saved 3 cells (entries: 3 added).")).to_be_visible()
        settle(page)
        # A second save of the same cells would be refused as changed meanwhile.
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
        expect(page.get_by_text("unsaved cell")).to_have_count(0)
        week = shown(server, member.username, LAST_MONDAY)
        assert {r["task_id"]: r["minutes"] for r in week["rows"]} == {
            ids[0]: [90, 120, 0, 0, 0, 0, 0],
            ids[1]: [0, 45, 0, 0, 0, 0, 0],
        }
        assert week["total_minutes"] == 255
        assert week["state"] == "draft"

    with step("submit it"):
        page.get_by_role("button", name="Submit week for approval").click()
        expect(page.get_by_text("Submitted, waiting for approval")).to_be_visible()
        assert shown(server, member.username, LAST_MONDAY)["state"] == "submitted"
        sign_out(page)

    with step("the manager sends it back with a comment on Timesheets"):
        enter_as(page, lead.username, lead.password)
        open_page(page, "Timesheets")
        previous_week(page)
        pick_person(page, f"{member.username} · Submitted")
        page.get_by_label("Comment (required to send back)").fill("Add the stand-ups")
        page.get_by_role("button", name="Send back").click()
        expect(page.get_by_text(f"Sent {member.username}'s week of")).to_be_visible()
        assert shown(server, member.username, LAST_MONDAY)["state"] == "returned"
        sign_out(page)

    with step("the member sees why, fixes the week and submits again"):
        enter_as(page, member.username, member.password)
        open_page(page, "My time")
        previous_week(page)
        expect(page.get_by_text(f"Sent back by {lead.username}")).to_be_visible()
        expect(page.get_by_text("Add the stand-ups")).to_be_visible()
        grid_cell(page, 1, 3)  # Customer call, Wednesday
        type_in(page, "15m")
        page.keyboard.press("Enter")
        settle(page)
        page.get_by_role("button", name="Save week").click()
        expect(page.get_by_text("Saved 1 cell")).to_be_visible()
        settle(page)
        page.get_by_role("button", name="Submit week for approval").click()
        expect(page.get_by_text("Submitted, waiting for approval")).to_be_visible()
        assert shown(server, member.username, LAST_MONDAY)["total_minutes"] == 270
        sign_out(page)

    with step("the manager approves it"):
        enter_as(page, lead.username, lead.password)
        open_page(page, "Timesheets")
        previous_week(page)
        pick_person(page, f"{member.username} · Submitted")
        logged = page.get_by_test_id("stMetric").filter(has_text="Logged this week")
        expect(logged).to_contain_text("4h30m")  # their grid, read-only
        expect(page.get_by_role("button", name="Save week")).to_have_count(0)
        page.get_by_role("button", name="Approve").click()
        expect(page.get_by_text(f"Approved {member.username}'s week of")).to_be_visible()
        assert shown(server, member.username, LAST_MONDAY)["state"] == "approved"
        sign_out(page)

    with step("the member sees the lock; the grid has no Save, and the CLI is refused"):
        enter_as(page, member.username, member.password)
        open_page(page, "My time")
        previous_week(page)
        expect(page.get_by_text("This week is locked: its time cannot change.")).to_be_visible()
        expect(page.get_by_role("button", name="Save week")).to_have_count(0)
        done = server.console(
            "tasks",
            "log",
            "--as",
            member.username,
            str(ids[0]),
            "1h",
            "--on",
            LAST_MONDAY.isoformat(),
        )
        assert done.returncode == 5
        assert "is approved, so its time cannot change" in done.stderr
        assert shown(server, member.username, LAST_MONDAY)["total_minutes"] == 270


def test_the_lock_message_in_my_tasks_a_reminder_banner_and_the_report_downloads(
    page, server, step, person
):
    with step("a member's week approved, and a reminder for last week"):
        reminded, admin = person(), person("admin")
        who, password = reminded.username, reminded.password
        boss, boss_password = admin.username, admin.password
        out = server.cli("tasks", "add", "--as", who, "=2+2 formula", "--project", "GEN")
        task_id = out.split("#")[1].split(":")[0]
        server.cli("tasks", "log", "--as", who, task_id, "2h", "--note", "@note")
        server.cli("timesheet", "submit", "--as", who, "--week", MONDAY.isoformat())
        server.cli("timesheet", "approve", "--as", boss, who, "--week", MONDAY.isoformat())
        out = server.cli("remind", "--week", LAST_MONDAY.isoformat())
        assert f"{who}: 0m of 40h" in out

    with step("the banner shows on the next visit and is dismissed"):
        enter_as(page, who, password)
        banner = page.get_by_text(
            f"Reminder: your timesheet for the week of {LAST_MONDAY:%a %d %b %Y}"
        )
        expect(banner).to_be_visible()
        page.get_by_role("button", name="Dismiss").click()
        expect(page.get_by_text("Reminder dismissed.")).to_be_visible()
        expect(banner).to_have_count(0)
        page.reload()
        expect(heading(page, "My tasks")).to_be_visible()
        expect(banner).to_have_count(0)

    with step("logging today's time in the approved week says why it is refused"):
        list_view(page)
        button(card(page, "=2+2 formula"), "Open").click()
        expect(dialog(page)).to_contain_text("=2+2 formula")
        settle(page)  # the dialog's first run has ended: what is typed now is kept
        box = dialog(page).get_by_role("textbox", name="Duration", exact=True)
        box.fill("30m")
        box.press("Enter")  # submits the log form
        expect(dialog(page).get_by_text("Your week of").first).to_contain_text(
            "is approved, so its time cannot change and nothing was saved"
        )
        expect(box).to_have_value("30m")  # what was typed stays
        week = json.loads(
            server.cli("timesheet", "show", "--as", who, "--week", MONDAY.isoformat(), "--json")
        )
        assert week["total_minutes"] == 120
        dialog(page).get_by_test_id("stBaseButton-secondary").filter(has_text="Close").click()
        expect(dialog(page)).to_have_count(0)
        sign_out(page)

    with step("the admin downloads the report as CSV and XLSX"):
        enter_as(page, boss, boss_password)
        open_page(page, "Timesheets")
        page.get_by_role("tab", name="Time report").click()
        settle(page)
        with page.expect_download() as got:
            page.get_by_role("button", name="Download CSV").click()
        rows = list(csv.DictReader(io.StringIO(got.value.path().read_text())))
        mine = [r for r in rows if r["Person"] == who]
        assert [(r["Task"], r["Minutes"], r["Note"], r["Week state"]) for r in mine] == [
            ("'=2+2 formula", "120", "'@note", "Approved")
        ]
        with page.expect_download() as got:
            page.get_by_role("button", name="Download XLSX").click()
        assert got.value.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(got.value.path().read_bytes())).active
        cells = [[c.value for c in row] for row in sheet.iter_rows()]
        (line,) = [row for row in cells if row[0] == who]
        assert (line[5], line[9], line[11]) == ("=2+2 formula", dt.timedelta(hours=2), "@note")
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        assert cells[-1][0] == "Total"
