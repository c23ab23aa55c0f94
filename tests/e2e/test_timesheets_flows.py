"""The rest of the timesheet in Chromium against a real server: last week's rows copied into
this week's grid, a grid save that meets time changed in another tab (the conflict keeps what
was typed, the reload carries it over), start and end times on an entry with an overlap
refused, an admin reopening an approved week with a reason, and the daily cap. Time another
tab would log is logged through the services; each step is checked in the database."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog, weeks
from sprintsync.services.views import Actor
from tests.e2e.e2e_actions import button, dialog, error, open_from_card, open_page, settle, sign_out
from tests.e2e.test_timesheets import (
    grid_cell,
    pick_person,
    previous_week,
    shown,
)

# The server's clock, as the services read it (what "this week" is on My time).
MONDAY = monday_of(today())
LAST_MONDAY = MONDAY - dt.timedelta(days=7)  # a week that has begun, all of it editable


def new_task(server, who: Actor, title: str) -> int:
    return tasks.create_task(server.db.uow(), actor=who, title=title).id


def log(server, who: Actor, task_id: int, duration: str, day: dt.date) -> None:
    """Time logged elsewhere (another tab, the CLI), as the services take it."""
    timelog.log_time(server.db.uow(), actor=who, task_id=task_id, duration=duration, spent_on=day)


def minutes_by_task(server, user: str, week: dt.date) -> dict[int, list[int]]:
    return {row["task_id"]: row["minutes"] for row in shown(server, user, week)["rows"]}


def type_cell(page: Page, text: str) -> None:
    """Type into the grid cell under the cursor and commit it: Enter opens the cell's editor,
    which is waited for (keys typed before it is up are lost), and Enter in it commits."""
    page.keyboard.press("Enter")
    editor = page.locator("textarea.gdg-input")
    expect(editor).to_be_visible()
    editor.fill(text)
    editor.press("Enter")
    expect(editor).to_have_count(0)
    settle(page)


def grid(page: Page):
    return page.get_by_test_id("stDataFrame").first


def week_total(page: Page):
    return page.get_by_test_id("stMetric").filter(has_text="Week total")


def field(page: Page, label: str):
    return dialog(page).get_by_role("textbox", name=label, exact=True)


def entries_of(server, user_id: int) -> list[tuple]:
    return [
        tuple(row)
        for row in server.db.rows(
            "SELECT task_id, spent_on, minutes, start_minute, end_minute FROM time_entries "
            "WHERE user_id = :u ORDER BY id",
            u=user_id,
        )
    ]


def test_copying_last_weeks_rows_gives_empty_rows_that_save_into_this_week(
    signed_in, person, server, step
):
    with step("a member who logged time on two tasks last week"):
        member = person()
        review = new_task(server, member.actor, "Copied review")
        call = new_task(server, member.actor, "Copied call")
        log(server, member.actor, review, "2h", LAST_MONDAY + dt.timedelta(days=2))
        log(server, member.actor, call, "30m", LAST_MONDAY + dt.timedelta(days=4))

    with step("this week on My time is empty; copy last week's rows"):
        page = signed_in(member)
        open_page(page, "My time")
        expect(page.get_by_text("No time logged in this week yet")).to_be_visible()
        page.get_by_role("button", name="Copy last week's rows").click()
        settle(page)
        expect(grid(page)).to_contain_text(f"#{review} Copied review")
        expect(grid(page)).to_contain_text(f"#{call} Copied call")
        expect(week_total(page)).to_contain_text("0m")  # the rows came without their time
        expect(page.get_by_text("unsaved cell")).to_have_count(0)
        assert shown(server, member.username, MONDAY)["total_minutes"] == 0

    with step("type Monday into the second copied row and save"):
        grid_cell(
            page, 0, 1
        )  # Copied call (rows go by title), Monday (this week's Monday is never ahead)
        type_cell(page, "1h15m")
        expect(week_total(page)).to_contain_text("1h15m")
        page.get_by_role("button", name="Save week").click()
        expect(page.get_by_text("Saved 1 cell (entries: 1 added).")).to_be_visible()
        settle(page)
        assert minutes_by_task(server, member.username, MONDAY) == {call: [75, 0, 0, 0, 0, 0, 0]}
        assert minutes_by_task(server, member.username, LAST_MONDAY) == {
            review: [0, 0, 120, 0, 0, 0, 0],
            call: [0, 0, 0, 0, 30, 0, 0],
        }


def test_a_grid_save_meeting_time_changed_in_another_tab_keeps_what_was_typed(
    signed_in, person, server, step
):
    with step("a member with an hour on Monday last week"):
        member = person()
        task = new_task(server, member.actor, "Contested task")
        log(server, member.actor, task, "1h", LAST_MONDAY)

    with step("the grid is drawn and Monday retyped to 3h"):
        page = signed_in(member)
        open_page(page, "My time")
        previous_week(page)
        expect(grid(page)).to_contain_text(f"#{task} Contested task")
        expect(week_total(page)).to_contain_text("1h")
        grid_cell(page, 0, 1)
        type_cell(page, "3h")
        expect(week_total(page)).to_contain_text("3h")

    with step("meanwhile another tab logs 15m on that task and day"):
        log(server, member.actor, task, "15m", LAST_MONDAY)

    with step("Save week says it changed elsewhere, saves nothing and keeps the 3h"):
        page.get_by_role("button", name="Save week").click()
        settle(page)
        expect(
            error(page, "Time in this week was changed elsewhere after the grid was drawn")
        ).to_contain_text(f"task #{task} on {LAST_MONDAY:%a %d %b}: now 1h15m, the grid showed 1h")
        expect(week_total(page)).to_contain_text("3h")
        expect(page.get_by_text("1 unsaved cell.")).to_be_visible()
        assert minutes_by_task(server, member.username, LAST_MONDAY) == {
            task: [75, 0, 0, 0, 0, 0, 0]
        }

    with step("the reload carries the 3h over, and this save lands it"):
        page.get_by_role("button", name="Reload the week, keeping what I typed").click()
        settle(page)
        expect(error(page, "changed elsewhere")).to_have_count(0)
        expect(grid(page)).to_contain_text("3h")
        expect(week_total(page)).to_contain_text("3h")
        expect(page.get_by_text("1 unsaved cell.")).to_be_visible()
        page.get_by_role("button", name="Save week").click()
        expect(page.get_by_text("Saved 1 cell")).to_be_visible()
        settle(page)
        assert minutes_by_task(server, member.username, LAST_MONDAY) == {
            task: [180, 0, 0, 0, 0, 0, 0]
        }


def test_start_and_end_times_give_the_duration_and_an_overlap_is_refused(
    signed_in, person, server, step
):
    with step("a member with two tasks"):
        member = person()
        first = new_task(server, member.actor, "Morning standup")
        second = new_task(server, member.actor, "Overlapping work")

    with step("log 09:00 to 10:30 on the first task, without a duration"):
        page = signed_in(member)
        open_from_card(page, "Morning standup")
        field(page, "From (optional)").fill("09:00")
        field(page, "To (optional)").fill("10:30")
        button(dialog(page), "Log time").click()
        expect(
            page.get_by_text(f"Logged 1h30m on task #{first} for {today():%a %d %b}.")
        ).to_be_visible()
        settle(page)
        expect(dialog(page)).to_contain_text("1h30m logged")
        dialog(page).get_by_role("tab", name="Time entries").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        expect(dialog(page).get_by_text("1h30m (09:00–10:30)")).to_be_visible()
        assert entries_of(server, member.actor.id) == [(first, today(), 90, 540, 630)]
        dialog(page).get_by_test_id("stBaseButton-secondary").filter(has_text="Close").click()
        expect(dialog(page)).to_have_count(0)

    with step("10:00 to 11:00 on the other task overlaps it: refused, the form keeps it"):
        open_from_card(page, "Overlapping work")
        field(page, "From (optional)").fill("10:00")
        field(page, "To (optional)").fill("11:00")
        field(page, "Note").fill("pairing")
        button(dialog(page), "Log time").click()
        expect(
            error(
                dialog(page),
                f"10:00–11:00 on {today():%a %d %b} overlaps 09:00–10:30 on task #{first} "
                "(Morning standup); one person's timed entries cannot overlap.",
            )
        ).to_be_visible()
        expect(field(page, "From (optional)")).to_have_value("10:00")
        expect(field(page, "To (optional)")).to_have_value("11:00")
        expect(field(page, "Note")).to_have_value("pairing")
        assert entries_of(server, member.actor.id) == [(first, today(), 90, 540, 630)]

    with step("moved to 10:30 to 11:00 it fits, and is half an hour"):
        field(page, "From (optional)").fill("10:30")
        button(dialog(page), "Log time").click()
        expect(
            page.get_by_text(f"Logged 30m on task #{second} for {today():%a %d %b}.")
        ).to_be_visible()
        settle(page)
        assert entries_of(server, member.actor.id) == [
            (first, today(), 90, 540, 630),
            (second, today(), 30, 630, 660),
        ]


def test_an_admin_reopens_an_approved_week_with_a_reason_and_the_member_edits_again(
    page, signed_in, person, server, step
):
    with step("a member's week, submitted and approved"):
        member, admin = person(), person("admin")
        task = new_task(server, member.actor, "Reopened task")
        log(server, member.actor, task, "2h", LAST_MONDAY)
        weeks.submit_week(server.db.uow(), actor=member.actor, week_start=LAST_MONDAY)
        weeks.approve_week(
            server.db.uow(), actor=admin.actor, user_id=member.actor.id, week_start=LAST_MONDAY
        )
        assert shown(server, member.username, LAST_MONDAY)["state"] == "approved"

    with step("the admin reopens it on Timesheets with a reason"):
        signed_in(admin)
        open_page(page, "Timesheets")
        previous_week(page)
        pick_person(page, f"{member.username} · Approved")
        page.get_by_label("Reason for reopening (kept in the audit log)").fill(
            "Monday belongs to another task"
        )
        page.get_by_role("button", name="Reopen week").click()
        expect(page.get_by_text(f"Reopened {member.username}'s week of")).to_be_visible()
        settle(page)
        assert shown(server, member.username, LAST_MONDAY)["state"] == "returned"
        details = server.db.rows(
            "SELECT actor_id, details->>'reason', details->>'week' FROM audit_log "
            "WHERE action = 'week.reopen' AND target = :target",
            target=f"user:{member.actor.id}",
        )
        assert [tuple(r) for r in details] == [
            (admin.actor.id, "Monday belongs to another task", LAST_MONDAY.isoformat())
        ]
        sign_out(page)

    with step("the member sees the reason and can change the week again"):
        signed_in(member)
        open_page(page, "My time")
        previous_week(page)
        expect(page.get_by_text(f"Sent back by {admin.username}")).to_be_visible()
        expect(page.get_by_text("Monday belongs to another task")).to_be_visible()
        expect(page.get_by_text("This week is locked")).to_have_count(0)
        grid_cell(page, 0, 2)  # Reopened task, Tuesday
        type_cell(page, "45m")
        page.get_by_role("button", name="Save week").click()
        expect(page.get_by_text("Saved 1 cell")).to_be_visible()
        settle(page)
        assert minutes_by_task(server, member.username, LAST_MONDAY) == {
            task: [120, 45, 0, 0, 0, 0, 0]
        }


def test_logging_past_the_daily_cap_is_refused_with_its_message(signed_in, person, server, step):
    with step("a member with 15h already logged today (the server's cap is the default 16h)"):
        member = person()
        task = new_task(server, member.actor, "Long day")
        log(server, member.actor, task, "15h", today())

    with step("2h more in the task's Log time is refused, and the form keeps it"):
        page = signed_in(member)
        open_from_card(page, "Long day")
        field(page, "Duration").fill("2h")
        button(dialog(page), "Log time").click()
        expect(
            error(
                dialog(page),
                f"{today():%a %d %b %Y} already has 15h logged; 2h more would make it more "
                "than 16h, the most one person logs a day.",
            )
        ).to_be_visible()
        expect(field(page, "Duration")).to_have_value("2h")
        assert entries_of(server, member.actor.id) == [(task, today(), 900, None, None)]

    with step("the hour that is left is taken"):
        field(page, "Duration").fill("1h")
        button(dialog(page), "Log time").click()
        expect(
            page.get_by_text(f"Logged 1h on task #{task} for {today():%a %d %b}.")
        ).to_be_visible()
        settle(page)
        assert [e[2] for e in entries_of(server, member.actor.id)] == [900, 60]
