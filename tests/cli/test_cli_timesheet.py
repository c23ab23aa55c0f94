"""`sprintsync timesheet`, `remind`, `report entries`, `users hours` and `tasks log` with
times, with their exit codes: 5 for any change of time in an approved week."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys

import pytest
from openpyxl import load_workbook

from sprintsync.cli import main
from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog

MONDAY = monday_of(today()) - dt.timedelta(days=7)
WEEK = MONDAY.isoformat()


@pytest.fixture
def cli(uow, capsys, monkeypatch):
    def run(*args: str, stdin: str | None = None):
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title='=HYPERLINK("x")')


def test_set_show_submit_approve_and_the_lock_through_the_cli(cli, member, manager, task):
    code, out, err = cli(
        "timesheet", "set", "--as", "mia", "--week", WEEK, str(task.id), "tue", "1h30m"
    )
    assert (code, err) == (0, "")
    assert out.startswith("Saved 1 cell (entries: 1 added).")
    code, out, _ = cli("timesheet", "show", "--as", "mia", "--week", WEEK, "--json")
    shown = json.loads(out)
    assert (shown["state"], shown["total_minutes"]) == ("draft", 90)
    assert shown["rows"] == [
        {"task_id": task.id, "title": task.title, "minutes": [0, 90, 0, 0, 0, 0, 0]}
    ]
    assert cli("timesheet", "submit", "--as", "mia", "--week", WEEK)[0] == 0
    code, out, _ = cli(
        "timesheet", "approve", "--as", "manny", "mia", "--week", WEEK, "--comment", "ok"
    )
    assert code == 0
    assert "Approved: 1h30m of 40h expected; approved by manny: ok" in out
    day = (MONDAY + dt.timedelta(days=2)).isoformat()
    for args in (
        ("tasks", "log", "--as", "mia", str(task.id), "1h", "--on", day),
        ("timesheet", "set", "--as", "mia", "--week", WEEK, str(task.id), "tue", "2h"),
    ):
        code, _, err = cli(*args)
        assert code == 5, args
        assert "is approved, so its time cannot change and nothing was saved" in err
    assert (
        json.loads(cli("timesheet", "show", "--as", "mia", "--week", WEEK, "--json")[1])[
            "total_minutes"
        ]
        == 90
    )


def test_an_admin_reopens_with_a_reason_and_a_member_cannot(cli, member, manager, admin, task):
    cli("timesheet", "set", "--as", "mia", "--week", WEEK, str(task.id), "mon", "1h")
    cli("timesheet", "submit", "--as", "mia", "--week", WEEK)
    cli("timesheet", "approve", "--as", "manny", "mia", "--week", WEEK)
    code, _, err = cli(
        "timesheet", "reopen", "--as", "manny", "mia", "--week", WEEK, "--reason", "x"
    )
    assert (code, "Only admins" in err) == (4, True)
    code, _out, _ = cli(
        "timesheet", "reopen", "--as", "ada", "mia", "--week", WEEK, "--reason", "Typo"
    )
    assert code == 0
    shown = json.loads(cli("timesheet", "show", "--as", "mia", "--week", WEEK, "--json")[1])
    assert (shown["state"], shown["comment"]) == ("returned", "Typo")
    assert cli("timesheet", "set", "--as", "mia", "--week", WEEK, str(task.id), "mon", "0")[0] == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("timesheet", "set", "--as", "mia", "--week", WEEK, "1", "someday", "1h"), 2, "not a day"),
        (("timesheet", "set", "--as", "mia", "--week", "2026-13-01", "1", "mon", "1h"), 2, "date"),
        (("timesheet", "return", "--as", "manny", "mia", "--week", WEEK), 2, "Comment is required"),
        (("timesheet", "approve", "--as", "mia", "manny", "--week", WEEK), 4, "Only managers"),
        (("timesheet", "approve", "--as", "manny", "nobody", "--week", WEEK), 3, "nobody"),
    ],
)
def test_bad_timesheet_commands_exit_with_the_usual_codes(
    cli, member, manager, args, code, message
):
    got, _, err = cli(*args)
    assert got == code
    assert message in err


def test_tasks_log_takes_start_and_end_times(cli, member, task):
    code, out, _ = cli(
        "tasks", "log", "--as", "mia", str(task.id), "-", "--start", "9:00", "--end", "10:15"
    )
    assert code == 0
    assert "Logged 1h15m" in out
    code, _, err = cli(
        "tasks", "log", "--as", "mia", str(task.id), "-", "--start", "10:00", "--end", "11:00"
    )
    assert code == 2
    assert "overlaps 09:00–10:15" in err


def test_users_hours_sets_and_clears_someones_expected_hours(cli, member):
    code, out, _ = cli("users", "hours", "mia", "20h")
    assert (code, out.strip()) == (0, "mia is expected to log 20h a week.")
    assert (
        cli("users", "hours", "mia", "default")[1].strip() == "mia is expected to log 40h a week."
    )


def test_remind_records_reminders_for_missing_and_short_weeks(cli, member, other_member, task, uow):
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="16h", spent_on=MONDAY)
    cli("users", "hours", "otto", "0")
    code, out, _ = cli("remind", "--week", WEEK)
    assert code == 0
    assert "Recorded 1 reminder for the week of" in out
    assert "mia: 16h of 40h" in out
    assert "E-mail: not configured" in out


def test_report_entries_writes_a_safe_csv_and_an_xlsx_with_totals(cli, member, task, uow, tmp_path):
    timelog.log_time(
        uow(),
        actor=member,
        task_id=task.id,
        start="09:00",
        end="10:30",
        spent_on=MONDAY,
        note="@SUM(A1)",
    )
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m", spent_on=MONDAY)
    span = ["--from", WEEK, "--to", (MONDAY + dt.timedelta(days=6)).isoformat()]
    code, out, _ = cli("report", "entries", *span, "--output", "-")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["Task"], r["Start"], r["End"], r["Minutes"], r["Note"]) for r in rows] == [
        ("'" + task.title, "09:00", "10:30", "90", "'@SUM(A1)"),
        ("'" + task.title, "", "", "30", ""),
    ]
    path = tmp_path / "entries.xlsx"
    code, _, err = cli(
        "report", "entries", *span, "--format", "xlsx", "--output", str(path), "--user", "mia"
    )
    assert (code, "Wrote 2 entries (2h)" in err) == (0, True)
    sheet = load_workbook(path).active
    _header, first, _second, total = list(sheet.iter_rows())
    assert first[5].value == task.title and first[5].data_type == "s"  # text, not a formula
    assert first[6].is_date and first[6].value.date() == MONDAY
    assert first[9].value == dt.timedelta(minutes=90)
    assert (total[0].value, total[9].value, total[10].value) == (
        "Total",
        dt.timedelta(hours=2),
        120,
    )
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
