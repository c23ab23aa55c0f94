"""Every text a user or operator can type, at 100,000 characters, through the services and the
console script: refused (or, for searches, cut) at once, with a short message, nothing
changed. Each test has a hard time limit (pytest-timeout): before the duration scanner, a
duration of 1,600 spaces and one bad character took 13 s of backtracking, and these inputs
would not have finished at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from sprintsync.clock import today
from sprintsync.errors import AuthError, NotFound, ValidationError
from sprintsync.models import AuditLog, Task, TimeEntry, User
from sprintsync.services import ai, audit, auth, entry_report, tasks, timelog, timers, users, weeks
from sprintsync.services.timesheet_grid import save_grid
from sprintsync.services.timesheet_views import GridCell
from sprintsync.services.views import CONSOLE
from tests.conftest import PASSWORD

N = 100_000
# The shapes that make backtracking patterns blow up: a long run, and a long run of what an
# optional group may eat followed by one character that fails the match.
PAYLOADS = {
    "letters": "x" * N,
    "spaces then junk": " " * N + "!",
    "digits then junk": "1" * N + "x",
    "number, spaces, unit": "1" + " " * N + "hx",
    "a marker's pieces": "BEGIN" + "_" * N + "USER",
}
MESSAGE_MAX = 400
TODAY = today()
REFUSALS = (ValidationError, AuthError, NotFound)

Call = Callable[[Callable[[], Any], dict[str, Any], str], Any]


def _with(**fixed: Any) -> Callable[[str], dict[str, Any]]:
    return lambda text: fixed


# (what is typed, the service call with it); `w` holds the world's actors and ids.
FIELDS: dict[str, Call] = {
    "task title": lambda u, w, t: tasks.create_task(u(), actor=w["mia"], title=t),
    "task description": lambda u, w, t: tasks.create_task(
        u(), actor=w["mia"], title="ok", description=t
    ),
    "task estimate": lambda u, w, t: tasks.create_task(u(), actor=w["mia"], title="ok", estimate=t),
    "edited title": lambda u, w, t: tasks.update_task(
        u(), actor=w["mia"], task_id=w["task"], expected_version=1, title=t
    ),
    "edited description": lambda u, w, t: tasks.update_task(
        u(), actor=w["mia"], task_id=w["task"], expected_version=1, description=t
    ),
    "edited estimate": lambda u, w, t: tasks.update_task(
        u(), actor=w["mia"], task_id=w["task"], expected_version=1, estimate=t
    ),
    "status to move to": lambda u, w, t: tasks.move_task(
        u(), actor=w["mia"], task_id=w["task"], to_status=t
    ),
    "status filter": lambda u, w, t: tasks.list_tasks(u(), actor=w["mia"], status=t),
    "logged duration": lambda u, w, t: timelog.log_time(
        u(), actor=w["mia"], task_id=w["task"], duration=t
    ),
    "logged note": lambda u, w, t: timelog.log_time(
        u(), actor=w["mia"], task_id=w["task"], duration="5m", note=t
    ),
    "logged date": lambda u, w, t: timelog.log_time(
        u(), actor=w["mia"], task_id=w["task"], duration="5m", spent_on=t
    ),
    "edited duration": lambda u, w, t: timelog.edit_entry(
        u(), actor=w["mia"], entry_id=w["entry"], duration=t
    ),
    "edited note": lambda u, w, t: timelog.edit_entry(
        u(), actor=w["mia"], entry_id=w["entry"], note=t
    ),
    "edited date": lambda u, w, t: timelog.edit_entry(
        u(), actor=w["mia"], entry_id=w["entry"], spent_on=t
    ),
    "timer's corrected duration": lambda u, w, t: timers.stop_timer(
        u(), actor=w["otto"], duration=t
    ),
    "timer's note": lambda u, w, t: timers.stop_timer(u(), actor=w["otto"], note=t),
    "logged start time": lambda u, w, t: timelog.log_time(
        u(), actor=w["mia"], task_id=w["task"], start=t, end="10:00"
    ),
    "logged end time": lambda u, w, t: timelog.log_time(
        u(), actor=w["mia"], task_id=w["task"], start="09:00", end=t
    ),
    "edited start time": lambda u, w, t: timelog.edit_entry(
        u(), actor=w["mia"], entry_id=w["entry"], start=t, end="10:00"
    ),
    "grid cell": lambda u, w, t: save_grid(
        u(), actor=w["mia"], week_start=TODAY, cells=[GridCell(w["task"], 0, t)]
    ),
    "approval comment": lambda u, w, t: weeks.approve_week(
        u(), actor=w["ada"], user_id=w["mia"].id, week_start=TODAY, comment=t
    ),
    "send-back comment": lambda u, w, t: weeks.return_week(
        u(), actor=w["ada"], user_id=w["mia"].id, week_start=TODAY, comment=t
    ),
    "reopening reason": lambda u, w, t: weeks.reopen_week(
        u(), actor=w["ada"], user_id=w["mia"].id, week_start=TODAY, reason=t
    ),
    "expected hours": lambda u, w, t: weeks.set_expected_hours(
        u(), actor=w["ada"], username="mia", hours=t
    ),
    "expected hours' username": lambda u, w, t: weeks.set_expected_hours(
        u(), actor=w["ada"], username=t, hours="20h"
    ),
    # A tag filter names a tag, as the task list's does: one longer than a tag is refused.
    "report tag": lambda u, w, t: entry_report.time_entries_report(
        u(), actor=w["ada"], start=TODAY, end=TODAY, tags=[t]
    ),
    "sign-in username": lambda u, w, t: auth.authenticate(u(), username=t, password=PASSWORD),
    "sign-in password": lambda u, w, t: auth.authenticate(u(), username="mia", password=t),
    "sign-up username": lambda u, w, t: users.register(u(), username=t, password=PASSWORD),
    "sign-up password": lambda u, w, t: users.register(u(), username="newbie", password=t),
    "sign-up full name": lambda u, w, t: users.register(
        u(), username="newbie", password=PASSWORD, full_name=t
    ),
    "sign-up email": lambda u, w, t: users.register(
        u(), username="newbie", password=PASSWORD, email=t
    ),
    "new user's role": lambda u, w, t: users.create_user(
        u(), actor=CONSOLE, username="newbie", role=t
    ),
    "profile full name": lambda u, w, t: users.update_profile(
        u(), actor=w["mia"], full_name=t, email=None
    ),
    "profile email": lambda u, w, t: users.update_profile(
        u(), actor=w["mia"], full_name="Mia", email=t
    ),
    "profile skills": lambda u, w, t: users.update_profile(
        u(), actor=w["mia"], full_name="Mia", email=None, skills=t
    ),
    "current password": lambda u, w, t: users.change_password(
        u(), actor=w["mia"], current_password=t, new_password="another passphrase"
    ),
    "new password": lambda u, w, t: users.change_password(
        u(), actor=w["mia"], current_password=PASSWORD, new_password=t
    ),
    "looked-up username": lambda u, w, t: users.get_user(u(), actor=w["ada"], username=t),
    "username to change role": lambda u, w, t: users.set_role(
        u(), actor=w["ada"], username=t, role="manager"
    ),
    "role to give": lambda u, w, t: users.set_role(u(), actor=w["ada"], username="mia", role=t),
    "username to deactivate": lambda u, w, t: users.set_active(
        u(), actor=w["ada"], username=t, active=False
    ),
    "username to reset": lambda u, w, t: users.reset_password(u(), actor=w["ada"], username=t),
    "username to unlock": lambda u, w, t: users.unlock(u(), actor=w["ada"], username=t),
    "AI draft title": lambda u, w, t: ai.draft_task(u(), actor=w["mia"], title=t),
    "AI draft context": lambda u, w, t: ai.draft_task(
        u(), actor=w["mia"], title="Fix the login page", context=t
    ),
}
# Searches never fail: they look for what fits in their bound.
SEARCHES: dict[str, Call] = {
    "task search": lambda u, w, t: tasks.list_tasks(u(), actor=w["mia"], search=t),
    "team search": lambda u, w, t: tasks.all_tasks(u(), actor=w["ada"], everyone=True, search=t),
    "audit actor filter": lambda u, w, t: audit.list_audit(u(), actor=w["ada"], by_username=t),
    "audit action filter": lambda u, w, t: audit.list_audit(u(), actor=w["ada"], action=t),
}


@pytest.fixture
def world(uow, make_user):
    mia, otto, ada = make_user("mia"), make_user("otto"), make_user("ada", "admin")
    task = tasks.create_task(uow(), actor=mia, title="Target")
    entry = timelog.log_time(uow(), actor=mia, task_id=task.id, duration="10m")
    ottos = tasks.create_task(uow(), actor=otto, title="Timed")
    timers.start_timer(uow(), actor=otto, task_id=ottos.id)
    return {"mia": mia, "otto": otto, "ada": ada, "task": task.id, "entry": entry.id}


def _snapshot(session_factory) -> tuple:
    with session_factory() as s:
        counts = tuple(
            s.scalar(select(func.count()).select_from(t)) for t in (Task, TimeEntry, User)
        )
        changes = s.scalar(
            # Failed password checks are counted and audited: that is the lockout working.
            select(func.count()).where(
                AuditLog.action.not_in(["auth.sign_in_failed", "user.change_password_failed"])
            )
        )
        tasks_now = s.execute(select(Task.title, Task.description, Task.version)).all()
        return counts, changes, sorted(tasks_now)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
@pytest.mark.parametrize("field", list(FIELDS), ids=list(FIELDS))
def test_a_huge_input_in_any_field_is_refused_at_once_and_changes_nothing(
    uow, world, db_session_factory, env, field, payload
):
    env(SPRINTSYNC_ALLOW_SIGNUP="true")
    before = _snapshot(db_session_factory)
    with pytest.raises(REFUSALS) as refused:
        FIELDS[field](uow, world, PAYLOADS[payload])
    assert len(refused.value.message) <= MESSAGE_MAX
    assert _snapshot(db_session_factory) == before


@pytest.mark.timeout(60)
@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
@pytest.mark.parametrize("field", list(SEARCHES), ids=list(SEARCHES))
def test_a_huge_search_answers_at_once(uow, world, field, payload):
    SEARCHES[field](uow, world, PAYLOADS[payload])


HUGE = PAYLOADS["number, spaces, unit"]
COMMANDS = [
    ["tasks", "add", "--as", "mia", HUGE],
    ["tasks", "add", "--as", "mia", "ok", "--description", HUGE],
    ["tasks", "add", "--as", "mia", "ok", "--estimate", HUGE],
    ["tasks", "add", "--as", "mia", "ok", "--assignee", HUGE],
    ["tasks", "add", "--as", HUGE, "ok"],
    ["tasks", "list", "--as", "mia", "--search", HUGE, "--status", HUGE],
    ["tasks", "move", "--as", "mia", "{task}", HUGE],
    ["tasks", "move", "--as", "mia", HUGE, "done"],
    ["tasks", "log", "--as", "mia", "{task}", HUGE],
    ["tasks", "log", "--as", "mia", "{task}", "5m", "--note", HUGE],
    ["tasks", "log", "--as", "mia", "{task}", "5m", "--on", HUGE],
    ["users", "add", HUGE],
    ["users", "add", "newbie", "--full-name", HUGE],
    ["users", "add", "newbie", "--email", HUGE],
    ["users", "add", "newbie", "--role", HUGE],
    ["users", "set-role", HUGE, "admin"],
    ["users", "set-role", "mia", HUGE],
    ["users", "deactivate", HUGE],
    ["users", "reset-password", HUGE],
    ["users", "unlock", HUGE],
    ["ai", "draft", "--as", "mia", HUGE],
    ["ai", "draft", "--as", "mia", "Fix the login page", "--context", HUGE],
    ["report", "minutes", "--from", HUGE],
    ["tasks", "log", "--as", "mia", "{task}", "-", "--start", HUGE, "--end", "10:00"],
    ["timesheet", "set", "--as", "mia", "--week", "2026-01-05", "{task}", HUGE, "1h"],
    ["timesheet", "set", "--as", "mia", "--week", "2026-01-05", "{task}", "mon", HUGE],
    ["timesheet", "show", "--as", "mia", "--week", HUGE],
    ["timesheet", "approve", "--as", "ada", "mia", "--week", "2026-01-05", "--comment", HUGE],
    ["timesheet", "approve", "--as", "ada", HUGE, "--week", "2026-01-05"],
    ["timesheet", "reopen", "--as", "ada", "mia", "--week", "2026-01-05", "--reason", HUGE],
    ["remind", "--week", HUGE],
    [
        "report",
        "entries",
        "--from",
        "2026-01-05",
        "--to",
        "2026-01-11",
        "--tag",
        HUGE,
        "--output",
        "-",
    ],
    ["users", "hours", "mia", HUGE],
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(x[:12] for x in a))
def test_a_huge_argument_to_any_command_is_one_short_refusal(cli, world, db_session_factory, args):
    before = _snapshot(db_session_factory)
    code, out, err = cli(*(a.replace("{task}", str(world["task"])) for a in args))
    assert code in (2, 3, 4), err
    assert out == ""
    assert 0 < len(err) <= 2 * MESSAGE_MAX + 200  # click adds a usage line to its own
    assert "Traceback" not in err
    assert _snapshot(db_session_factory) == before
