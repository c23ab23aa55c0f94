"""Time in Chromium: logging, editing and deleting entries on the open task, and the timer
started, switched, stopped and corrected from any page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from sprintsync.clock import today
from sprintsync.services import tasks, timers
from tests.e2e.e2e_actions import (
    button,
    card,
    dialog,
    error,
    heading,
    list_view,
    main,
    open_from_card,
    open_page,
    settle,
    textbox,
    toast,
)


@pytest.fixture
def mia(person):
    return person()


def make_task(server, who, title: str, **fields):
    return tasks.create_task(server.db.uow(), actor=who.actor, title=title, **fields)


def entries(server, task_id: int) -> list[tuple]:
    return server.db.rows(
        "SELECT minutes, spent_on, note FROM time_entries WHERE task_id = :t ORDER BY id",
        t=task_id,
    )


def log_form(panel):
    return panel.get_by_test_id("stForm").filter(has=button(panel.page, "Log time"))


def test_logging_time_with_enter_empties_the_form_and_a_double_click_logs_once(
    signed_in, mia, server, step
):
    task = make_task(server, mia, "Review the schema", estimate="2h")
    page = signed_in(mia)
    with step("open the task, type 1h30m and press Enter"):
        panel = open_from_card(page, "Review the schema")
        form = log_form(panel)
        textbox(form, "Note").fill("paired with Otto")
        textbox(form, "Duration").fill("1h30m")
        textbox(form, "Duration").press("Enter")
        toast(page, f"Logged 1h30m on task #{task.id} for {today():%a %d %b}.")
    with step("the form is empty, the total shows on the card and in the dialog"):
        expect(textbox(log_form(dialog(page)), "Duration")).to_have_value("")
        expect(textbox(log_form(dialog(page)), "Note")).to_have_value("")
        expect(dialog(page)).to_contain_text("1h30m of 2h")
    assert entries(server, task.id) == [(90, today(), "paired with Otto")]

    with step("a double click on Log time logs once"):
        form = log_form(dialog(page))
        textbox(form, "Duration").fill("15m")
        button(form, "Log time").dblclick()
        toast(page, "Logged 15m")
        settle(page)
        expect(dialog(page)).to_contain_text("1h45m of 2h")
    assert [m for m, _, _ in entries(server, task.id)] == [90, 15]
    assert server.db.scalar("SELECT total_minutes FROM tasks WHERE id = :i", i=task.id) == 105


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a duration such as 45m or 1h30m."),
        ("10000h", "'10000h' is too large for a duration; try 90, 45m, 1h30m or 1.5h."),
        ("-5m", "A duration must be positive, not '-5m'."),
        ("1h60m", "Minutes after hours must be under 60: write 2h instead."),
    ],
)
def test_a_duration_that_cannot_be_logged_says_why_and_stays(
    signed_in, mia, server, step, typed, message
):
    task = make_task(server, mia, "Measure twice")
    page = signed_in(mia)
    with step(f"log {typed!r}"):
        form = log_form(open_from_card(page, "Measure twice"))
        textbox(form, "Duration").fill(typed)
        button(form, "Log time").click()
    with step("the message says what is wrong; the text stays"):
        expect(error(dialog(page), message)).to_be_visible()
        expect(textbox(log_form(dialog(page)), "Duration")).to_have_value(typed)
    assert entries(server, task.id) == []


def test_time_logged_in_another_year_names_the_year(signed_in, mia, server, step):
    task = make_task(server, mia, "Archive the 2019 books")
    page = signed_in(mia)
    with step("log time on 1 December 2019"):
        form = log_form(open_from_card(page, "Archive the 2019 books"))
        textbox(form, "Duration").fill("45m")
        date = form.get_by_test_id("stDateInput").locator("input")
        date.fill("2019-12-01")
        date.press("Enter")
        button(form, "Log time").click()
        toast(page, f"Logged 45m on task #{task.id} for Sun 01 Dec 2019.")
    assert entries(server, task.id) == [(45, dt.date(2019, 12, 1), "")]


def test_editing_and_deleting_an_entry(signed_in, mia, server, step):
    task = make_task(server, mia, "Write the runbook")
    from sprintsync.services import timelog

    timelog.log_time(server.db.uow(), actor=mia.actor, task_id=task.id, duration="1h", note="a")
    page = signed_in(mia)
    with step("open the entries and edit the only one"):
        panel = open_from_card(page, "Write the runbook")
        panel.get_by_role("tab", name="Time entries").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        button(panel, "Edit").click()
        form = panel.get_by_test_id("stForm").filter(has=button(page, "Save entry"))
        textbox(form, "Duration").fill("2h15m")
        textbox(form, "Note").fill("corrected")
        textbox(form, "Note").press("Enter")
        toast(page, "Time entry saved.")
    assert entries(server, task.id) == [(135, today(), "corrected")]
    with step("delete it, confirming first"):
        panel = dialog(page)
        panel.get_by_role("tab", name="Time entries").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        button(panel, "Delete").click()
        expect(panel.get_by_text("Delete this entry of 2h15m")).to_be_visible()
        settle(page)  # a person reads the question first
        button(panel, "Yes, delete the entry").click()
        toast(page, "Time entry deleted.")
    assert entries(server, task.id) == []
    assert server.db.scalar("SELECT total_minutes FROM tasks WHERE id = :i", i=task.id) == 0


def banner(page):
    return page.locator(".st-key-timer_banner")


def test_a_double_click_on_start_timer_starts_one_timer_and_logs_nothing(
    signed_in, mia, server, step
):
    task = make_task(server, mia, "Timed once")
    page = signed_in(mia)
    list_view(page)
    with step("double-click Start timer on its card"):
        button(card(page, "Timed once"), "Start timer").dblclick()
        toast(page, f"Timer started on task #{task.id}.")
        settle(page)
    with step("the timer runs on it; the card offers Stop timer"):
        expect(banner(page)).to_contain_text("Timed once")
        expect(button(card(page, "Timed once"), "Stop timer")).to_be_visible()
    # The second click (the same drawn state) restarted nothing: one timer, nothing logged.
    assert server.db.rows("SELECT task_id FROM timers WHERE user_id = :u", u=mia.actor.id) == [
        (task.id,)
    ]
    assert entries(server, task.id) == []


def test_the_timer_runs_on_every_page_and_stops_from_any(signed_in, mia, server, step):
    first = make_task(server, mia, "First timed task")
    second = make_task(server, mia, "Second timed task")
    page = signed_in(mia)
    list_view(page)
    with step("start a timer on a card"):
        button(card(page, "First timed task"), "Start timer").click()
        toast(page, f"Timer started on task #{first.id}.")
        expect(banner(page)).to_contain_text("First timed task")
    assert timers.running_timer(server.db.uow(), actor=mia.actor).task_id == first.id

    with step("switch it to the other task"):
        server.db.execute(  # it ran for an hour
            "UPDATE timers SET started_at = now() - interval '1 hour' WHERE user_id = :u",
            u=mia.actor.id,
        )
        page.reload()
        button(card(page, "Second timed task"), "Start timer").click()
        toast(page, f"Logged 1h on task #{first.id} from the timer it replaced.")
        expect(banner(page)).to_contain_text("Second timed task")
    assert [m for m, _, _ in entries(server, first.id)] == [60]

    for title in ("My time", "Account"):
        with step(f"the timer shows on {title}"):
            open_page(page, title)
            expect(banner(page)).to_contain_text("Second timed task")
            expect(button(banner(page), "Stop and log")).to_be_visible()
    with step("stop it on Account"):
        server.db.execute(
            "UPDATE timers SET started_at = now() - interval '20 minutes' WHERE user_id = :u",
            u=mia.actor.id,
        )
        page.reload()
        expect(heading(page, "Account")).to_be_visible()
        button(banner(page), "Stop and log").click()
        toast(page, f"Logged 20m on task #{second.id}.")
        expect(banner(page)).to_have_count(0)
    assert [m for m, _, _ in entries(server, second.id)] == [20]
    assert timers.running_timer(server.db.uow(), actor=mia.actor) is None


def test_a_timer_left_running_past_twelve_hours_is_corrected_before_it_is_logged(
    signed_in, mia, server, step
):
    task = make_task(server, mia, "Forgot to stop it")
    timers.start_timer(server.db.uow(), actor=mia.actor, task_id=task.id)
    server.db.execute(
        "UPDATE timers SET started_at = now() - interval '13 hours' WHERE user_id = :u",
        u=mia.actor.id,
    )
    page = signed_in(mia, "/my-time")
    with step("My time shows the timer asking for the real time"):
        expect(banner(page)).to_contain_text("longer than 12h")
        expect(button(banner(page), "Stop and log")).to_have_count(0)
    with step("enter the time actually spent"):
        form = banner(page).get_by_test_id("stForm")
        textbox(form, "Time actually spent").fill("2h30m")
        textbox(form, "Note").fill("the afternoon only")
        textbox(form, "Note").press("Enter")
        toast(page, f"Logged 2h30m on task #{task.id}.")
        expect(banner(page)).to_have_count(0)
    assert [(m, n) for m, _, n in entries(server, task.id)] == [(150, "the afternoon only")]
    expect(main(page)).to_contain_text("2h30m")
