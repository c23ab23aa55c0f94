"""Every Admin action in Chromium, checked in the database: create a user (the form empties,
the password shows once), change a role, deactivate and reactivate (the selection stays on
that person), reset a password (its owner must replace it), and the audit log."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.e2e_actions import button, choose_user, main, settle, textbox, toast


def chosen(page):
    return main(page).get_by_role("combobox", name="User", exact=True)


def user_row(server, username: str):
    [row] = server.db.rows(
        "SELECT role, is_active, must_change_password FROM users WHERE username = :u", u=username
    )
    return tuple(row)


def test_creating_a_user_shows_the_password_once_and_empties_the_form(
    signed_in, person, server, step
):
    page = signed_in(person("admin"), "/administration")
    form = main(page).get_by_test_id("stForm").filter(has=button(page, "Create user"))
    with step("the people table says never for someone who never signed in"):
        expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
        expect(main(page).get_by_text("None", exact=True)).to_have_count(0)
    with step("create a manager with a double click"):
        textbox(form, "Username").fill("made-by-admin")
        textbox(form, "Full name").fill("Made By Admin")
        form.get_by_test_id("stSelectbox").click()
        page.get_by_role("option", name="Manager", exact=True).click()
        button(form, "Create user").dblclick()
        toast(page, "Created made-by-admin.")
        settle(page)
    with step("the temporary password shows once; the form is empty"):
        code = main(page).get_by_test_id("stCode")
        expect(code).to_have_count(1)
        expect(textbox(form, "Username")).to_have_value("")
        expect(textbox(form, "Full name")).to_have_value("")
    assert user_row(server, "made-by-admin") == ("manager", True, True)
    assert server.db.scalar("SELECT count(*) FROM users WHERE username = 'made-by-admin'") == 1
    with step("gone after the next click"):
        main(page).get_by_role("tab", name="Audit log").click()
        main(page).get_by_role("tab", name="People").click()
        page.reload()
        expect(main(page).get_by_test_id("stCode")).to_have_count(0)


def test_role_and_active_changes_keep_the_person_selected(signed_in, person, server, step):
    admin, bea = person("admin"), person()
    page = signed_in(admin, "/administration")
    with step("choose the member"):
        choose_user(page, bea.username)
        expect(chosen(page)).to_have_value(bea.username)
    with step("make them a manager"):
        roles = main(page).get_by_test_id("stSelectbox").filter(has_text="Role").last
        roles.click()
        page.get_by_role("option", name="Manager", exact=True).click()
        settle(page)
        button(main(page), "Change role").click()
        toast(page, f"{bea.username} is now manager.")
        expect(chosen(page)).to_have_value(bea.username)
        expect(main(page).get_by_text(re.compile(r"^Manager · active"))).to_be_visible()
    assert user_row(server, bea.username)[:2] == ("manager", True)
    with step("deactivate them, confirming first"):
        button(main(page), "Deactivate").click()
        settle(page)  # a person reads the question first
        button(main(page), f"Yes, deactivate {bea.username}").click()
        toast(page, f"Deactivated {bea.username}.")
        expect(chosen(page)).to_have_value(bea.username)  # not the admin's own account
        expect(main(page).get_by_text(re.compile(r"^Manager · deactivated"))).to_be_visible()
    assert user_row(server, bea.username)[:2] == ("manager", False)
    with step("the next click, Reactivate, works on them"):
        button(main(page), "Reactivate").click()
        toast(page, f"Reactivated {bea.username}.")
        expect(chosen(page)).to_have_value(bea.username)
        expect(button(main(page), "Deactivate")).to_be_visible()
    assert user_row(server, bea.username)[:2] == ("manager", True)
    assert user_row(server, admin.username)[:2] == ("admin", True)


def test_a_reset_password_must_be_replaced_by_its_owner(signed_in, person, server, step):
    admin, cy = person("admin"), person()
    page = signed_in(admin, "/administration")
    with step("reset the member's password, confirming first"):
        choose_user(page, cy.username)
        button(main(page), "Reset password").click()
        expect(main(page).get_by_text(f"Reset the password of {cy.username}?")).to_be_visible()
        settle(page)
        button(main(page), "Yes, reset the password").click()
        toast(page, f"Reset the password of {cy.username}.")
        expect(main(page).get_by_test_id("stCode")).to_have_count(1)
    assert user_row(server, cy.username) == ("member", True, True)


def test_the_audit_log_filters_by_actor_and_action(signed_in, person, server, step):
    admin, dee = person("admin"), person()
    from sprintsync.services import users

    users.set_role(server.db.uow(), actor=admin.actor, username=dee.username, role="manager")
    page = signed_in(admin, "/administration")
    with step("filter the log to this admin's role changes"):
        main(page).get_by_role("tab", name="Audit log").click()
        actor = main(page).get_by_test_id("stSelectbox").filter(has_text="Actor")
        actor.click()
        page.get_by_role("option", name=admin.username, exact=True).click()
        settle(page)
        action = main(page).get_by_test_id("stSelectbox").filter(has_text="Action")
        action.click()
        page.get_by_role("option", name="user.set_role", exact=True).click()
        settle(page)
        expect(main(page).get_by_text(re.compile(r"^1 entries, page 1 of 1"))).to_be_visible()
    assert (
        server.db.scalar(
            "SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.actor_id "
            "WHERE u.username = :u AND a.action = 'user.set_role'",
            u=admin.username,
        )
        == 1
    )
