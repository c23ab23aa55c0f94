"""Click-to-settled times in Chromium: SprintSync's pages and actions against the floor, a
trivial two-page st.navigation app served the same way, in one run and side by side.

    .venv/bin/python benchmarks/browser.py [--runs 15] [--large | --only-large] [--pages]
                                           [--json PATH]

A timing starts in the page, once it has finished drawing, just before the click and ends on
the first animation frame where `[data-testid=stApp][data-test-script-state=notRunning]`
holds after a run started, the expected text is shown and no element is still a placeholder
(a chart whose code is loading). Scenarios: every page reached from another, sign-in, create
a task, open it from the table (its Open button), move it, log time on it, and the first
click to Analytics of a browser that reopened the app with its cookie (the sign-in form
is filled before its timing starts: the click on Sign in is timed, as every other click;
its password is checked at production's bcrypt cost, on both databases, and one such check
is timed on its own too, to tell that deliberate cost from the rest).
The demo workspace is `sprintsync demo seed` in a fresh data directory;
--large also times the 1M-entry benchmark database of benchmarks/analytics.py
(SPRINTSYNC_DATA_DIR .sprintsync/bench, built there first if missing; takes minutes), and
--only-large times that database alone (with a floor before and after). --pages times the
page-to-page scenarios alone (no sign-in timing, no actions), for a quicker loop. Figures
are milliseconds, p50 (median) and p95 (nearest rank), with each p50 over the floor's p50;
the load average is printed with them (the machine is shared: read ratios). Every scenario's
click also has a floor click just before it, in the same browser: "p50 / paired" divides by
the p50 of those, the floor under the same load, which the floor measured once per part
(before it) can miss. The server's resident memory after the run is printed too.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

from sprintsync.config import Settings  # noqa: E402
from sprintsync.services.session_token import COOKIE_NAME  # noqa: E402
from tests.e2e.app_server import _free_port, _wait_healthy, start_server  # noqa: E402

CHROMIUM = os.environ.get("SPRINTSYNC_E2E_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "bench passphrase"
FLOOR_APP = """
import streamlit as st

def one():
    st.title("Page one")

def two():
    st.title("Page two")

st.navigation([st.Page(one, title="One"), st.Page(two, title="Two")]).run()
"""

# The first animation frame where the app is idle showing the text that only the click's run
# draws (each scenario's text is absent before its click, so idle-before-the-run cannot pass),
# and no element is still a placeholder while its code loads (a chart not yet drawn).
SETTLED = """(text) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  return document.body.innerText.includes(text) ? performance.now() : false;
}"""


# The click comes once the page has finished drawing, as a person's does: a page's late
# drawing (a table's canvas, a chart's layout passes) is not charged to the next click.
# Finished: no change to the page for 250 ms (at most 5 s), then an idle moment.
IDLE = """() => new Promise((done) => {
  let last = performance.now();
  const seen = new MutationObserver(() => { last = performance.now(); });
  seen.observe(document.body, {subtree: true, childList: true, attributes: true,
                               characterData: true});
  const started = performance.now();
  const check = () => {
    const now = performance.now();
    if (now - last >= 250 || now - started > 5000) {
      seen.disconnect();
      requestIdleCallback(() => done(), {timeout: 3000});
    } else {
      setTimeout(check, 50);
    }
  };
  setTimeout(check, 50);
})"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered)), "p95": round(p95), "runs": len(ordered)}


