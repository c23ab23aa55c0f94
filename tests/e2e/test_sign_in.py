"""Signing in and out in a real browser: the gate, the cookie across hard refreshes, and
that a signed-out browser sees only the sign-in page whatever URL it opens."""

from __future__ import annotations

from playwright.sync_api import expect

from sprintsync.services.session_token import COOKIE_NAME
from tests.e2e.app_server import start_server
from tests.e2e.e2e_actions import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    expect_sign_in_form,
    heading,
    open_page,
    sign_in,
    sign_out,
)


def session_cookie(page):
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def test_sign_in_survives_a_hard_refresh_and_sign_out_gates_the_app_again(page, step):
    with step("a visitor sees the sign-in form"):
        page.goto("/")
        expect_sign_in_form(page)

    with step("a wrong password is refused"):
        sign_in(page, ADMIN_USERNAME, "not the password")
        expect(page.get_by_text("Invalid username or password.")).to_be_visible()

    with step("the admin signs in"):
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text(ADMIN_USERNAME)).to_be_visible()
        expect(page.get_by_text("Role: admin")).to_be_visible()

    with step("the session cookie is set"):
        page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=')")
        cookie = session_cookie(page)
        assert cookie["sameSite"] == "Strict"

    with step("a hard refresh keeps the admin signed in on the same page"):
        open_page(page, "Account")
        page.reload()
        expect(heading(page, "Account")).to_be_visible()
        assert page.url.endswith("/my-account")

    with step("signing out shows the sign-in form"):
        sign_out(page)
        page.wait_for_function(f"!document.cookie.includes('{COOKIE_NAME}=')")

    with step("after a refresh the app is still gated"):
        page.reload()
        expect_sign_in_form(page)

    with step("the old cookie no longer signs anyone in"):
        page.context.add_cookies([cookie])
        page.goto("/my-account")
        expect_sign_in_form(page)
        expect(heading(page, "Account")).to_have_count(0)


def test_every_app_url_shows_only_sign_in_to_a_signed_out_visitor(page, step):
    for path in ("/my-tasks", "/my-time", "/team-tasks", "/administration", "/my-account"):
        with step(f"open {path}"):
            page.goto(path)
            expect_sign_in_form(page)
            expect(page.get_by_role("dialog")).to_have_count(0)  # no "page not found"


def test_signing_in_on_a_deep_link_lands_on_that_page(page, step):
    with step("open the admin page signed out"):
        page.goto("/administration")
        expect_sign_in_form(page)
    with step("sign in"):
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "Admin")).to_be_visible()


def test_user_text_is_shown_literally(page, step):
    odd_name = "<script>alert(1)</script> **bold** :red[x] :smile: $x$"
    with step("sign in"):
        page.goto("/")
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()
    with step("save a full name full of markup"):
        open_page(page, "Account")
        page.get_by_label("Full name").fill(odd_name)
        page.get_by_role("button", name="Save profile").click()
    with step("it reads back exactly as typed"):
        expect(page.get_by_text(f"({odd_name})", exact=False)).to_be_visible()
        assert page.locator("strong", has_text="bold").count() == 0
        assert page.dialogs == []


def test_a_deep_link_as_a_fresh_servers_first_page_load_shows_sign_in(browser, step):
    # A process's first page load is where Streamlit's old pages/-directory mode would run
    # pages/... without app.py and announce "Page not found"; `sprintsync serve` turns it off.
    with start_server() as fresh:
        context = browser.new_context(base_url=fresh.url)
        page = context.new_page()
        step.page = page
        with step("open a deep link first"):
            page.goto("/my-time")
            expect_sign_in_form(page)
            expect(page.get_by_role("dialog")).to_have_count(0)
            expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_count(2)
        with step("sign in and land on that page"):
            sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
            expect(heading(page, "My time")).to_be_visible()
        context.close()
