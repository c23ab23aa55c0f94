"""My time, Team, Analytics, Account and Plan my day in Chromium, each checked against the
database behind it; and every page of every role drawn without a request to another host."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import time

import pytest
from playwright.sync_api import expect

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog
from sprintsync.services.analytics.scope import default_range
from tests.e2e.e2e_actions import (
    button,
    dialog,
    heading,
    main,
    open_page,
    settle,
    sidebar,
    textbox,
    toast,
)

WORK = ["My tasks", "My time", "Projects"]
PAGES_OF = {
    "member": [*WORK, "Account"],
    "manager": [*WORK, "Team", "Timesheets", "Analytics", "Account"],
    "admin": [*WORK, "Team", "Timesheets", "Analytics", "Admin", "Account"],
}


@pytest.mark.parametrize("role", list(PAGES_OF))
def test_every_page_of_each_role_draws_without_asking_another_host(
    signed_in, person, server, step, role
):
    page = signed_in(person(role))  # the page fixture fails the test on any outside request
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links).to_have_text([re.compile(f"{title}$") for title in PAGES_OF[role]])
    for title in PAGES_OF[role]:
        with step(f"open {title}"):
            open_page(page, title)
            expect(main(page).get_by_test_id("stException")).to_have_count(0)
    icon = page.locator("link[rel='shortcut icon'], link[rel='icon']").first
    assert icon.get_attribute("href").startswith(("/", server.url, "./"))


def test_the_timesheet_and_its_week_navigation(signed_in, person, server, step):
    mia = person()
    task = tasks.create_task(server.db.uow(), actor=mia.actor, title="Keep the timesheet")
    monday = monday_of(today())
    last_tuesday = monday - dt.timedelta(days=6)
    for day, minutes in ((monday, 60), (last_tuesday, 90)):
        timelog.log_time(
            server.db.uow(), actor=mia.actor, task_id=task.id, duration=minutes, spent_on=day
        )
    page = signed_in(mia, "/my-time")
    grid = main(page).get_by_test_id("stDataFrame").first
    with step("this week"):
        expect(main(page)).to_contain_text(f"Week of {monday:%a %d %b}")
        expect(main(page).get_by_test_id("stMetricValue").first).to_have_text("1h")
    with step("the week before"):
        button(main(page), "Previous week").click()
        settle(page)
        expect(main(page)).to_contain_text(f"Week of {monday - dt.timedelta(weeks=1):%a %d %b}")
        expect(main(page).get_by_test_id("stMetricValue").first).to_have_text("1h30m")
        expect(grid).to_be_visible()
    with step("back to this week"):
        button(main(page), "This week").click()
        settle(page)
        expect(main(page).get_by_test_id("stMetricValue").first).to_have_text("1h")
    assert (
        server.db.scalar("SELECT sum(minutes) FROM time_entries WHERE user_id = :u", u=mia.actor.id)
        == 150
    )


def test_my_week_in_charts_is_folded_until_opened_and_stays_open(signed_in, person, server, step):
    mia = person()
    task = tasks.create_task(server.db.uow(), actor=mia.actor, title="Chart the week")
    timelog.log_time(server.db.uow(), actor=mia.actor, task_id=task.id, duration=45)
    page = signed_in(mia, "/my-time")
    box = main(page).get_by_test_id("stExpander").filter(has_text="My week in charts")
    charts = main(page).get_by_test_id("stPlotlyChart")
    with step("the week's grid is shown, its charts folded away and not drawn"):
        expect(box).to_be_visible()
        settle(page)
        expect(charts).to_have_count(0)
    with step("opened, both charts are drawn"):
        box.locator("summary").click()
        settle(page)
        expect(charts).to_have_count(2)
        expect(box).to_contain_text("My time by task")
    with step("after another page, the box is still open"):
        open_page(page, "Account")
        open_page(page, "My time")
        expect(charts).to_have_count(2)
    with step("the by-task table downloads what the database holds"):
        page.locator(".st-key-my-week-by-task-tabs").get_by_role("tab", name="Table").click()
        settle(page)
        with page.expect_download() as got:
            page.locator(".st-key-my-week-by-task-csv").get_by_role("button").click()
        [row] = served_csv(got.value)
        assert row["Task"] == f"#{task.id} Chart the week"
    minutes = server.db.scalar(
        "SELECT sum(minutes) FROM time_entries WHERE task_id = :t", t=task.id
    )
    assert float(row["This week"]) == round(minutes / 60, 2) == 0.75
    with step("folded again, it stays folded on the next visit"):
        box.locator("summary").click()
        settle(page)
        expect(charts).to_have_count(0)
        open_page(page, "Account")
        open_page(page, "My time")
        expect(box).to_be_visible()
        expect(charts).to_have_count(0)


def test_team_lists_everyones_tasks_and_filters_them(signed_in, person, server, step):
    lead = person("manager")
    worker = person()
    for title in ("Team task alpha", "Team task beta"):
        tasks.create_task(server.db.uow(), actor=worker.actor, title=f"{title} {worker.username}")
    page = signed_in(lead, "/team-tasks")
    with step("search for the member's tasks"):
        search = textbox(main(page), "Search")
        search.fill(f"beta {worker.username}")
        search.press("Enter")
        settle(page)
        expect(main(page)).to_contain_text("1 task, page 1 of 1.")
    assert (
        server.db.scalar(
            "SELECT count(*) FROM tasks WHERE title LIKE :t", t=f"%beta {worker.username}"
        )
        == 1
    )


def served_csv(download) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(download.path().read_text())))


def bar_colours(page, *names: str) -> dict[str, str]:
    """Trace name -> bar colour of the first chart ("Time per person"), once it draws
    exactly `names` (Plotly hides the legend of a single trace, so read its data)."""
    chart = main(page).get_by_test_id("stPlotlyChart").first.locator(".js-plotly-plot")
    chart.wait_for()
    read = """(el) => Object.fromEntries((el.data || [])
                 .map(t => [t.name, t.marker && t.marker.color]))"""
    deadline = time.monotonic() + 30
    while True:
        found = chart.evaluate(read)
        if set(found) == set(names) or time.monotonic() > deadline:
            assert set(found) == set(names), found
            return found
        page.wait_for_timeout(200)


def team_with_time(server) -> list[str]:
    """Everyone with time in Analytics' default range (other tests log time in other weeks)."""
    first, last = default_range()
    return [
        name
        for (name,) in server.db.rows(
            "SELECT DISTINCT u.username FROM users u JOIN time_entries e ON e.user_id = u.id"
            " WHERE e.spent_on BETWEEN :first AND :last",
            first=first,
            last=last,
        )
    ]


