"""The Timesheets page in the real Streamlit runtime: everyone's week state, who is short,
a person's week read-only with approve and send back, reopening for admins, the report's
downloads (spreadsheet-safe); members are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog, weeks
from sprintsync.workweek import WeekState
from tests.ui.page_runner import click, errors, open_page, toasts

MONDAY = monday_of(today())


@pytest.fixture
def submitted(uow, member, other_member):
    task = tasks.create_task(uow(), actor=member, title="=1+1")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="6h", note="@cmd")
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    return task


def choose(at, username: str):
    box = next(s for s in at.selectbox if s.label == "Person")
    option = next(o for o in box.options if o.startswith(f"{username} ·"))
    box.select(option).run()
    assert not at.exception
    return at


def test_leads_see_every_state_and_who_logged_nothing(uow, manager, member, submitted):
    at = open_page("timesheets.py", manager)
    team = at.dataframe[0].value
    assert dict(zip(team["Person"], team["State"], strict=True)) == {
        "manny": "Missing",
        "mia": "Submitted",
        "otto": "Missing",
    }
    assert any("Logged nothing: manny, otto" in w.value for w in at.warning)
    assert any("Less than expected: mia" in i.value for i in at.info)


def test_a_manager_approves_a_submitted_week_from_its_read_only_grid(
    uow, manager, member, submitted
):
    at = choose(open_page("timesheets.py", manager), "mia")
    assert not at.data_editor  # read-only
    assert at.dataframe[1].value.iloc[0, -1] == "6h"
    at.text_area[0].set_value("Looks right")
    click(at, next(b.key for b in at.button if b.label == "Approve"))
    assert toasts(at) == [f"Approved mia's week of {MONDAY:%a %d %b %Y}."]
    week = weeks.week_status(uow(), actor=member, week_start=MONDAY)
    assert (week.state, week.comment) == (WeekState.APPROVED, "Looks right")


def test_sending_back_needs_a_comment(uow, manager, member, submitted):
    at = choose(open_page("timesheets.py", manager), "mia")
    click(at, next(b.key for b in at.button if b.label == "Send back"))
    assert errors(at) == ["Comment is required."]
    at.text_area[0].set_value("Split it by task")
    click(at, next(b.key for b in at.button if b.label == "Send back"))
    assert weeks.week_status(uow(), actor=member, week_start=MONDAY).state == WeekState.RETURNED


def test_only_admins_get_reopen_and_it_needs_a_reason(uow, manager, admin, member, submitted):
    weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY)
    at = choose(open_page("timesheets.py", manager), "mia")
    assert not [b for b in at.button if b.label == "Reopen week"]
    at = choose(open_page("timesheets.py", admin), "mia")
    click(at, next(b.key for b in at.button if b.label == "Reopen week"))
    assert errors(at) == ["The reason is required."]
    next(t for t in at.text_input if t.label.startswith("Reason")).set_value("Wrong task")
    click(at, next(b.key for b in at.button if b.label == "Reopen week"))
    week = weeks.week_status(uow(), actor=member, week_start=MONDAY)
    assert (week.state, week.comment) == (WeekState.RETURNED, "Wrong task")


def test_a_member_is_refused_the_page(uow, member):
    at = open_page("timesheets.py", member)
    assert "Only managers and admins can see everyone's timesheets." in errors(at)


def test_the_report_downloads_are_safe_csv_and_xlsx(uow, manager, member, submitted, downloads):
    at = open_page("timesheets.py", manager)
    preview = at.dataframe[-1].value
    assert list(preview["Task"]) == ["=1+1"]  # shown as typed
    buttons = {b.proto.label: b for b in at.get("download_button")}
    csv_button, xlsx_button = buttons["Download CSV"], buttons["Download XLSX"]
    name = f"time-entries-{MONDAY:%Y%m%d}-{MONDAY + dt.timedelta(days=6):%Y%m%d}"
    assert downloads.name_of(csv_button) == f"{name}.csv"
    csv = downloads.of(csv_button).decode()
    assert "'=1+1" in csv and "'@cmd" in csv
    assert downloads.of(xlsx_button)[:2] == b"PK"  # an XLSX (a zip), made when clicked
