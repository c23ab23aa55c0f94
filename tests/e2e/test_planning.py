"""Planning where people see it, in Chromium against a real server: a member files a task in
a project's sprint with a priority, a due date and a new tag; cards show them; the filters
narrow the list, are named, survive a visit to another page and say which of them hide
everything; the board shows one sprint; the Edit tab moves a task to the next sprint; a
manager's Analytics charts time by project and offers it as CSV. Each step is checked in the
database behind the page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import string
from pathlib import Path

from playwright.sync_api import Page, expect

from sprintsync.clock import today
from sprintsync.services import projects, sprints, tasks, timelog
from sprintsync.services.views import CONSOLE
from tests.e2e.e2e_actions import (
    button,
    card,
    dialog,
    list_view,
    main,
    more_filters,
    new_task_form,
    open_page,
    settle,
    textbox,
    toast,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"


def new_key() -> str:
    """A project key of its own: the server is shared by the whole suite."""
    return "P" + "".join(random.choices(string.ascii_uppercase, k=7))


def day(offset: int) -> dt.date:
    return today() + dt.timedelta(days=offset)


def plan(server) -> dict:
    """A project with a sprint running now and the next one."""
    uow, key = server.db.uow, new_key()
    project = projects.create_project(uow(), actor=CONSOLE, key=key, name="Website")
    now = sprints.create_sprint(
        uow(), actor=CONSOLE, project_id=project.id, name="Sprint A", starts_on=day(-2),
        ends_on=day(5),
    )  # fmt: skip
    later = sprints.create_sprint(
        uow(), actor=CONSOLE, project_id=project.id, name="Sprint B", starts_on=day(6),
        ends_on=day(13),
    )  # fmt: skip
    return {"key": key, "project": project, "now": now, "later": later}


def pick(scope, label: str, option: str, page: Page) -> None:
    """Choose `option` in the selectbox labelled `label`."""
    box = scope.get_by_test_id("stSelectbox").filter(has_text=label)
    settle(page)
    box.click()
    box.locator("input").fill(option)  # searched, as a person does in a long list
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def filed(server, title: str) -> list[tuple]:
    return server.db.rows(
        """SELECT p.key, s.name, t.priority, t.due_date,
                  (SELECT string_agg(g.name, ',' ORDER BY g.name) FROM task_tags tt
                   JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id)
           FROM tasks t JOIN projects p ON p.id = t.project_id
           LEFT JOIN sprints s ON s.id = t.sprint_id WHERE t.title = :t""",
        t=title,
    )


def test_a_member_files_a_task_in_a_sprint_and_finds_it_with_the_filters(
    signed_in, person, server, step
):
    work, mia = plan(server), person()
    key, tag = work["key"], f"rel-{work['key'].lower()}"
    tasks.create_task(
        server.db.uow(), actor=mia.actor, title="Late invoice", project_id=work["project"].id,
        priority="urgent", due=day(-1),
    )  # fmt: skip
    page = signed_in(mia)
    list_view(page)

    with step("file a task in the running sprint with a priority, a due date and a new tag"):
        form = new_task_form(page)
        textbox(form, "Title").fill("Release notes")
        pick(form, "Project", f"{key} · Website", page)
        pick(form, "Sprint (optional)", f"{key} · Sprint A (active)", page)
        pick(form, "Priority", "High", page)
        due = form.get_by_test_id("stDateInput").locator("input")
        due.fill(f"{day(3):%Y-%m-%d}")
        due.press("Enter")
        tags_box = form.get_by_test_id("stMultiSelect").locator("input")
        tags_box.fill(tag)
        tags_box.press("Enter")
        page.keyboard.press("Escape")
        button(form, "Create task").click()
        toast(page, "Created task #")
        assert filed(server, "Release notes") == [(key, "Sprint A", "high", day(3), tag)]

    with step("cards show project, sprint, priority, due date (overdue in red) and tags"):
        made = card(page, "Release notes")
        expect(made).to_contain_text(f"{key} · Sprint A")
        expect(made).to_contain_text("High")
        expect(made).to_contain_text(f"due {day(3):%a %d %b %Y}")
        expect(made).to_contain_text(f"Tags: {tag}")
        late = card(page, "Late invoice")
        expect(late).to_contain_text("Urgent")
        overdue = late.get_by_text(f"due {day(-1):%a %d %b %Y}, overdue")
        expect(overdue).to_be_visible()
        colour = overdue.evaluate("el => getComputedStyle(el).color")
        red, green, _ = (int(c) for c in colour[colour.index("(") + 1 : -1].split(",")[:3])
        assert red > 150 and green < 100, colour  # Streamlit's red

    with step("filter by the tag: one card, the filter named"):
        pick(more_filters(page), "Tag", tag, page)
        expect(main(page).get_by_text(f"Filtered by tag {tag}.")).to_be_visible()
        expect(card(page, "Release notes")).to_be_visible()
        expect(card(page, "Late invoice")).to_have_count(0)

    with step("another page and back: the filter is still on, its box folded"):
        open_page(page, "My time")
        open_page(page, "My tasks")
        expect(main(page).get_by_text("Tag", exact=True)).to_have_count(0)
        expect(main(page).get_by_text(f"Filtered by tag {tag}.")).to_be_visible()
        expect(card(page, "Late invoice")).to_have_count(0)
        expect(card(page, "Release notes")).to_be_visible()

    with step("opened again, the box shows the tag still chosen"):
        box = more_filters(page)
        chosen = box.get_by_test_id("stSelectbox").filter(has_text="Tag").locator("input")
        expect(chosen).to_have_value(tag)

    with step("a filter that hides everything is named in the empty result"):
        pick(more_filters(page), "Due", "Overdue", page)
        expect(
            main(page).get_by_text(f"No tasks match these filters: tag {tag}; overdue.")
        ).to_be_visible()
        button(main(page), "Clear filters").click()
        settle(page)
        expect(card(page, "Late invoice")).to_be_visible()
        expect(card(page, "Release notes")).to_be_visible()

    with step("the board of the sprint shows its tasks by status"):
        main(page).get_by_role("button", name="Board").or_(
            main(page).get_by_role("radio", name="Board")
        ).first.click()
        settle(page)
        pick(main(page), "Sprint (the board's)", f"{key} · Sprint A (active)", page)
        expect(main(page).get_by_text(f"Board of {key} · Sprint A (")).to_be_visible()
        expect(main(page).get_by_role("heading", name="To do (1)")).to_be_visible()
        expect(card(page, "Release notes")).to_be_visible()
        expect(card(page, "Late invoice")).to_have_count(0)
        page.screenshot(path=server_screens(step) / "board-of-a-sprint.png", full_page=True)


def server_screens(step):
    """Where the pictures of what a person sees go: docs/screenshots with `make screenshots`
    (SPRINTSYNC_SCREENSHOTS=docs), else the suite's artifacts, kept to look at."""
    target = os.environ.get("SPRINTSYNC_SCREENSHOTS")
    folder = ROOT / target / "screenshots" if target else ARTIFACTS / "planning"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_member_moves_their_task_to_the_next_sprint_and_a_closed_one_is_refused(
    signed_in, person, server, step
):
    work, mia = plan(server), person()
    task = tasks.create_task(
        server.db.uow(), actor=mia.actor, title="Search box", project_id=work["project"].id,
        sprint_id=work["now"].id,
    )  # fmt: skip
    page = signed_in(mia, f"/?task={task.id}")
    panel = dialog(page)
    expect(panel).to_be_visible()
    with step("in the Edit tab, choose the next sprint and save"):
        panel.get_by_role("tab", name="Edit").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        pick(panel, "Sprint (optional)", f"{work['key']} · Sprint B (planned)", page)
        button(panel, "Save changes").click()
        toast(page, f"Saved task #{task.id}.")
        assert filed(server, "Search box") == [(work["key"], "Sprint B", "normal", None, None)]

    with step("a sprint that closes while the form is open is refused; the choice stays"):
        page.goto(f"/?task={task.id}")
        panel = dialog(page)
        panel.get_by_role("tab", name="Edit").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        pick(panel, "Sprint (optional)", f"{work['key']} · Sprint A (active)", page)
        textbox(panel, "Title").fill("Search box, faster")
        server.db.execute(
            "UPDATE sprints SET starts_on = :a, ends_on = :b WHERE id = :id",
            a=day(-9), b=day(-1), id=work["now"].id,
        )  # fmt: skip
        button(panel, "Save changes").click()
        expect(panel.get_by_text("Sprint 'Sprint A' is closed")).to_be_visible()
        expect(textbox(panel, "Title")).to_have_value("Search box, faster")
        assert filed(server, "Search box") == [(work["key"], "Sprint B", "normal", None, None)]