def timed_click(page: Page, act, expect_text: str) -> float:
    """Milliseconds from just before `act()` clicks until the app settled showing the text."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for()
    page.wait_for_timeout(150)  # let the previous run's late work (toasts, charts) start
    page.wait_for_function(  # a toast from the last time, say, has gone
        "(text) => !document.body.innerText.includes(text)", arg=expect_text, timeout=30_000
    )
    page.evaluate(IDLE)  # and the browser has finished drawing what was there before
    since = page.evaluate("performance.now()")
    act()
    try:
        done = page.wait_for_function(SETTLED, arg=expect_text, polling="raf", timeout=60_000)
    except PlaywrightTimeout:
        shown = page.evaluate("document.body.innerText")[:600]
        raise RuntimeError(
            f"never settled showing {expect_text!r}; the page shows: {shown}"
        ) from None
    return done.json_value() - since


@contextmanager
def floor_server():
    folder = Path(tempfile.mkdtemp(prefix="sprintsync-floor-"))
    (folder / "floor.py").write_text(FLOOR_APP)
    port = _free_port()
    log = folder / "floor.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(folder / "floor.py"),
             "--server.address=127.0.0.1", f"--server.port={port}", "--server.headless=true",
             "--browser.gatherUsageStats=false"],
            cwd=folder, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log)
        yield url
    except BaseException:
        print(log.read_text()[-2000:], file=sys.stderr)
        raise
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Floor:
    """A page of the floor app in its own browser context, clicked from page to page."""

    def __init__(self, browser, url: str) -> None:
        context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 900})
        self.page = context.new_page()
        self.page.goto("/")
        self.page.get_by_role("heading", name="Page one").wait_for()
        self.clicks = 0

    def click(self) -> float:
        target = "Two" if self.clicks % 2 == 0 else "One"
        self.clicks += 1
        link = self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=target)
        return timed_click(self.page, link.click, f"Page {target.lower()}")


def measure_floor(floor: Floor, runs: int) -> dict:
    floor.click()  # a warm-up
    return percentiles([floor.click() for _ in range(runs)])


def seed(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "sprintsync.cli", "demo", "seed", "--password-stdin", *args],
        input=PASSWORD + "\n", text=True, env=env, cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


def fill_sign_in(page: Page, username: str) -> None:
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)


def press_sign_in(page: Page) -> None:
    page.get_by_role("button", name="Sign in", exact=True).click()


NAV = [  # (from, to, text the page shows once it has drawn its content)
    ("My tasks", "My time", "My week in charts"),
    ("My time", "Team", "page 1 of"),
    ("Team", "Analytics", "Top 5 this week"),
    ("Analytics", "Admin", "Manage a user"),
    ("Admin", "Account", "Change password"),
    ("Account", "My tasks", "Board"),
]


def measure_app(
    browser, server, username: str, runs: int, floor: Floor, *, pages_only: bool = False
) -> dict[str, dict]:
    """Each scenario's figures, and "paired": the floor's p50 over clicks taken each just
    before one of that scenario's (the machine's load at that moment, not at the start)."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    found: dict[str, list[float]] = {}
    paired: dict[str, list[float]] = {}
    floor_before: list[float] = []  # the floor click just before the last timed click
    run_id = f"{time.time():.0f}"

    def timed(page: Page, act, expect_text: str) -> float:
        floor_before[:] = [floor.click()]
        return timed_click(page, act, expect_text)

    def record(name: str, ms: float, warm: bool) -> None:
        [before] = floor_before
        if not warm:
            found.setdefault(name, []).append(ms)
            paired.setdefault(name, []).append(before)

    for i in range(runs + 1):
        warm = i == 0
        page.goto("/")
        page.get_by_label("Username", exact=True).wait_for()
        fill_sign_in(page, username)  # typing is the person's time: the click is timed
        signing_in = timed(page, lambda: press_sign_in(page), "Board")
        if not pages_only:
            record("sign-in", signing_in, warm)
        for source, target, text in NAV:
            link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=target)
            record(f"{source} -> {target}", timed(page, link.click, text), warm)
        if pages_only:
            page.get_by_role("button", name="Sign out").click()
            page.get_by_label("Username", exact=True).wait_for()
            continue
        # Actions on My tasks (where the last navigation landed).
        title = f"Benchmark task {run_id}-{i}"  # the 1M database is kept between runs
        expander = page.get_by_test_id("stMain").get_by_test_id("stExpander").first
        box = expander.get_by_role("textbox", name="Title", exact=True)
        if not box.is_visible():
            expander.locator("summary").click()
        box.fill(title)
        create = expander.get_by_role("button", name="Create task", exact=True)
        record("create task", timed(page, create.click, "Created task #"), warm)
        # The table (My tasks' default view) lists the new task first; its Open button (the
        # column after the rows' checkboxes, on Streamlit's canvas) opens it.
        table = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
        first_open = functools.partial(table.click, position={"x": 70, "y": 35 + 17})
        record("open task", timed(page, first_open, title), warm)
        dialog = page.get_by_role("dialog")
        start = dialog.get_by_role("button", name="Start", exact=True)
        record("move task", timed(page, start.click, "moved to in progress"), warm)
        dialog.get_by_role("textbox", name="Duration", exact=True).fill("15m")
        log = dialog.get_by_role("button", name="Log time", exact=True)
        record("log time", timed(page, log.click, "Logged 15m"), warm)
        page.keyboard.press("Escape")
        page.get_by_role("dialog").wait_for(state="detached")
        page.get_by_role("button", name="Sign out").click()
        page.get_by_label("Username", exact=True).wait_for()
    if not pages_only:
        reopened(page, username, timed, record, runs)
    context.close()
    return {
        name: {**percentiles(samples), "paired": percentiles(paired[name])["p50"]}
        for name, samples in found.items()
    }


