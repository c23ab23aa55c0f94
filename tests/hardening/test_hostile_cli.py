"""Every command with bad values: the documented exit code (2 bad input or usage, 3 not found,
4 permission denied, 5 conflict), one clear line on stderr, no traceback, no incident id, and
nothing changed in the database. Accepted text is stored exactly as typed."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sprintsync.models import AuditLog, Task, TimeEntry, User
from sprintsync.services import tasks

HUGE = "x" * 100_000
SQL = "'; DROP TABLE tasks; --"
MINE, OTTOS, MISSING = "{mine}", "{ottos}", "999999"
TOO_BIG = "99999999999999999999"

# (args, stdin, exit code, what stderr says); {mine} and {ottos} are task ids of mia and otto
REFUSED = [
    # users (the operator, trusted like an admin: only the input can be wrong)
    (["users", "add", "x"], "", 2, "Username must be 3 to 32"),
    (["users", "add", SQL], "", 2, "Username must be 3 to 32"),
    (["users", "add", "okname", "--email", "not-an-email"], "", 2, "does not look like an email"),
    (["users", "add", "okname", "--full-name", "\x1b[2Jgone"], "", 2, "single line"),
    (["users", "add", "okname", "--full-name", HUGE], "", 2, "at most 120 characters"),
    (["users", "add", "okname", "--role", "boss"], "", 2, "Invalid value for '--role'"),
    (["users", "add", "okname", "--password-stdin"], "\n", 2, "Password must be 8 to 128"),
    (["users", "add", "okname", "--password-stdin"], "short\n", 2, "Password must be 8 to 128"),
    (["users", "add", "okname", "--password-stdin"], "nul\x00byte!\n", 2, "NUL"),
    (["users", "add", "MIA"], "", 5, "already taken"),
    (["users", "set-role", "nobody", "admin"], "", 3, "No user named 'nobody'"),
    (["users", "set-role", "mia", "boss"], "", 2, "'boss' is not one of"),
    (["users", "deactivate", SQL], "", 3, "No user named"),
    (["users", "reactivate", HUGE], "", 3, "No user named"),
    (["users", "reset-password", "nobody"], "", 3, "No user named 'nobody'"),
    (["users", "deactivate", "root"], "", 2, "at least one active admin"),
    # tasks, acting as someone
    (["tasks", "add", "--as", "mia", ""], "", 2, "Title is required"),
    (["tasks", "add", "--as", "mia", "   "], "", 2, "Title is required"),
    (["tasks", "add", "--as", "mia", HUGE], "", 2, "at most 200 characters"),
    (["tasks", "add", "--as", "mia", "bell\x07"], "", 2, "single line"),
    (["tasks", "add", "--as", "mia", "two\nlines"], "", 2, "single line"),
    (["tasks", "add", "--as", "mia", "nul\x00"], "", 2, "NUL"),
    (["tasks", "add", "--as", "mia", "caf\udce9"], "", 2, "not valid text"),
    (["tasks", "add", "--as", "mia", "ok", "--description", HUGE], "", 2, "at most 10000"),
    (["tasks", "add", "--as", "mia", "ok", "--estimate", "-5"], "", 2, "duration"),
    (["tasks", "add", "--as", "mia", "ok", "--estimate", "1e9"], "", 2, "duration"),
    (["tasks", "add", "--as", "mia", "ok", "--estimate", "999h"], "", 2, "between 1 minute"),
    (["tasks", "add", "--as", "mia", "ok", "--estimate", "0"], "", 2, "between 1 minute"),
    (["tasks", "add", "--as", "mia", "ok", "--assignee", "otto"], "", 4, "managers and admins"),
    (["tasks", "add", "--as", "manny", "ok", "--assignee", "nobody"], "", 3, "No user named"),
    (["tasks", "add", "--as", "manny", "ok", "--assignee", "gone"], "", 2, "deactivated user"),
    (["tasks", "add", "--as", "nobody", "ok"], "", 3, "No user named 'nobody'"),
    (["tasks", "add", "--as", "gone", "ok"], "", 4, "deactivated"),
    (["tasks", "add", "--as", SQL, "ok"], "", 3, "No user named"),
    (["tasks", "list", "--as", "mia", "--status", "bogus"], "", 2, "Invalid value for '--status'"),
    (["tasks", "list", "--as", "mia", "--all"], "", 4, "managers and admins"),
    (["tasks", "move", "--as", "mia", MINE, "bogus"], "", 2, "'bogus' is not one of"),
    (["tasks", "move", "--as", "mia", MINE, "done"], "", 2, "cannot move to done"),
    (["tasks", "move", "--as", "mia", "one", "done"], "", 2, "not a valid integer"),
    (["tasks", "move", "--as", "mia", MISSING, "in_progress"], "", 3, "does not exist"),
    (["tasks", "move", "--as", "mia", TOO_BIG, "in_progress"], "", 3, "does not exist"),
    (["tasks", "move", "--as", "mia", OTTOS, "in_progress"], "", 4, "own tasks"),
    (["tasks", "log", "--as", "mia", MINE, "abc"], "", 2, "as a duration"),
    (["tasks", "log", "--as", "mia", MINE, "0"], "", 2, "between 1 minute and 24 hours"),
    (["tasks", "log", "--as", "mia", MINE, "1441"], "", 2, "between 1 minute and 24 hours"),
    (["tasks", "log", "--as", "mia", MINE, "25h"], "", 2, "between 1 minute and 24 hours"),
    (["tasks", "log", "--as", "mia", MINE, "-5"], "", 2, "No such option"),
    (["tasks", "log", "--as", "mia", MINE, "--", "-5"], "", 2, "duration must be positive"),
    (["tasks", "log", "--as", "mia", MINE, "9" * 30], "", 2, "as a duration"),
    (["tasks", "log", "--as", "mia", MINE, "１２"], "", 2, "as a duration"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--on", "9999-12-31"], "", 2, "up to today"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--on", "0001-01-01"], "", 2, "from 2000-01-01"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--on", "2026-02-30"], "", 2, "is not a date"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--on", "yesterday"], "", 2, "is not a date"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--note", HUGE], "", 2, "at most 2000"),
    (["tasks", "log", "--as", "mia", MINE, "1h", "--note", "\x00"], "", 2, "NUL"),
    (["tasks", "log", "--as", "mia", OTTOS, "1h"], "", 4, "own tasks"),
    (["tasks", "log", "--as", "mia", MISSING, "1h"], "", 3, "does not exist"),
    (["tasks", "log", "--as", "mia", TOO_BIG, "1h"], "", 3, "does not exist"),
    (["tasks", "log", "--as", "gone", MINE, "1h"], "", 4, "deactivated"),
    # reports
    (["report", "minutes", "--from", "2026-11-10", "--to", "2026-11-01"], "", 2, "end date"),
    (["report", "minutes", "--from", "2020-01-01", "--to", "2026-01-01"], "", 2, "two years"),
    (["report", "minutes", "--to", "0001-01-03"], "", 2, "between 2000-01-01 and 2999-12-31"),
    (["report", "minutes", "--from", "1999-12-31"], "", 2, "between 2000-01-01 and 2999-12-31"),
    (["report", "minutes", "--from", "9999-12-01", "--to", "9999-12-31"], "", 2, "between"),
    (["report", "minutes", "--from", SQL], "", 2, "is not a date"),
    (["report", "minutes", "--by", "bogus"], "", 2, "Invalid value for '--by'"),
    (["report", "minutes", "--format", "xml"], "", 2, "Invalid value for '--format'"),
    # AI help
    (["ai", "draft", "--as", "mia", ""], "", 2, "Title is required"),
    (["ai", "draft", "--as", "mia", HUGE], "", 2, "at most 200 characters"),
    (["ai", "draft", "--as", "mia", "ok", "--context", HUGE], "", 2, "at most 2000"),
    (["ai", "draft", "--as", "gone", "ok"], "", 4, "deactivated"),
    (["ai", "plan", "--as", "nobody"], "", 3, "No user named"),
    # demo data and the server
    (["demo", "seed"], "", 5, "--force"),
    (["demo", "seed", "--force", "--users", "0"], "", 2, "--users must be between"),
    (["demo", "seed", "--force", "--weeks", "0"], "", 2, "--weeks 1..520"),
    (["demo", "seed", "--force", "--entries", "-1"], "", 2, "--entries must be between"),
    (["demo", "seed", "--force", "--tasks", "many"], "", 2, "not a valid integer"),
    (["serve", "--port", "0"], "", 2, "Invalid value for '--port'"),
    (["serve", "--port", "70000"], "", 2, "Invalid value for '--port'"),
    (["frobnicate"], "", 2, "No such command"),
    (["tasks", "add", "ok"], "", 2, "Missing option '--as'"),
    (["tasks", "add", "--as", "mia"], "", 2, "Missing argument 'TITLE'"),
]


@pytest.fixture
def people(make_user, uow, member, other_member, manager):
    make_user("gone", active=False)
    make_user("root", "admin")
    mine = tasks.create_task(uow(), actor=member, title="Mine")
    ottos = tasks.create_task(uow(), actor=other_member, title="Otto's")
    return {"mine": str(mine.id), "ottos": str(ottos.id)}


def _counts(session_factory) -> tuple[int, ...]:
    with session_factory() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) for t in (User, Task, TimeEntry, AuditLog)
        )


def _clean(code: int, out: str, err: str) -> None:
    assert "Traceback" not in out + err
    assert "incident" not in err  # a domain error is not "something unexpected"


@pytest.mark.parametrize(
    ("args", "stdin", "code", "says"),
    REFUSED,
    ids=[" ".join(a)[:60] + f" -> {c}" for a, _, c, _ in REFUSED],
)
def test_bad_values_exit_with_the_documented_code_and_change_nothing(
    cli, people, db_session_factory, args, stdin, code, says
):
    args = [a.format(**people) if a in (MINE, OTTOS) else a for a in args]
    before = _counts(db_session_factory)
    got, out, err = cli(*args, stdin=stdin)
    assert (got, says in err) == (code, True), err
    _clean(got, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: ")
    assert len(lines) <= 3  # one line for domain errors; click's usage errors add two
    assert all(len(line) < 400 for line in lines)  # a huge input is never echoed whole
    assert _counts(db_session_factory) == before


HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    SQL,
    "Robert'); DELETE FROM users;--",
    "%_\\ and **markdown** :red[x]",
    "\u202eevil e\u0301 🧨",
    "{{7*7}} ${jndi:ldap://x}",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_and_printed_exactly_as_typed(cli, people, text):
    code, out, err = cli("tasks", "add", "--as", "mia", text, "--description", text)
    assert code == 0, err
    task_id = out.split("#")[1].split(":")[0]
    assert out.strip() == f"Created task #{task_id}: {text}"
    code, out, _ = cli("tasks", "log", "--as", "mia", task_id, "5m", "--note", text)
    assert code == 0
    code, out, _ = cli("tasks", "list", "--as", "mia", "--json", "--search", text)
    [found] = json.loads(out)
    assert (found["title"], found["description"]) == (text, text)


def test_a_full_name_is_printed_to_the_operator_as_typed_and_harmless(cli, uow, member):
    from sprintsync.services import users

    users.update_profile(uow(), actor=member, full_name="Mia <b>'; --", email=None)
    code, out, _ = cli("users", "list")
    assert code == 0
    assert "Mia <b>'; --" in out
    assert all(c.isprintable() for c in out.replace("\n", ""))


def test_demo_logins_go_into_a_private_file_even_one_that_was_readable_by_all(cli, tmp_path):
    logins = tmp_path / "logins.txt"
    logins.write_text("old notes\n")
    logins.chmod(0o644)
    code, _, err = cli("demo", "seed", "--tasks", "5", "--weeks", "1", "--logins-file", str(logins))
    assert code == 0, err
    assert logins.stat().st_mode & 0o777 == 0o600
    assert "old notes" not in logins.read_text()


CLI_EXAMPLES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@CLI_EXAMPLES
@given(duration=st.text(max_size=12), title=st.text(max_size=40))
def test_any_title_and_duration_is_a_task_and_its_time_or_a_clear_refusal(
    cli, people, title, duration
):
    code, out, err = cli("tasks", "add", "--as", "mia", title)
    assert code in (0, 2), err
    _clean(code, out, err)
    code, out, err = cli("tasks", "log", "--as", "mia", people["mine"], "--", duration)
    assert code in (0, 2), err
    _clean(code, out, err)
