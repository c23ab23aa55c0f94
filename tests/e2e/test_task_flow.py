"""The issue's browser journey: sign in as the admin, create a task, open it from the table
(My tasks' default view), move it to In progress, log 1h30m on it, see the total, sign out,
and find the app gated again."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.e2e_actions import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    dialog,
    expect_sign_in_form,
    heading,
    main,
    new_task_form,
    open_page,
    open_row,
    settle,
    sign_in,
    sign_out,
    toast,
)

TITLE = "Write the release notes"


def test_create_a_task_start_it_log_time_and_sign_out(page, server, step):
    with step("sign in as the admin"):
        page.goto("/")
        expect_sign_in_form(page)
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()

    with step("create a task with a 2h estimate"):
        form = new_task_form(page)
        form.get_by_label("Estimate", exact=True).fill("2h")
        form.get_by_label("Title", exact=True).fill(TITLE)
        form.get_by_role("button", name="Create task").click()
        toast(page, "Created task #")
        expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()  # the table

    with step("its row opens it; move it to In progress"):
        panel = open_row(page, 0)
        expect(panel).to_contain_text(TITLE)
        expect(panel).to_contain_text("0m of 2h")
        panel.get_by_role("button", name="Start", exact=True).click()
        expect(panel.get_by_role("button", name="Done", exact=True)).to_be_visible()
        expect(panel).to_contain_text("In progress")

    with step("log 1h30m on it"):
        settle(page)
        panel.get_by_label("Duration", exact=True).fill("1h30m")
        panel.get_by_role("button", name="Log time", exact=True).click()

    with step("see the total; closed, the task stays closed"):
        expect(panel.get_by_text("1h30m of 2h").first).to_be_visible()
        settle(page)
        page.keyboard.press("Escape")
        expect(dialog(page)).to_have_count(0)
        open_page(page, "Account")
        open_page(page, "My tasks")
        expect(dialog(page)).to_have_count(0)  # the row's selection was used once
    assert server.db.rows(
        "SELECT t.status, sum(e.minutes) FROM tasks t JOIN time_entries e ON e.task_id = t.id"
        " WHERE t.title = :t GROUP BY t.status",
        t=TITLE,
    ) == [("in_progress", 90)]

    with step("sign out"):
        sign_out(page)

    with step("the app is gated again, even after a refresh"):
        page.reload()
        expect_sign_in_form(page)
        expect(page.get_by_text(TITLE)).to_have_count(0)
