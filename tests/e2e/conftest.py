"""A real browser against a real server: `sprintsync serve` (Streamlit running app.py) on a
free 127.0.0.1 port with a fresh data directory (its own embedded PostgreSQL), driven by
Playwright through Debian's chromium. Never downloads a browser. Run with `make e2e`;
`make test` leaves these out."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[e2e]'")

from tests.e2e.app_server import Server, start_server  # noqa: E402

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
    return report


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


@pytest.fixture
def page(browser, server) -> Iterator[sync_api.Page]:
    """A fresh browser context (no cookies) on the app's start page."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(EXPECT_MS)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


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
