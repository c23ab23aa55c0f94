"""What the second review changed that a person sees, in Chromium: a locked name is unlocked
by an admin from the Admin page (and the sign-in works again, checked in the database), and
the Team page's CSV download marks a formula typed as a task title as text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
from playwright.sync_api import expect

from tests.e2e.e2e_actions import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    choose_user,
    expect_sign_in_form,
    heading,
    new_task_form,
    open_page,
    settle,
    sign_in,
    sign_out,
    textbox,
    toast,
)

MEMBER = "locked-out"
FORMULA = '=HYPERLINK("http://evil.example","bonus")'
LOCKED = "Too many failed sign-in attempts"


def test_an_admin_unlocks_a_locked_name_from_the_admin_page(server, page, person, step):
    with step("a member guesses wrong five times and is locked out"):
        member = person(name=MEMBER)
        page.goto("/")
        expect_sign_in_form(page)
        for _ in range(5):
            sign_in(page, MEMBER, "not the password")
            settle(page)
        expect(page.get_by_text(LOCKED)).to_be_visible()
        sign_in(page, MEMBER, member.password)
        settle(page)
        expect(page.get_by_text(LOCKED)).to_be_visible()

    with step("the admin sees the lock and lifts it"):
        page.reload()
        expect_sign_in_form(page)
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()
        open_page(page, "Admin")
        choose_user(page, MEMBER)
        page.get_by_role("button", name="Unlock sign-in").click()
        expect(page.get_by_text(f"{MEMBER} can sign in again.")).to_be_visible()
        sign_out(page)

    with step("the member signs in"):
        sign_in(page, MEMBER, member.password)
        expect(heading(page, "My tasks")).to_be_visible()

    listed = {u["username"]: u for u in json.loads(server.cli("users", "list", "--json"))}
    assert listed[MEMBER]["is_active"]


def test_the_team_download_marks_a_formula_title_as_text(server, page, person, step):
    manager = person("manager")
    with step("a manager creates a task titled like a formula"):
        page.goto("/")
        expect_sign_in_form(page)
        sign_in(page, manager.username, manager.password)
        expect(heading(page, "My tasks")).to_be_visible()
        form = new_task_form(page)
        textbox(form, "Title").fill(FORMULA)
        form.get_by_role("button", name="Create task").click()
        toast(page, "Created task #")

    with step("the Team page's CSV holds it as text"):
        open_page(page, "Team")
        with page.expect_download() as downloaded:
            page.get_by_role("button", name="Download this page as CSV").click()
        path = downloaded.value.path()
        table = pd.read_csv(io.StringIO(Path(path).read_text()), dtype=str)
        titles = table["Title"].tolist()
        assert "'" + FORMULA in titles
        assert FORMULA not in titles

    in_db = json.loads(server.cli("tasks", "list", "--as", manager.username, "--json"))
    assert FORMULA in [t["title"] for t in in_db]  # stored as typed; only the export marks it
