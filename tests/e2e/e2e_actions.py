"""What a user does in the browser, in words the tests read as steps."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

ADMIN_USERNAME = "e2e-admin"
ADMIN_PASSWORD = "e2e admin passphrase"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def heading(page: Page, title: str) -> Locator:
    return page.get_by_role("heading", name=title, exact=True, level=1)


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def dialog(page: Page) -> Locator:
    return page.get_by_role("dialog")


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
    """Follow the sidebar's navigation link to a page: one click, as a person does."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(heading(page, title)).to_be_visible()
    settle(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_form(page)


def settle(page: Page) -> None:
    """Wait until the rerun that the last input asked for has finished."""
    page.wait_for_timeout(250)  # the request is sent asynchronously after the event
    page.locator(IDLE).wait_for()


def choose_user(page: Page, username: str) -> None:
    """Pick a person in the Admin page's User selector."""
    main(page).get_by_test_id("stSelectbox").filter(has_text="User").click()
    page.get_by_role("option", name=username, exact=True).click()
    settle(page)


def toast(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_test_id("stToast").filter(has_text=text)).to_be_visible()


def textbox(scope: Page | Locator, label: str) -> Locator:
    return scope.get_by_role("textbox", name=label, exact=True)


def button(scope: Page | Locator, label: str) -> Locator:
    return scope.get_by_role("button", name=label, exact=True)


def error(scope: Page | Locator, text: str) -> Locator:
    return scope.get_by_test_id("stAlertContentError").filter(has_text=text)


def enter(page: Page, label: str, value: str) -> None:
    """Type into a text input outside a form and commit it, as Enter does."""
    box = textbox(page, label)
    box.fill(value)
    box.press("Enter")
    settle(page)


def list_view(page: Page) -> None:
    """Show My tasks as the list of cards (the table is the default view). Clicking the
    chosen view would unchoose it, so it is clicked only when not chosen."""
    choice = main(page).get_by_role("radio", name="List")
    expect(choice).to_be_visible()
    if choice.get_attribute("aria-checked") != "true":
        choice.click()
        settle(page)
    expect(choice).to_have_attribute("aria-checked", "true")


# Where a row's parts are on My tasks' table, which Streamlit draws on a canvas: 35 px a row,
# the row's checkbox at its left edge, then its Open button (a 75 px column).
ROW_PX, CHECKBOX_X, OPEN_X = 35, 12, 70


def open_row(page: Page, row: int, *, by_selecting: bool = False) -> Locator:
    """Open the task in row `row` (from 0, the header not counted) of My tasks' table with
    its Open button, or by selecting the row (its checkbox)."""
    settle(page)
    table = main(page).get_by_test_id("stDataFrame").first
    x = CHECKBOX_X if by_selecting else OPEN_X
    table.click(position={"x": x, "y": ROW_PX * (row + 1) + 17})
    expect(dialog(page)).to_be_visible()
    return dialog(page)


def card(page: Page, title: str) -> Locator:
    """The task card (list or board) whose title is exactly `title`."""
    return (
        main(page)
        .locator("[class*='st-key-list-card-'], [class*='st-key-board-card-']")
        .filter(has=page.get_by_text(title, exact=True))
    )


def open_from_card(page: Page, title: str) -> Locator:
    """Open the task titled `title` from its card in the list view; the dialog, once its
    first run has ended (what is typed in it from then on is kept)."""
    list_view(page)
    button(card(page, title), "Open").click()
    expect(dialog(page)).to_contain_text(title)
    settle(page)
    return dialog(page)


def more_filters(page: Page) -> Locator:
    """My tasks' More filters box (project, sprint, tag, priority, due date), opened if it is
    folded: its filters are drawn only while it is open, so they come a run after the click."""
    box = main(page).get_by_test_id("stExpander").filter(has_text="More filters")
    settle(page)
    if not box.get_by_text("Project", exact=True).is_visible():
        box.locator("summary").click()
        settle(page)
    expect(box.get_by_text("Due", exact=True)).to_be_visible()
    return box


def new_task_form(page: Page) -> Locator:
    """My tasks' New task form, opened if it is folded away (its widgets are drawn once the
    box has been opened, so the Title box may come a run after the click, and the Create
    task button after it: Enter in a form without its submit button yet does nothing)."""
    form = main(page).get_by_test_id("stExpander").filter(has_text="New task")
    settle(page)
    if not textbox(form, "Title").is_visible():
        form.locator("summary").click()
        settle(page)
    expect(textbox(form, "Title")).to_be_visible()
    expect(button(form, "Create task")).to_be_visible()
    return form