def test_analytics_filters_charts_and_csv(signed_in, person, server, step):
    lead, ann, bob = person("manager"), person(), person()
    for who, minutes in ((ann, 120), (bob, 60)):
        task = tasks.create_task(server.db.uow(), actor=who.actor, title="Analytics work")
        timelog.log_time(server.db.uow(), actor=who.actor, task_id=task.id, duration=minutes)
    page = signed_in(lead, "/team-analytics")
    with step("the default range charts everyone"):
        expect(main(page).get_by_text("Time per person per week").first).to_be_visible()
        everyone = bar_colours(page, *team_with_time(server))
        assert {ann.username, bob.username} <= set(everyone)
    with step("filtered to one person, that person keeps their colour"):
        people = main(page).get_by_test_id("stMultiSelect")
        settle(page)
        people.click()
        people.locator("input").fill(bob.username)  # a long list is virtual: search it
        page.get_by_role("option", name=bob.username, exact=True).click()
        page.keyboard.press("Escape")
        settle(page)
        only = bar_colours(page, bob.username)
        assert only[bob.username] == everyone[bob.username]
    with step("one week by week labels its axis with a date, not a time"):
        start, end = main(page).get_by_test_id("stDateInput").locator("input[type=date]").all()
        start.fill(f"{monday_of(today()):%Y-%m-%d}")  # the fields' own inputs (autofill's)
        end.fill(f"{today():%Y-%m-%d}")
        page.keyboard.press("Escape")
        settle(page)
        expect(main(page).get_by_text("Time per person per week").first).to_be_visible()
        ticks = main(page).get_by_test_id("stPlotlyChart").first.locator(".xtick text")
        expect(ticks.first).to_be_visible()
        expect(ticks).to_have_text([f"{monday_of(today()):%d %b}"])  # one week: one date
        labels = ticks.all_text_contents()
        assert not any("00:00" in label for label in labels), labels
    with step("the chart's table downloads as the CSV it shows"):
        chart = page.locator(".st-key-time-per-person-tabs")
        chart.get_by_role("tab", name="Table").click()
        expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
        settle(page)
        with page.expect_download() as got:
            button(main(page), "Download CSV").first.click()
        rows = served_csv(got.value)
        assert {r["Person"] for r in rows} == {bob.username}
        assert [float(r["Hours"]) for r in rows] == [1.0]
    assert (
        server.db.scalar("SELECT sum(minutes) FROM time_entries WHERE user_id = :u", u=bob.actor.id)
        == 60
    )


