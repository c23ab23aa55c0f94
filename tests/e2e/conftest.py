"""A real browser against a real server: `sprintsync serve` (Streamlit running app.py) on a
free 127.0.0.1 port with a fresh data directory (its own embedded PostgreSQL), driven by
Playwright through Debian's chromium. Never downloads a browser. Run with `make e2e`;
`make test` leaves these out.

One server serves the whole session; each test makes its own people and tasks (the `person`
fixture), so tests never see each other's data. Every page a test opens is watched for
requests to any other host: the app must make none (an internal tool on an offline network)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[e2e]'")

from sprintsync.domain import Role  # noqa: E402
from sprintsync.services import users  # noqa: E402
from sprintsync.services.views import CONSOLE, Actor  # noqa: E402
from tests.e2e.app_server import Server, start_server  # noqa: E402
from tests.e2e.e2e_actions import IDLE, heading  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM = os.environ.get("SPRINTSYNC_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Streamlit reruns the whole script per click; on a loaded 2-core machine that can be slow.
EXPECT_MS = 30_000
PASSWORD = "e2e user passphrase"
SERVER_LOG_LINES = 40
_names = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
        at = getattr(item, "server_log_at", None)
        if report.failed and at is not None:
            # What the server did during the test: which runs and actions came (or did not).
            with item.funcargs["server"].log.open() as log:
                log.seek(at)
                lines = log.read().splitlines()[-SERVER_LOG_LINES:]
            report.sections.append(("server log during the test", "\n".join(lines)))
    return report


@pytest.fixture(autouse=True)
def _server_log_mark(request, server) -> None:
    request.node.server_log_at = server.log.stat().st_size


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with start_server() as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[sync_api.Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium with apt-get.")
    with sync_api.sync_playwright() as playwright:
        sync_api.expect.set_options(timeout=EXPECT_MS)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_page(browser: sync_api.Browser, server: Server) -> sync_api.Page:
    """A fresh browser context (no cookies) that records requests to any other host."""
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1400, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(EXPECT_MS)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.outside = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    own = (server.url, "data:", "blob:", "about:")
    page.on(
        "request",
        lambda request: None if request.url.startswith(own) else page.outside.append(request.url),
    )
    return page


@pytest.fixture
def page(browser, server) -> Iterator[sync_api.Page]:
    page = new_page(browser, server)
    yield page
    outside = list(page.outside)
    page.context.close()
    assert outside == [], f"the app asked other hosts for {outside}"


@dataclass(frozen=True)
class Person:
    actor: Actor
    password: str

    @property
    def username(self) -> str:
        return self.actor.username


@pytest.fixture
def person(server) -> Callable[..., Person]:
    """A new account of its own for this test (`person("manager")`), with a password they
    chose themselves."""

    def make(role: str = "member", name: str | None = None, full_name: str = "") -> Person:
        username = name or f"{role[:3]}{next(_names)}-{os.getpid() % 10_000}"
        users.register(server.db.uow(), username=username, password=PASSWORD, full_name=full_name)
        if role != "member":
            users.set_role(server.db.uow(), actor=CONSOLE, username=username, role=Role(role))
        return Person(users.actor_for(server.db.uow(), username=username), PASSWORD)

    return make


@pytest.fixture
def signed_in(page, server) -> Callable[[Person], sync_api.Page]:
    """The page signed in as `who` (their session cookie, as after signing in), on My tasks."""

    def open_as(who: Person, path: str = "/") -> sync_api.Page:
        page.context.add_cookies([server.cookie_for(who.actor)])
        page.goto(path)
        sync_api.expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.locator(IDLE).wait_for()
        return page

    return open_as


class Steps:
    """`with step("sign in"):` around each step. A screenshot is saved after every step and
    when one fails; they are kept in tests/e2e/artifacts/<test>/ only if the test fails."""

    def __init__(self, page: sync_api.Page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0

    @contextmanager
    def __call__(self, label: str) -> Iterator[None]:
        self.count += 1
        name = f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')}"
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            yield
        except BaseException:
            self.page.screenshot(path=self.folder / f"{name}-FAILED.png", full_page=True)
            raise
        self.page.screenshot(path=self.folder / f"{name}.png", full_page=True)


@pytest.fixture
def step(request, page) -> Iterator[Steps]:
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    steps = Steps(page, folder)
    yield steps
    if not getattr(request.node, "e2e_failed", True):
        shutil.rmtree(folder, ignore_errors=True)


__all__ = ["Person", "heading"]
