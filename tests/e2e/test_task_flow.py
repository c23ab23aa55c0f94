"""The issue's browser journey: sign in as the admin, create a task, move it to In progress,
log 1h30m on it, see the total, sign out, and find the app gated again."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.e2e_actions import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    expect_sign_in_form,
    heading,
    new_task_form,
    settle,
    sign_in,
    sign_out,
)

TITLE = "Write the release notes"


def test_create_a_task_start_it_log_time_and_sign_out(page, step):
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
        expect(page.get_by_text(TITLE, exact=True)).to_be_visible()
        expect(page.get_by_text("0m of 2h")).to_be_visible()

    with step("move it to In progress"):
        page.get_by_role("button", name="Start", exact=True).click()
        expect(page.get_by_text("In progress ·", exact=False).first).to_be_visible()
        expect(page.get_by_role("button", name="Done", exact=True)).to_be_visible()

    with step("log 1h30m on it"):
        page.get_by_test_id("stMain").locator("button", has_text="Open").click()
        page.get_by_role("dialog").get_by_label("Duration", exact=True).fill("1h30m")
        page.get_by_role("button", name="Log time", exact=True).click()

    with step("see the total"):
        expect(page.get_by_text("1h30m of 2h").first).to_be_visible()
        settle(page)
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
        expect(page.get_by_test_id("stMain").get_by_text("1h30m of 2h")).to_be_visible()

    with step("sign out"):
        sign_out(page)

    with step("the app is gated again, even after a refresh"):
        page.reload()
        expect_sign_in_form(page)
        expect(page.get_by_text(TITLE)).to_have_count(0)
