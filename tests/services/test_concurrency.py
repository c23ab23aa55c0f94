"""Real commits from real threads, each on its own connection, in a database of the test's own."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync.db import UnitOfWork
from sprintsync.domain import Role
from sprintsync.errors import AuthError, Conflict, PermissionDenied, ValidationError
from sprintsync.services import auth, bootstrap, tasks, timelog, user_rows, users
from sprintsync.services.views import CONSOLE, Actor
from tests.conftest import PASSWORD


@pytest.fixture
def fresh_uow(fresh_db):
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)
    return lambda: UnitOfWork(sessions)


def test_eight_threads_logging_fifty_entries_each_end_with_the_exact_total(fresh_uow, fresh_db):
    owner = users.create_user(fresh_uow(), actor=CONSOLE, username="worker", role="member")
    actor = users.actor_for(fresh_uow(), username=owner.user.username)
    task = tasks.create_task(fresh_uow(), actor=actor, title="Busy task")
    start = threading.Barrier(8)

    def log_fifty(n: int) -> int:
        start.wait()
        logged = 0
        for i in range(50):
            # All on one day, within its 24 hours: the day's cap is checked under the same
            # contention.
            minutes = 1 + (n * 50 + i) % 3
            timelog.log_time(fresh_uow(), actor=actor, task_id=task.id, duration=minutes)
            logged += minutes
        return logged

    with ThreadPoolExecutor(8) as pool:
        expected = sum(pool.map(log_fifty, range(8)))

    assert tasks.get_task(fresh_uow(), actor=actor, task_id=task.id).total_minutes == expected
    with fresh_db.connect() as conn:
        count, summed = conn.execute(
            text("SELECT count(*), sum(minutes) FROM time_entries WHERE task_id = :t"),
            {"t": task.id},
        ).one()
    assert (count, summed) == (400, expected)


class HeldCommit(UnitOfWork):
    """A unit of work whose commit waits for `release`: its writes and row locks are held
    until then, so another transaction can be made to run into them."""

    def __init__(self, sessions, holding: threading.Event, release: threading.Event) -> None:
        super().__init__(sessions)
        self._holding, self._release = holding, release

    def commit(self) -> None:
        self._holding.set()
        assert self._release.wait(30)
        super().commit()


def _waiting_on_a_lock(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        ).scalar_one()


def test_two_stale_updates_give_one_success_and_one_conflict(fresh_uow, fresh_db):
    """Both start from version 1. A saves and holds its commit; B runs into A's row lock
    (seen waiting in pg_stat_activity) while A is still uncommitted, then A commits: B must
    see A's version and refuse, not save over it."""
    owner = users.create_user(fresh_uow(), actor=CONSOLE, username="editor", role="member")
    actor = users.actor_for(fresh_uow(), username=owner.user.username)
    task = tasks.create_task(fresh_uow(), actor=actor, title="Original")
    holding, release = threading.Event(), threading.Event()
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)

    def edit(uow: UnitOfWork, title: str) -> str:
        try:
            tasks.update_task(
                uow, actor=actor, task_id=task.id, expected_version=task.version, title=title
            )
            return "ok"
        except Conflict:
            return "conflict"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(edit, HeldCommit(sessions, holding, release), "From A")
        assert holding.wait(30)  # A has written and holds the row
        second = pool.submit(edit, fresh_uow(), "From B")
        deadline = time.monotonic() + 30
        while not _waiting_on_a_lock(fresh_db):
            assert not second.done(), "B finished without waiting for A's lock"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        release.set()
        outcomes = (first.result(30), second.result(30))
    assert outcomes == ("ok", "conflict")
    final = tasks.get_task(fresh_uow(), actor=actor, task_id=task.id)
    assert (final.title, final.version) == ("From A", 2)


def test_concurrent_sign_ups_of_one_name_let_exactly_one_through(fresh_uow):
    start = threading.Barrier(4)

    def sign_up(n: int) -> str:
        start.wait()
        try:
            users.register(fresh_uow(), username="Popular", password=f"password-{n}")
            return "ok"
        except Conflict as error:
            assert "already taken" in error.message
            return "taken"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(sign_up, range(4)))
    assert outcomes == ["ok", "taken", "taken", "taken"]


def test_concurrent_wrong_passwords_lock_the_account_and_the_lock_holds(fresh_uow, fresh_db):
    users.create_user(fresh_uow(), actor=CONSOLE, username="target", password="right-password")
    start = threading.Barrier(8)

    def attempt(_):
        start.wait()
        try:
            auth.authenticate(fresh_uow(), username="target", password="wrong-password")
        except AuthError as error:
            return error.message

    with ThreadPoolExecutor(8) as pool:
        messages = list(pool.map(attempt, range(8)))
    assert auth.LOCKED in messages
    with fresh_db.connect() as conn:
        failures, locked = conn.execute(
            text(
                "SELECT failures, locked_until > now() FROM sign_in_failures"
                " WHERE name_key = sha256(convert_to('target', 'UTF8'))"
            )
        ).one()
    assert failures >= 5
    assert locked
    with pytest.raises(AuthError, match="Too many"):
        auth.authenticate(fresh_uow(), username="target", password="right-password")


