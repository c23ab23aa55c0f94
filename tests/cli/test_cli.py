"""The console script, in process (isolated by the test transaction) and as a real process."""

import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import insert

from sprintsync.cli import main
from sprintsync.models import Task
from sprintsync.services import tasks


@pytest.fixture
def cli(uow, capsys, monkeypatch):
    """Run `sprintsync ARGS` in process; returns (exit code, stdout, stderr)."""

    def run(*args: str, stdin: str | None = None):
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_users_add_with_a_password_from_stdin_then_list_as_json(cli):
    code, out, _ = cli(
        "users",
        "add",
        "carol",
        "--role",
        "manager",
        "--full-name",
        "Carol K",
        "--password-stdin",
        stdin="a-secret-pass\n",
    )
    assert code == 0 and "Created manager carol" in out and "a-secret-pass" not in out
    code, out, _ = cli("users", "list", "--json")
    assert code == 0
    assert {
        "username": "carol",
        "full_name": "Carol K",
        "role": "manager",
        "is_active": True,
        "total_minutes": 0,  # time logged, as the table's column shows
    } in json.loads(out)


def test_users_add_without_a_password_prints_a_generated_one_once(cli):
    code, out, _ = cli("users", "add", "dave")
    assert code == 0 and "Password (shown once): " in out
    password = out.split("Password (shown once): ")[1].strip()
    assert len(password) >= 12


def test_user_lifecycle_commands(cli):
    cli("users", "add", "erin", "--password-stdin", stdin="erin-password\n")
    assert cli("users", "set-role", "erin", "manager")[1].strip() == "erin is now manager."
    assert cli("users", "deactivate", "erin")[1].strip() == "erin is deactivated."
    assert cli("users", "reactivate", "erin")[1].strip() == "erin is active again."
    code, out, _ = cli("users", "reset-password", "erin")
    assert code == 0 and "Temporary password for erin (shown once): " in out
    code, out, _ = cli("users", "list")
    assert code == 0 and "erin" in out and "manager" in out


