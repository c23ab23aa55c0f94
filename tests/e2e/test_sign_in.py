"""Signing in and out in a real browser: the gate, the cookie across hard refreshes, and
that a signed-out browser sees only the sign-in page whatever URL it opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sprintsync.services.session_token import COOKIE_NAME
from sprintsync.ui.warm_up import KEY as WARM_UP
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

# Counts the placeholders Streamlit draws while an element's code loads, from now on, and
# keeps the start of each (window.placeholders: which element was waiting).
PLACEHOLDERS_SEEN = """() => {
  window.placeholdersSeen = 0;
  window.placeholders = [];
  new MutationObserver((changes) => {
    for (const change of changes) for (const node of change.addedNodes) {
      if (node.nodeType === 1 && (node.matches('[data-testid="stSkeleton"]')
          || node.querySelector('[data-testid="stSkeleton"]'))) {
        window.placeholdersSeen++;
        window.placeholders.push(node.outerHTML.slice(0, 200));
      }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""


# What has the focus: "warm-up" inside the hidden elements, else its text or label.
FOCUSED = """() => {
  const el = document.activeElement;
  if (el.closest('.st-key-warm-up')) return 'warm-up';
  return (el.innerText || el.getAttribute('aria-label') || el.tagName).trim();
}"""


def session_cookie(page):
    return next((c for c in page.context.cookies() if c["name"] == COOKIE_NAME), None)


def test_sign_in_survives_a_hard_refresh_and_sign_out_gates_the_app_again(page, step):
    with step("a visitor sees the sign-in form"):
        page.goto("/")
        expect_sign_in_form(page)

    with step("one element of each kind the pages draw is drawn, out of sight and reach"):
        warm_up = page.locator(f".st-key-{WARM_UP}")
        expect(warm_up.locator(".js-plotly-plot")).to_be_attached()  # the last one drawn
        expect(warm_up.get_by_test_id("stSkeleton")).to_have_count(0)  # none still loading
        expect(warm_up).to_be_hidden()
        expect(page.get_by_role("radio")).to_have_count(0)  # not in the accessibility tree
        page.get_by_label("Username", exact=True).focus()
        visited = []
        for _ in range(8):  # and never reached by Tab: it goes round the form and the link
            page.keyboard.press("Tab")
            visited.append(page.evaluate(FOCUSED))
        assert "Sign in" in visited
        assert "warm-up" not in visited
        page.evaluate(PLACEHOLDERS_SEEN)

    with step("a wrong password is refused"):
        sign_in(page, ADMIN_USERNAME, "not the password")
        expect(page.get_by_text("Invalid username or password.")).to_be_visible()

    with step("the admin signs in"):
        sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
        expect(heading(page, "My tasks")).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text(ADMIN_USERNAME)).to_be_visible()
        expect(page.get_by_text("Role: admin")).to_be_visible()
        # My tasks drew each element at once, with no placeholder while its code loaded.
        expect(page.get_by_test_id("stMain").get_by_test_id("stButtonGroup")).to_be_visible()
        assert page.evaluate("window.placeholdersSeen") == 0, page.evaluate("window.placeholders")

    with step("the session cookie is set"):
        page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=')")
        cookie = session_cookie(page)
        assert cookie["sameSite"] == "Strict"

    with step("a hard refresh keeps the admin signed in on the same page"):
        open_page(page, "Account")
        page.reload()
        expect(heading(page, "Account")).to_be_visible()
        assert page.url.endswith("/my-account")

    with step("the reloaded page drew the hidden elements after its own, once loaded"):
        warm_up = page.locator(f".st-key-{WARM_UP}")
        expect(warm_up.locator(".js-plotly-plot")).to_be_attached()
        expect(warm_up.get_by_test_id("stSkeleton")).to_have_count(0)
        expect(warm_up).to_be_hidden()
        page.evaluate(PLACEHOLDERS_SEEN)
        open_page(page, "Analytics")  # a date field and a multiselect, the first since the reload
        expect(page.get_by_role("combobox", name="People")).to_be_visible()
        assert page.evaluate("window.placeholdersSeen") == 0, page.evaluate("window.placeholders")
        expect(warm_up).to_have_count(0)  # gone with the next run: drawn once per page load

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


# Installed before any page script: the most links the sidebar navigation ever showed, and
# every URL path it ever linked to, from the first paint on (a flash counts).
WATCH_NAV = """
window.__navSeen = {most: 0, hrefs: []};
new MutationObserver(() => {
  const links = document.querySelectorAll('[data-testid="stSidebarNav"] a');
  window.__navSeen.most = Math.max(window.__navSeen.most, links.length);
  links.forEach(a => window.__navSeen.hrefs.includes(a.pathname) ||
                     window.__navSeen.hrefs.push(a.pathname));
}).observe(document, {subtree: true, childList: true});
"""


@pytest.mark.parametrize("how", ["serve", "streamlit"])
def test_from_a_fresh_servers_first_page_load_every_url_shows_only_sign_in(browser, step, how):
    # A process's first page load is where Streamlit's old pages/-directory mode would list
    # every page file and run the one named in the URL without app.py's gate; with no pages/
    # folder next to app.py it never starts, for `streamlit run app.py` as for serve.
    with start_server(how) as fresh:
        # The first load of the process first, then the others (a page file's name last).
        for path in ("/administration", "/", "/my-time", "/my_time", "/admin"):
            context = browser.new_context(base_url=fresh.url)
            context.add_init_script(WATCH_NAV)
            page = context.new_page()
            step.page = page
            with step(f"open {path}"):
                page.goto(path)
                expect_sign_in_form(page)
                # A page file's name is no URL of the app: Streamlit says so, shows sign-in.
                known = path in ("/", "/administration", "/my-time")
                notice = page.get_by_role("dialog", name="Page not found")
                expect(notice).to_have_count(0 if known else 1)
                expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_count(2)
                seen = page.evaluate("window.__navSeen")
                assert seen["most"] <= 2, seen
                assert set(seen["hrefs"]) <= {"/", "/sign-up"}, seen
                expect(heading(page, "Admin")).to_have_count(0)
            with step(f"sign in on {path} and land on the page it names"):
                if not known:
                    page.keyboard.press("Escape")  # the notice is modal
                    expect(notice).to_have_count(0)
                sign_in(page, ADMIN_USERNAME, ADMIN_PASSWORD)
                landing = {"/administration": "Admin", "/my-time": "My time"}.get(path, "My tasks")
                expect(heading(page, landing)).to_be_visible()
            context.close()
        assert fresh.db.scalar("SELECT count(*) FROM users WHERE username = :u", u=ADMIN_USERNAME)


def test_the_first_click_after_signing_in_goes_where_it_was_meant_to(page, person, step):
    mia = person()
    for attempt in range(3):
        with step(f"sign in and at once follow a link ({attempt + 1})"):
            page.goto("/")
            expect_sign_in_form(page)
            sign_in(page, mia.username, mia.password)
            expect(heading(page, "My tasks")).to_be_visible()
            # No waiting for the app to settle: a person clicks as soon as they see the link.
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="My time").click()
            expect(heading(page, "My time")).to_be_visible()
            page.wait_for_timeout(1500)  # a late rerun would take the page back
            expect(heading(page, "My time")).to_be_visible()
            sign_out(page)


def test_signing_up_makes_a_member_who_can_sign_in(page, server, step):
    name = "new-signup-e2e"
    with step("open sign-up from the sign-in page"):
        page.goto("/")
        page.get_by_role("link", name="No account yet? Sign up").click()
        expect(heading(page, "Create your account")).to_be_visible()
    with step("fill in the details"):
        page.get_by_label("First name", exact=True).fill("Nadia")
        page.get_by_label("Last name", exact=True).fill("New")
        page.get_by_label("Username", exact=True).fill(name)
        page.get_by_label("Password", exact=True).fill("my chosen passphrase")
        page.get_by_label("Repeat password", exact=True).fill("my chosen passphrase")
        page.get_by_role("button", name="Create account").click()
        expect_sign_in_form(page)
        expect(page.get_by_text(f"Account {name} created.")).to_be_visible()
    assert server.db.rows(
        "SELECT role, full_name, must_change_password FROM users WHERE username = :u", u=name
    ) == [("member", "Nadia New", False)]
    with step("sign in with the new account"):
        sign_in(page, name, "my chosen passphrase")
        expect(heading(page, "My tasks")).to_be_visible()
        expect(page.get_by_text("Role: member")).to_be_visible()


def test_a_temporary_password_must_be_replaced_before_anything_else(page, server, step):
    from sprintsync.services import users
    from sprintsync.services.views import CONSOLE

    temporary = users.create_user(server.db.uow(), actor=CONSOLE, username="temp-e2e").password
    with step("sign in with the temporary password on a deep link"):
        page.goto("/my-time")
        sign_in(page, "temp-e2e", temporary)
        expect(heading(page, "Choose your password")).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_count(0)
    with step("no app page is reachable by its URL"):
        page.goto("/my-tasks")
        expect(heading(page, "Choose your password")).to_be_visible()
        expect(heading(page, "My tasks")).to_have_count(0)
    with step("choose a password and carry on where the URL said"):
        page.get_by_label("Temporary password", exact=True).fill(temporary)
        page.get_by_label("New password", exact=True).fill("only I know this one")
        page.get_by_label("Repeat the new password", exact=True).fill("only I know this one")
        page.get_by_label("Repeat the new password", exact=True).press("Enter")
        expect(heading(page, "My tasks")).to_be_visible()
    assert (
        server.db.scalar("SELECT must_change_password FROM users WHERE username = 'temp-e2e'")
        is False
    )