@pytest.fixture
def bcrypt_calls(monkeypatch, fresh_db):
    """Each hash or check of a password by the users service (the real function, wrapped),
    with how many of the pool's connections were checked out while it ran."""
    calls: list[tuple[str, int]] = []

    def spy(real):
        def run(*args, **kwargs):
            calls.append((real.__name__, fresh_db.pool.checkedout()))
            return real(*args, **kwargs)

        return run

    for module in (users, user_rows):  # user_rows hashes new accounts' passwords
        monkeypatch.setattr(module, "hash_password", spy(auth.hash_password))
    monkeypatch.setattr(users, "verify_password", spy(auth.verify_password))
    return calls


def _admin_and_member(fresh_uow) -> tuple[Actor, Actor]:
    for name, role in (("root", "admin"), ("target", "member")):
        users.create_user(fresh_uow(), actor=CONSOLE, username=name, role=role, password=PASSWORD)
    return users.actor_for(fresh_uow(), username="root"), users.actor_for(
        fresh_uow(), username="target"
    )


BCRYPT_CALLERS = {
    "register": lambda u, root, target: users.register(
        u(), username="newbie", password="a-good-password"
    ),
    "create_user": lambda u, root, target: users.create_user(u(), actor=root, username="brand-new"),
    "create_user (console)": lambda u, root, target: users.create_user(
        u(), actor=CONSOLE, username="brand-new", password="a-good-password"
    ),
    "reset_password": lambda u, root, target: users.reset_password(
        u(), actor=root, username="target"
    ),
    "change_password": lambda u, root, target: users.change_password(
        u(), actor=target, current_password=PASSWORD, new_password="another passphrase"
    ),
}


@pytest.mark.parametrize("call", BCRYPT_CALLERS.values(), ids=BCRYPT_CALLERS.keys())
def test_bcrypt_runs_while_no_database_connection_is_held(fresh_uow, bcrypt_calls, call):
    root, target = _admin_and_member(fresh_uow)
    bcrypt_calls.clear()
    call(fresh_uow, root, target)
    assert bcrypt_calls, "the call hashed or checked no password"
    assert [held for _, held in bcrypt_calls] == [0] * len(bcrypt_calls)


def test_the_first_admin_is_hashed_while_no_database_connection_is_held(fresh_uow, bcrypt_calls):
    assert bootstrap.bootstrap_admin(fresh_uow(), username="root", password=PASSWORD) is not None
    assert bcrypt_calls == [("hash_password", 0)]
    assert bootstrap.bootstrap_admin(fresh_uow(), username="root2", password=PASSWORD) is None
    assert len(bcrypt_calls) == 1, "bcrypt work was spent when there was nothing to create"


def test_a_password_changed_elsewhere_meanwhile_is_not_overwritten(
    fresh_uow, fresh_db, bcrypt_calls, monkeypatch
):
    _, target = _admin_and_member(fresh_uow)
    elsewhere = auth.hash_password("changed elsewhere")
    hash_new = users.hash_password

    def hash_after_someone_else_changed_it(password: str) -> str:
        with fresh_db.begin() as conn:  # fails at once if change_password holds the row
            conn.execute(text("SET LOCAL lock_timeout = '2s'"))
            conn.execute(
                text("UPDATE users SET password_hash = :h WHERE username = 'target'"),
                {"h": elsewhere},
            )
        return hash_new(password)

    monkeypatch.setattr(users, "hash_password", hash_after_someone_else_changed_it)
    with pytest.raises(Conflict, match="changed elsewhere"):
        users.change_password(
            fresh_uow(), actor=target, current_password=PASSWORD, new_password="mine, too late"
        )
    assert auth.authenticate(fresh_uow(), username="target", password="changed elsewhere")


def test_two_admins_removing_each_other_at_once_never_deadlock_and_leave_an_admin(fresh_uow):
    for name in ("ann", "bob"):
        users.create_user(
            fresh_uow(), actor=CONSOLE, username=name, role="admin", password=PASSWORD
        )
    start = threading.Barrier(2)

    def remove(me: Actor, other: str, demote: bool) -> str:
        start.wait()
        try:
            if demote:
                users.set_role(fresh_uow(), actor=me, username=other, role="member")
            else:
                users.set_active(fresh_uow(), actor=me, username=other, active=False)
        except (AuthError, PermissionDenied, ValidationError):
            return "refused"
        return "ok"

    ways = [(False, False), (True, True), (True, False)]  # deactivate, demote, one of each
    with ThreadPoolExecutor(2) as pool:
        for round_ in range(21):
            ann, bob = (users.actor_for(fresh_uow(), username=n) for n in ("ann", "bob"))
            ann_demotes, bob_demotes = ways[round_ % 3]
            outcomes = [
                pool.submit(remove, ann, "bob", ann_demotes),
                pool.submit(remove, bob, "ann", bob_demotes),
            ]
            assert sorted(f.result() for f in outcomes) == ["ok", "refused"], round_
            admins = users.list_users(fresh_uow(), actor=CONSOLE)
            assert [u.username for u in admins if u.role == Role.ADMIN and u.is_active], round_
            for name in ("ann", "bob"):
                users.set_role(fresh_uow(), actor=CONSOLE, username=name, role="admin")
                users.set_active(fresh_uow(), actor=CONSOLE, username=name, active=True)