def test_a_manager_sees_time_by_project_and_downloads_it(signed_in, person, server, step):
    work, lead, ann = plan(server), person("manager"), person()
    task = tasks.create_task(
        server.db.uow(), actor=ann.actor, title="Planned work", project_id=work["project"].id,
        sprint_id=work["now"].id, estimate="2h",
    )  # fmt: skip
    timelog.log_time(server.db.uow(), actor=ann.actor, task_id=task.id, duration="1h30m")
    page = signed_in(lead, "/team-analytics")
    with step("the projects and sprints section charts the project"):
        main(page).get_by_role("tab", name="Projects and sprints").click()
        pick(main(page), "Project", work["key"], page)
        expect(main(page).get_by_text("Time per project per week").first).to_be_visible()
        expect(main(page).get_by_text("Time per person per project").first).to_be_visible()
        expect(
            main(page).get_by_text("Estimate against time logged by sprint").first
        ).to_be_visible()
        expect(main(page).get_by_text(f"Velocity of {work['key']}").first).to_be_visible()
        page.screenshot(path=server_screens(step) / "analytics-projects.png", full_page=True)

    with step("its CSV is the table: the project's hours, as logged"):
        with page.expect_download() as got:
            page.locator(".st-key-time-per-project-csv").get_by_role("button").click()
        rows = list(csv.DictReader(io.StringIO(got.value.path().read_text())))
        assert [(r["Project"], float(r["Hours"])) for r in rows] == [(work["key"], 1.5)]
    logged = server.db.scalar(
        "SELECT sum(e.minutes) FROM time_entries e JOIN tasks t ON t.id = e.task_id "
        "WHERE t.project_id = :p",
        p=work["project"].id,
    )
    assert logged == 90