def test_the_last_admin_cannot_be_deactivated_from_the_console(cli):
    cli("users", "add", "solo", "--role", "admin", "--password-stdin", stdin="solo-password\n")
    code, _, err = cli("users", "deactivate", "solo")
    assert code == 2 and "at least one active admin" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["users", "set-role", "nobody", "admin"], 3, "No user named 'nobody'"),
        (["users", "add", "x"], 2, "Username must be 3 to 32"),
        (["users", "add", "okname", "--role", "boss"], 2, "Invalid value for '--role'"),
        (["tasks", "list", "--as", "nobody"], 3, "No user named"),
        (["tasks", "log", "--as", "mia", "999999", "1h"], 3, "does not exist"),
        (["tasks", "move", "--as", "mia", "notanumber", "done"], 2, "not a valid integer"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_errors_exit_with_the_documented_code_and_one_line_on_stderr(
    cli, member, args, code, message
):
    got, out, err = cli(*args)
    assert got == code
    assert message in err
    assert "Traceback" not in err and "Traceback" not in out


def test_tasks_add_list_move_log_as_a_member(cli, member):
    code, out, _ = cli(
        "tasks",
        "add",
        "--as",
        "mia",
        "Write the runbook",
        "--project",
        "GEN",
        "--estimate",
        "2h",
        "--description",
        "for on-call",
    )
    assert code == 0 and out.startswith("Created task #")
    task_id = out.split("#")[1].split(":")[0]
    assert cli("tasks", "move", "--as", "mia", task_id, "in_progress")[0] == 0
    code, out, _ = cli(
        "tasks", "log", "--as", "mia", task_id, "1h30m", "--on", "2026-11-02", "--note", "drafting"
    )
    assert code == 0 and "Logged 1h30m" in out and "total 1h30m" in out
    code, out, _ = cli("tasks", "list", "--as", "mia", "--json")
    [listed] = json.loads(out)
    assert listed["title"] == "Write the runbook"
    assert (listed["status"], listed["estimate_minutes"], listed["total_minutes"]) == (
        "in_progress",
        120,
        90,
    )
    assert set(listed) == {
        "id",
        "title",
        "description",
        "status",
        "assignee",
        "estimate_minutes",
        "total_minutes",
        "created_at",
        "updated_at",
        "project",
        "sprint",
        "priority",
        "due",
        "tags",
    }
    assert (listed["project"], listed["sprint"], listed["priority"]) == ("GEN", None, "normal")


def test_an_illegal_move_exits_2_with_the_reason(cli, uow, member):
    task = tasks.create_task(uow(), actor=member, title="T")
    code, _, err = cli("tasks", "move", "--as", "mia", str(task.id), "done")
    assert code == 2 and "cannot move to done" in err


def test_a_member_acting_on_anothers_task_is_denied_with_exit_4(cli, uow, member, other_member):
    task = tasks.create_task(uow(), actor=other_member, title="Otto's")
    code, _, err = cli("tasks", "log", "--as", "mia", str(task.id), "1h")
    assert code == 4 and "own tasks" in err
    code, _, err = cli("tasks", "list", "--as", "mia", "--all")
    assert code == 4


def test_managers_list_everyones_tasks_and_assign(cli, manager, member):
    code, out, _ = cli(
        "tasks", "add", "--project", "GEN", "--as", "manny", "Review PR", "--assignee", "mia"
    )
    assert code == 0
    code, out, _ = cli("tasks", "list", "--as", "manny", "--all", "--status", "todo")
    assert code == 0 and "Review PR" in out and "mia" in out


def test_report_minutes_groups_by_user_day_and_week_in_each_format(cli, uow, member, manager):
    t = tasks.create_task(uow(), actor=member, title="T")
    for day, duration in [("2026-11-02", "1h"), ("2026-11-03", "30m"), ("2026-11-09", "2h")]:
        cli("tasks", "log", "--as", "mia", str(t.id), duration, "--on", day)
    window = ["--from", "2026-11-01", "--to", "2026-11-15"]
    code, out, _ = cli("report", "minutes", *window, "--format", "json")
    assert code == 0 and json.loads(out) == [{"user": "mia", "minutes": 210}]
    code, out, _ = cli("report", "minutes", *window, "--by", "week", "--format", "json")
    assert json.loads(out) == [
        {"week": "2026-11-02", "minutes": 90},
        {"week": "2026-11-09", "minutes": 120},
    ]
    code, out, _ = cli("report", "minutes", *window, "--by", "day", "--format", "csv")
    assert out.splitlines() == ["day,minutes", "2026-11-02,60", "2026-11-03,30", "2026-11-09,120"]
    code, out, _ = cli("report", "minutes", *window, "--by", "day")
    assert code == 0 and "2026-11-03  30" in out


def test_report_refuses_a_backwards_range(cli):
    code, _, err = cli("report", "minutes", "--from", "2026-11-10", "--to", "2026-11-01")
    assert code == 2 and "end date" in err


def test_db_commands_report_the_revision(cli):
    code, out, _ = cli("db", "upgrade")
    assert code == 0 and "revision" in out
    code, out, _ = cli("db", "current")
    assert code == 0 and out.strip()


def test_every_command_has_help_text():
    from sprintsync.cli.app import cli as root

    def walk(group, path):
        for name, command in group.commands.items():
            assert command.help, f"{path} {name} has no help text"
            if hasattr(command, "commands"):
                walk(command, f"{path} {name}")

    walk(root, "sprintsync")


def test_the_console_script_runs_as_a_real_process_with_exit_codes(fresh_db):
    env = {**os.environ, "SPRINTSYNC_DATABASE_URL": fresh_db.url.render_as_string(False)}
    exe = os.path.join(os.path.dirname(sys.executable), "sprintsync")

    def run(*args, stdin=""):
        return subprocess.run(
            [exe, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
        )

    added = run("users", "add", "proc-user", "--password-stdin", stdin="proc-password\n")
    assert added.returncode == 0, added.stderr
    missing = run("users", "deactivate", "no-such-user")
    assert missing.returncode == 3
    assert missing.stderr.strip() == "Error: No user named 'no-such-user'."
    listed = run("users", "list", "--json")
    assert [u["username"] for u in json.loads(listed.stdout)] == ["proc-user"]


def test_demo_seed_builds_the_workspace_and_saves_the_logins(cli, tmp_path):
    logins = tmp_path / "logins.txt"
    code, out, _ = cli(
        "demo", "seed", "--password-stdin", "--logins-file", str(logins), stdin="demo-pass-123\n"
    )
    assert code == 0
    assert "Seeded 8 users, 120 tasks" in out
    assert "demo-pass-123" not in out
    assert "admin" in logins.read_text() and "demo-pass-123" in logins.read_text()
    assert logins.stat().st_mode & 0o777 == 0o600
    code, out, _ = cli("demo", "seed", "--if-empty")
    assert code == 0 and "not seeding" in out


def test_demo_seed_refuses_a_database_with_users_with_exit_5(cli, member):
    code, _, err = cli("demo", "seed")
    assert code == 5 and "--force" in err


def test_demo_seed_with_flags_builds_the_requested_sizes(cli, member):
    code, out, _ = cli(
        "demo",
        "seed",
        "--users",
        "12",
        "--tasks",
        "40",
        "--entries",
        "300",
        "--weeks",
        "4",
        "--force",
        "--password-stdin",
        stdin="x-password\n",
    )
    assert code == 0
    assert "Seeded 12 users, 40 tasks and 300 time entries" in out


def test_tasks_list_prints_every_task_once_however_many_pages_it_would_take(
    cli, uow, member, db_session_factory
):
    count = tasks.PER_PAGE_MAX + 20
    with db_session_factory() as s:
        s.execute(
            insert(Task), [{"title": f"Task {i}", "created_by_id": member.id} for i in range(count)]
        )
        s.commit()
    code, out, _ = cli("tasks", "list", "--as", "mia", "--json")
    assert code == 0
    ids = [t["id"] for t in json.loads(out)]
    assert len(ids) == len(set(ids)) == count
