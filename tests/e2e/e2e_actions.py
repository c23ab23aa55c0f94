"""What a user does in the browser, in words the tests read as steps."""

from __future__ import annotations

from playwright.sync_api import Page, expect

ADMIN_USERNAME = "e2e-admin"
ADMIN_PASSWORD = "e2e admin passphrase"


def heading(page: Page, title: str):
    return page.get_by_role("heading", name=title, exact=True, level=1)


def expect_sign_in_form(page: Page) -> None:
    # Counts first: while a rerun replaces the page, the old and new form can both be there.
    expect(page.get_by_label("Username", exact=True)).to_have_count(1)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def open_page(page: Page, title: str) -> None:
    """Follow the sidebar's navigation link to a page. Right after sign-in the app is still
    confirming its cookie write, and a rerun that lands just after the click can keep the old
    page: wait for the app to be idle, and click again if the page did not change."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title)
    for attempt in range(3):
        settle(page)
        link.click()
        try:
            expect(heading(page, title)).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            if attempt == 2:
                raise


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_form(page)


def settle(page: Page) -> None:
    """Wait until the rerun that the last input asked for has finished."""
    page.wait_for_timeout(300)  # the request is sent asynchronously after the event
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()


def enter(page: Page, label: str, value: str) -> None:
    """Type into a text input outside a form and commit it, as Enter does: a value still only
    typed could be lost to a button click that reruns first."""
    box = page.get_by_role("textbox", name=label, exact=True)
    box.fill(value)
    box.press("Enter")
    settle(page)