def test_analytics_draws_one_section_at_a_time(signed_in, person, server, step):
    lead, ann = person("manager"), person()
    for title in ("Open work", "Finished work"):
        task = tasks.create_task(server.db.uow(), actor=ann.actor, title=title)
        timelog.log_time(server.db.uow(), actor=ann.actor, task_id=task.id, duration=30)
    tasks.move_task(server.db.uow(), actor=ann.actor, task_id=task.id, to_status="in_progress")
    tasks.move_task(server.db.uow(), actor=ann.actor, task_id=task.id, to_status="done")
    page = signed_in(lead, "/team-analytics")
    charts = main(page).get_by_test_id("stPlotlyChart")
    with step("the team's time is the section shown first, and only its charts are drawn"):
        expect(main(page).get_by_text("Team hours per day").first).to_be_visible()
        expect(charts).to_have_count(2)
        expect(main(page).get_by_text("Tasks by status per person")).to_have_count(0)
    with step("this week's busiest are a ranked list of what the database holds"):
        ranking = main(page).get_by_test_id("stTable")
        expect(ranking.locator("tbody tr").first).to_be_visible()
        shown = [
            [cell.strip() for cell in row.locator("td").all_text_contents()]
            for row in ranking.locator("tbody tr").all()
        ]
        monday = monday_of(today())
        held = server.db.rows(
            "SELECT u.username, sum(e.minutes) FROM time_entries e JOIN users u "
            "ON u.id = e.user_id WHERE e.spent_on BETWEEN :m AND :s "
            "GROUP BY u.username ORDER BY 2 DESC, 1 LIMIT 5",
            m=monday,
            s=monday + dt.timedelta(days=6),
        )
        assert shown == [
            [str(rank), name, f"{minutes / 60:,.1f} h"]
            for rank, (name, minutes) in enumerate(held, start=1)
        ]
    with step("choosing Tasks and estimates draws that section instead"):
        main(page).get_by_role("tab", name="Tasks and estimates").click()
        expect(main(page).get_by_text("Tasks by status per person").first).to_be_visible()
        settle(page)
        expect(main(page).get_by_text("Team hours per day")).to_have_count(0)
        # Its two charts, and estimate accuracy's once anyone's draft carried an estimate
        # (the server is shared by the suite, so other tests' drafts may be in the range).
        assert charts.count() in (2, 3)
        expect(
            main(page).get_by_text("Estimate accuracy by person and kind of work").first
        ).to_be_visible()
    with step("its table of tasks by status counts what the database holds"):
        with page.expect_download() as got:
            page.locator(".st-key-tasks-by-status-csv").get_by_role("button").click()
        [row] = [r for r in served_csv(got.value) if r["Person"] == ann.username]
    held = dict(
        server.db.rows(
            "SELECT status, count(*) FROM tasks WHERE assignee_id = :u GROUP BY status",
            u=ann.actor.id,
        )
    )
    assert (int(row["To do"]), int(row["Done in range"])) == (held["todo"], held["done"])
    with step("and back to the team's time"):
        main(page).get_by_role("tab", name="Team time").click()
        expect(main(page).get_by_text("Team hours per day").first).to_be_visible()
        settle(page)
        expect(charts).to_have_count(2)
        expect(main(page).get_by_test_id("stTable")).to_have_count(1)


def test_account_profile_and_password(signed_in, person, server, step):
    mia = person()
    page = signed_in(mia, "/my-account")
    profile = main(page).get_by_test_id("stForm").filter(has=button(page, "Save profile"))
    with step("save a full name with Enter"):
        textbox(profile, "Full name").fill("Mia Mustermann")
        textbox(profile, "Full name").press("Enter")
        toast(page, "Profile saved.")
        expect(main(page)).to_contain_text(f"Signed in as {mia.username} (Mia Mustermann)")
        expect(textbox(profile, "Full name")).to_have_value("Mia Mustermann")
    assert (
        server.db.scalar("SELECT full_name FROM users WHERE id = :u", u=mia.actor.id)
        == "Mia Mustermann"
    )
    with step("change the password; this browser stays signed in"):
        form = main(page).get_by_test_id("stForm").filter(has=button(page, "Change password"))
        form.get_by_label("Current password", exact=True).fill(mia.password)
        form.get_by_label("New password", exact=True).fill("a brand new passphrase")
        form.get_by_label("Repeat the new password", exact=True).fill("a brand new passphrase")
        button(form, "Change password").click()
        toast(page, "Password changed.")
        settle(page)
        expect(form.get_by_label("Current password", exact=True)).to_have_value("")
        page.reload()
        expect(heading(page, "Account")).to_be_visible()
    assert (
        server.db.scalar("SELECT token_version FROM users WHERE id = :u", u=mia.actor.id)
        == mia.actor.token_version + 1
    )


def test_plan_my_day_opens_a_task_from_the_plan(signed_in, person, server, step):
    mia = person()
    task = tasks.create_task(server.db.uow(), actor=mia.actor, title="Plan me", estimate="1h")
    page = signed_in(mia)
    with step("plan the day: the plan has its room on the page, not in the sidebar"):
        button(main(page), "Plan my day").click()
        panel = page.locator(".st-key-day_plan_panel")
        expect(panel).to_contain_text(f"#{task.id} Plan me")
        expect(panel).to_contain_text("Planned by rules (no Gemini API key is set)")
        expect(sidebar(page).get_by_text("Today's plan")).to_have_count(0)
    with step("open the planned task"):
        panel.get_by_role("button", name="Open").first.click()
        expect(dialog(page)).to_contain_text(f"Task #{task.id}")
    assert f"task={task.id}" in page.url
