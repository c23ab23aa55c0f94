"""The sign-in lockout: one count per name in PostgreSQL, for real accounts and names that do
not exist alike, so its answers never tell them apart (on any replica, after a restart, or
after any number of other names); and a locked admin still has a way back."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import func, select, text

from sprintsync import db
from sprintsync.errors import AuthError, ValidationError
from sprintsync.models import SignInFailure
from sprintsync.services import auth, users
from sprintsync.services.users import OWN_RESET
from sprintsync.services.views import CONSOLE
from tests.conftest import PASSWORD

REAL, UNKNOWN = "mia", "ghost-user"
WRONG = "wrong-password"


def answers(uow, name: str, times: int, password: str = WRONG) -> list[str]:
    said = []
    for _ in range(times):
        try:
            auth.authenticate(uow(), username=name, password=password)
            said.append("signed in")
        except AuthError as error:
            said.append(error.message)
    return said


def test_a_real_name_and_an_unknown_one_answer_alike_attempt_by_attempt(uow, member):
    expected = [auth.INVALID] * 4 + [auth.LOCKED] * 3
    assert answers(uow, REAL, 7) == answers(uow, UNKNOWN, 7) == expected


def test_other_names_failing_never_push_a_name_out_of_the_count(uow, member, db_session_factory):
    answers(uow, REAL, 4)
    answers(uow, UNKNOWN, 4)
    with db_session_factory() as s:  # 20,000 other names failed meanwhile (minutes ago)
        s.execute(
            text(
                "INSERT INTO sign_in_failures (name_key, failures, last_failed_at)"
                " SELECT sha256(convert_to('other-' || n, 'UTF8')), 1, now()"
                " FROM generate_series(1, 20000) n"
            )
        )
        s.commit()
    assert answers(uow, REAL, 1) == answers(uow, UNKNOWN, 1) == [auth.LOCKED]


def test_the_count_forgets_failures_older_than_the_lockout_for_every_name(
    uow, member, age_sign_in_failures
):
    answers(uow, REAL, 4)
    answers(uow, UNKNOWN, 4)
    age_sign_in_failures(auth.LOCKOUT + dt.timedelta(seconds=1))
    assert answers(uow, REAL, 1) == answers(uow, UNKNOWN, 1) == [auth.INVALID]


def test_a_lock_ends_after_fifteen_minutes_for_every_name(uow, member, age_sign_in_failures):
    answers(uow, REAL, 5)
    answers(uow, UNKNOWN, 5)
    age_sign_in_failures(auth.LOCKOUT + dt.timedelta(seconds=1))
    assert answers(uow, REAL, 1) == answers(uow, UNKNOWN, 1) == [auth.INVALID]
    assert answers(uow, REAL, 1, PASSWORD) == ["signed in"]


def test_dead_rows_are_swept_so_the_table_holds_only_recent_failures(
    uow, member, db_session_factory, age_sign_in_failures
):
    for n in range(30):
        answers(uow, f"sprayed-{n}", 1)
    age_sign_in_failures(auth.LOCKOUT + dt.timedelta(minutes=1))
    answers(uow, "one-more", 1)
    with db_session_factory() as s:
        left = s.scalar(select(func.count()).select_from(SignInFailure))
    assert left == 1  # the 30 old ones went with the next failure


def test_a_locked_admin_still_signed_in_unlocks_themselves(uow, make_user):
    ada = make_user("ada", "admin")
    assert answers(uow, "ada", 5)[-1] == auth.LOCKED
    assert answers(uow, "ada", 1, PASSWORD) == [auth.LOCKED]
    unlocked = users.unlock(uow(), actor=ada, username="ada")  # ada's open session
    assert unlocked.locked_until is None
    assert answers(uow, "ada", 1, PASSWORD) == ["signed in"]


def test_the_console_unlocks_anyone(cli, uow, make_user):
    make_user("ada", "admin")
    answers(uow, "ada", 5)
    code, out, _ = cli("users", "unlock", "ada")
    assert (code, out.strip()) == (0, "ada can sign in again.")
    assert answers(uow, "ada", 1, PASSWORD) == ["signed in"]


def test_the_admin_page_sees_who_is_locked(uow, member, admin):
    answers(uow, REAL, 5)
    listed = {u.username: u for u in users.list_users(uow(), actor=admin)}
    assert listed[REAL].locked_until is not None
    assert listed[admin.username].locked_until is None
    assert users.get_user(uow(), actor=admin, username=REAL).locked_until is not None


def test_an_admin_cannot_reset_their_own_password_and_lose_their_session(uow, make_user):
    ada, _ = make_user("ada", "admin"), make_user("root", "admin")
    with pytest.raises(ValidationError) as refused:
        users.reset_password(uow(), actor=ada, username="ADA ")
    assert refused.value.message == OWN_RESET
    # Nothing changed: the session goes on and the password still works.
    assert auth.resume_session(uow(), user_id=ada.id, token_version=ada.token_version)
    assert answers(uow, "ada", 1, PASSWORD) == ["signed in"]
    # Another admin, or the console, still can.
    assert users.reset_password(uow(), actor=CONSOLE, username="ada").password


def test_locks_and_counts_survive_the_migration_both_ways(fresh_db):
    with fresh_db.connect() as conn:
        command.downgrade(db.alembic_config(conn), "0003")
        conn.commit()
        conn.execute(
            text(
                "INSERT INTO users (username, password_hash, failed_logins, locked_until) VALUES"
                " ('locked', 'x', 5, now() + interval '10 minutes'), ('tried', 'x', 2, NULL),"
                " ('calm', 'x', 0, NULL)"
            )
        )
        conn.commit()
    db.migrate(fresh_db)
    with fresh_db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.username, f.failures, f.locked_until > now() FROM sign_in_failures f"
                " JOIN users u ON f.name_key = sha256(convert_to(lower(u.username), 'UTF8'))"
                " ORDER BY 1"
            )
        ).all()
        assert [tuple(r) for r in rows] == [("locked", 5, True), ("tried", 2, None)]
        command.downgrade(db.alembic_config(conn), "0003")
        conn.commit()
        back = conn.execute(text("SELECT username, failed_logins FROM users ORDER BY 1")).all()
        assert [tuple(r) for r in back] == [("calm", 0), ("locked", 5), ("tried", 2)]
    db.migrate(fresh_db)