def reopened(page: Page, username: str, timed, record, runs: int) -> None:
    """A browser back with its cookie skips the sign-in page (and the elements it draws while
    the password is typed): its first click from the page it reopened on to Analytics."""
    fill_sign_in(page, username)
    press_sign_in(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Analytics").wait_for()
    page.wait_for_function(f"document.cookie.includes('{COOKIE_NAME}=')")
    for i in range(runs + 1):
        page.goto("/")  # a new page load, on My tasks
        link = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Analytics")
        link.wait_for()
        page.evaluate(IDLE)  # the page load done before the floor's paired click
        record(
            "reopened: My tasks -> Analytics", timed(page, link.click, "Top 5 this week"), i == 0
        )
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username", exact=True).wait_for()


RAN = re.compile(r"page (\S+) ran in ([\d.]+) ms")


def server_runs(log: Path) -> dict[str, dict]:
    """The server's own time per script run of each page (its "page ... ran in" log lines):
    what of a click is Python and the database, the rest being the wire and the browser."""
    found: dict[str, list[float]] = {}
    for match in RAN.finditer(log.read_text(errors="replace")):
        found.setdefault(match[1], []).append(float(match[2]))
    return {name: percentiles(samples) for name, samples in sorted(found.items())}


def server_rss_mb(server) -> float | None:
    """Resident memory of the server process (found by its port), after the run: what
    Streamlit's skipped per-run full collection (runner.postScriptGC) may cost."""
    port = f"--port={server.url.rsplit(':', 1)[1]}"
    for proc in Path("/proc").iterdir():
        try:
            if port in (proc / "cmdline").read_bytes().decode(errors="replace").split("\0"):
                for line in (proc / "status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return None


def server_report(runs: dict[str, dict]) -> list[str]:
    lines = ["", "| server run of page | runs | p50 ms | p95 ms |", "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {r['runs']} | {r['p50']} | {r['p95']} |" for name, r in runs.items()]
    return lines


def report(title: str, floor: dict, rows: dict[str, dict]) -> list[str]:
    lines = [
        f"## {title} ({load()})",
        "",
        "| scenario | p50 ms | p95 ms | p50 / floor | p95 / floor p50 | paired floor p50 ms "
        "| p50 / paired | p95 / paired |",
    ]
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    lines.append(f"| floor: two-page st.navigation | {floor['p50']} | {floor['p95']} | 1.00 | "
                 f"{floor['p95'] / floor['p50']:.2f} | | | |")  # fmt: skip
    for name, row in rows.items():
        lines.append(
            f"| {name} | {row['p50']} | {row['p95']} | {row['p50'] / floor['p50']:.2f} | "
            f"{row['p95'] / floor['p50']:.2f} | {row['paired']} | "
            f"{row['p50'] / row['paired']:.2f} | {row['p95'] / row['paired']:.2f} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--large", action="store_true", help="also the 1M-entry database")
    parser.add_argument("--only-large", action="store_true", help="the 1M-entry database alone")
    parser.add_argument("--pages", action="store_true", help="page-to-page scenarios alone")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    results: dict = {"load_before": load()}
    out: list[str] = []
    with sync_playwright() as playwright, floor_server() as floor_url:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        floor = Floor(browser, floor_url)  # also clicked just before every scenario's click
        results["floor"] = measure_floor(floor, args.runs)
        if not args.only_large:
            with start_server(bcrypt_rounds=ROUNDS) as server:
                seed(server.env, "--force")
                demo = measure_app(
                    browser, server, "admin", args.runs, floor, pages_only=args.pages
                )
                results["demo_server"] = server_runs(server.log)
                results["demo_rss_mb"] = server_rss_mb(server)
            results["demo"] = demo
            out += report("Demo workspace", results["floor"], demo)
            out += server_report(results["demo_server"])
            out.append(f"\nserver resident memory after the run: {results['demo_rss_mb']:.0f} MB")
        if args.large or args.only_large:
            bench_dir = ROOT / ".sprintsync" / "bench"
            if not (bench_dir / "pgdata").exists():
                subprocess.run([sys.executable, "benchmarks/analytics.py", "--runs", "1"],
                               cwd=ROOT, check=True)  # fmt: skip
            with start_server(data_dir=bench_dir, bcrypt_rounds=ROUNDS) as server:
                large = measure_app(
                    browser, server, bench_admin(server), args.runs, floor, pages_only=args.pages
                )
                results["large_server"] = server_runs(server.log)
                results["large_rss_mb"] = server_rss_mb(server)
            floor2 = measure_floor(floor, args.runs)
            results["large"], results["floor_after"] = large, floor2
            # The floor after the long 1M run, and the one before it, bracket the load.
            out += ["", *report("1M-entry database", floor2, large)]
            out.append(f"(floor before this run: p50 {results['floor']['p50']} ms)")
            out += server_report(results["large_server"])
            out.append(f"\nserver resident memory after the run: {results['large_rss_mb']:.0f} MB")
        browser.close()
    results["load_after"] = load()
    if not args.pages:
        results["password_check_ms"] = password_check_ms()
        out.append(
            f"\none bcrypt password check at cost {ROUNDS} (part of sign-in): "
            f"{results['password_check_ms']:.0f} ms, p50 of 9"
        )
    print("\n".join(out))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


# Production's cost (config's default), not the tests' 4: sign-in is timed as people wait.
ROUNDS = Settings.model_fields["bcrypt_rounds"].default


def password_check_ms() -> float:
    """One bcrypt check at ROUNDS, as services.auth does at each sign-in (p50 of 9)."""
    from sprintsync.services import auth

    hashed = auth.hash_password(PASSWORD, ROUNDS)
    samples = []
    for _ in range(9):
        started = time.perf_counter()
        auth.verify_password(PASSWORD, hashed)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bench_admin(server) -> str:
    """An admin of the benchmark database with the benchmark password (made once)."""
    from sprintsync.services import auth, users
    from sprintsync.services.views import CONSOLE

    name = "bench-admin"
    # The server migrates on its first page run; the users table must be at head first.
    subprocess.run([sys.executable, "-m", "sprintsync.cli", "db", "upgrade"],
                   env=server.env, cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    if not server.db.scalar("SELECT count(*) FROM users WHERE username = :u", u=name):
        users.register(server.db.uow(), username=name, password=PASSWORD)
        users.set_role(server.db.uow(), actor=CONSOLE, username=name, role="admin")
    # Its password at the cost the demo's are hashed at too (the database outlives runs).
    server.db.execute(
        "UPDATE users SET password_hash = :h WHERE username = :u",
        h=auth.hash_password(PASSWORD, ROUNDS), u=name,
    )  # fmt: skip
    # The 1M database is kept between runs, and every run logs 15m a time today: a day's
    # limit (16h) would refuse "log time" after some sixty runs on one day.
    server.db.execute(
        "DELETE FROM time_entries WHERE user_id = (SELECT id FROM users WHERE username = :u)"
        " AND spent_on >= current_date - 1",  # the workspace's today may be a zone away
        u=name,
    )
    return name


if __name__ == "__main__":
    main()
