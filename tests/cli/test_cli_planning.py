"""The planning commands: projects, sprints, tasks with their planning fields, and the
reports by project, sprint and tag, with the documented exit codes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cli.test_cli import cli  # noqa: F401  (the in-process console fixture)

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def planned(cli, member, manager):  # noqa: F811
    assert cli("projects", "add", "web", "Website", "--budget", "120h")[0] == 0
    code, out, _ = cli(
        "sprints", "add", "--project", "WEB", "Sprint 1", "--start", day(-2), "--end", day(11),
        "--goal", "Search", "--as", "manny",
    )  # fmt: skip
    assert code == 0 and out.strip() == "Added sprint 'Sprint 1' to WEB (active)."
    return cli


def test_projects_are_added_listed_archived_and_restored(planned):
    run = planned
    code, out, _ = run("projects", "list", "--json")
    assert code == 0
    web = next(p for p in json.loads(out) if p["key"] == "WEB")
    assert web == {
        "key": "WEB",
        "name": "Website",
        "description": "",
        "budget_minutes": 7200,
        "used_minutes": 0,
        "budget_state": "ok",
        "open_tasks": 0,
        "done_tasks": 0,
        "archived": False,
        "default": False,
    }
    assert run("projects", "archive", "WEB")[1].strip() == "Project WEB is archived."
    assert "WEB" not in run("projects", "list")[1]
    assert "archived" in run("projects", "list", "--all")[1]
    assert run("projects", "restore", "web")[1].strip() == "Project WEB is active again."


def test_sprints_are_listed_with_their_state(planned):
    code, out, _ = planned("sprints", "list", "--project", "WEB", "--json")
    assert code == 0 and json.loads(out) == [
        {
            "project": "WEB",
            "name": "Sprint 1",
            "starts_on": day(-2),
            "ends_on": day(11),
            "goal": "Search",
            "state": "active",
        }
    ]


def test_tasks_are_filed_with_planning_fields_and_listed_by_them(planned):
    run = planned
    code, out, err = run(
        "tasks", "add", "--as", "mia", "Search box", "--project", "WEB", "--sprint", "sprint 1",
        "--priority", "high", "--due", day(3), "--tag", "frontend", "--tag", "UX",
        "--estimate", "3h",
    )  # fmt: skip
    assert code == 0, err
    task_id = out.split("#")[1].split(":")[0]
    run("tasks", "add", "--as", "mia", "Elsewhere", "--project", "GEN")
    run("tasks", "log", "--as", "mia", task_id, "2h")
    code, out, _ = run(
        "tasks", "list", "--as", "mia", "--project", "WEB", "--sprint", "Sprint 1", "--tag",
        "ux", "--json",
    )  # fmt: skip
    [row] = json.loads(out)
    assert (row["title"], row["project"], row["sprint"], row["priority"], row["due"]) == (
        "Search box",
        "WEB",
        "Sprint 1",
        "high",
        day(3),
    )
    assert row["tags"] == ["frontend", "UX"]
    code, out, _ = run("tasks", "list", "--as", "mia", "--sort", "priority")
    assert code == 0 and out.splitlines()[2].split()[1] == "WEB"  # the high one first


def test_reports_by_project_sprint_and_tag_and_of_a_sprint(planned):
    run = planned
    out = run(
        "tasks", "add", "--as", "mia", "Search box", "--project", "WEB", "--sprint", "Sprint 1",
        "--tag", "=HYPERLINK(\"x\")", "--estimate", "3h",
    )[1]  # fmt: skip
    task_id = out.split("#")[1].split(":")[0]
    run("tasks", "log", "--as", "mia", task_id, "90m", "--on", day(0))
    window = ["--from", day(-7), "--to", day(0), "--format", "json"]
    assert json.loads(run("report", "minutes", *window, "--by", "project")[1]) == [
        {"project": "WEB", "minutes": 90}
    ]
    assert json.loads(run("report", "minutes", *window, "--by", "sprint")[1]) == [
        {"project": "WEB", "sprint": "Sprint 1", "minutes": 90}
    ]
    code, out, _ = run(
        "report", "minutes", "--from", day(-7), "--to", day(0), "--by", "tag", "--format", "csv"
    )
    # A spreadsheet reads the tag as text (quoted, with a leading '), not as a formula.
    assert out.splitlines() == ["tag,minutes", '"\'=HYPERLINK(""x"")",90']
    code, out, _ = run("report", "sprint", "--project", "WEB", "Sprint 1", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["state"] == "active"
    assert (report["planned"], report["added"], report["carried"]) == (
        {"tasks": 0, "minutes": 0},
        {"tasks": 1, "minutes": 180},
        {"tasks": 0, "minutes": 0},
    )
    assert report["burndown"][0]["day"] == day(-2)
    assert report["burndown"][2]["remaining_minutes"] == 180  # today, the third day


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["projects", "add", "w", "X"], 2, "2 to 10 letters"),
        (["projects", "add", "WEB", "Again"], 5, "already a project with key WEB"),
        (["projects", "add", "NEW", "X", "--as", "mia"], 4, "managers and admins"),
        (["projects", "archive", "NOPE"], 3, "No project with key NOPE"),
        (["projects", "archive", "GEN"], 2, "default project"),
        (["projects", "add", "BIG", "X", "--budget", "lots"], 2, "as a budget"),
        (
            ["sprints", "add", "--project", "WEB", "S2", "--start", day(5), "--end", day(9)],
            5,
            "overlap sprint 'Sprint 1'",
        ),
        (
            ["sprints", "add", "--project", "WEB", "S2", "--start", day(20), "--end", "soon"],
            2,
            "is not a date",
        ),
        (["sprints", "list", "--project", "NOPE"], 3, "No project with key NOPE"),
        (["tasks", "add", "--as", "mia", "T"], 2, "Missing option '--project'"),
        (
            ["tasks", "add", "--as", "mia", "T", "--project", "WEB", "--sprint", "S9"],
            3,
            "no sprint named",
        ),
        (
            ["tasks", "add", "--as", "mia", "T", "--project", "WEB", "--priority", "meh"],
            2,
            "--priority",
        ),
        (["tasks", "list", "--as", "mia", "--sprint", "Sprint 1"], 2, "--sprint needs --project"),
        (["report", "sprint", "--project", "WEB", "Nope"], 3, "no sprint named"),
        (["report", "minutes", "--by", "tag", "--tag", "missing"], 3, "No tag named"),
    ],
)
def test_planning_errors_exit_with_the_documented_codes(planned, args, code, message):
    got, out, err = planned(*args)
    assert got == code, err
    assert message in err and "Traceback" not in err + out
