"""My tasks' table (its default view) in Chromium: a row's Open button or its selection opens
its task, a selection is used once (the next row opens that row's task), and a chosen view
survives a reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from sprintsync.services import tasks
from tests.e2e.e2e_actions import button, card, dialog, list_view, main, open_row, settle, toast


def test_a_row_opens_its_task_and_the_next_row_opens_the_next(signed_in, person, server, step):
    mia = person()
    made = [
        tasks.create_task(server.db.uow(), actor=mia.actor, title=title)
        for title in ("Oldest task", "Middle task", "Newest task")
    ]
    page = signed_in(mia)
    with step("the table is the default view: no cards"):
        expect(main(page).get_by_test_id("stDataFrame")).to_be_visible()
        expect(main(page)).to_contain_text("Open a task (or select its row)")
        expect(card(page, "Middle task")).to_have_count(0)
    with step("the second row, selected, opens the middle task; start it there"):
        panel = open_row(page, 1, by_selecting=True)
        expect(panel).to_contain_text(f"Task #{made[1].id}")
        expect(panel).to_contain_text("Middle task")
        settle(page)
        button(panel, "Start").click()
        toast(page, f"Task #{made[1].id} moved to in progress.")
        expect(button(panel, "Done")).to_be_visible()
    with step("text typed in Edit survives a look at another tab"):
        panel.get_by_role("tab", name="Edit").click()
        settle(page)  # the tab's content is drawn by the run its click asks for
        title = panel.get_by_role("textbox", name="Title", exact=True)
        title.fill("Middle task, half renamed")
        panel.get_by_role("tab", name="Log time").click()
        settle(page)
        panel.get_by_role("tab", name="Edit").click()
        settle(page)
        expect(title).to_have_value("Middle task, half renamed")
    with step("closed, it stays closed; the first row's Open opens the newest task"):
        page.keyboard.press("Escape")
        expect(dialog(page)).to_have_count(0)
        settle(page)
        expect(dialog(page)).to_have_count(0)
        panel = open_row(page, 0)
        expect(panel).to_contain_text(f"Task #{made[2].id}")
        page.keyboard.press("Escape")
        expect(dialog(page)).to_have_count(0)
    assert server.db.rows(
        "SELECT title, status FROM tasks WHERE created_by_id = :u ORDER BY id", u=mia.actor.id
    ) == [("Oldest task", "todo"), ("Middle task", "in_progress"), ("Newest task", "todo")]
    with step("the list of cards, chosen, is still there after a reload"):
        list_view(page)
        expect(page).to_have_url(re.compile(r"[?&]view=list"))
        page.reload()
        expect(card(page, "Oldest task")).to_be_visible()
        expect(main(page).get_by_test_id("stDataFrame")).to_have_count(0)
