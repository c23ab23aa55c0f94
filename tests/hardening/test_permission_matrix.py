"""Every service function x role x ownership: allowed, or refused, exactly as the roles say.

member: own tasks and own time. manager: that, plus reading everyone's tasks and time and the
team analytics. admin: everything. A deactivated account is refused everything (AuthError: not
signed in), and so is a session that ended (signed out, password changed or reset).

"own" means the actor's own task, entry, timer or data; "others" another member's. Functions
without an owner (user management, the directory, AI help) take the same answer for both.
test_every_public_service_function_is_in_the_matrix keeps the table complete: a new service
function fails it until it is given a row in permission_rows.py (or, if it takes no actor, a
reason below).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import replace

import pytest
from sqlalchemy import func, select

import sprintsync.services
from sprintsync.errors import AuthError, PermissionDenied
from sprintsync.models import AuditLog
from sprintsync.services import (
    auth,
    projects,
    sprints,
    tasks,
    timelog,
    users,
)
from sprintsync.services.common import SESSION_ENDED
from sprintsync.services.views import CONSOLE
from tests.hardening.permission_kit import (
    TODAY,
    Op,
    World,
)
from tests.hardening.permission_rows import OPERATIONS

# Service functions that take no signed-in actor, and where their rules are tested instead.
ACTORLESS = {
    "auth.authenticate": "signing in; tests/services/test_auth.py, test_sign_in_timing.py",
    "auth.record_wrong_password": "counts a failed password check for sign-in and password "
    "changes; tests/services/test_auth.py, test_users.py",
    "auth.resume_session": "a cookie becoming an actor; tests/hardening/test_session_cookies.py",
    "users.register": "self sign-up while open; tests/services/test_signup_and_profile.py",
    "users.actor_for": "the console operator's --as NAME; tests/cli/test_cli.py",
    "bootstrap.bootstrap_admin": "the first admin from the environment; "
    "tests/services/test_users.py",
    "ai.guards.check_rate": "the AI helpers' own limit, counted after their actor checks; "
    "tests/ai/test_cache_and_limit.py, tests/hardening/test_replicas.py",
    "ai.guards.cached": "the AI helpers' own cache; tests/ai/test_cache_and_limit.py",
    "ai.guards.remember": "the AI helpers' own cache; tests/ai/test_cache_and_limit.py",
    "tokens.authenticate_token": "a request's token becoming its owner; tests/api/test_tokens.py, "
    "tests/api/test_api_permissions.py",
    "demo.has_users": "the console's demo seeding; tests/services/test_demo.py",
    "demo.seed": "the console's demo seeding; tests/services/test_demo.py",
}


def public_service_functions() -> set[str]:
    """Every module-level function of sprintsync.services whose first parameter is the unit
    of work, named by module (relative to sprintsync.services) and function."""
    found = set()
    package = sprintsync.services
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if fn.__module__ != module.__name__:
                continue  # imported from elsewhere; counted where it is defined
            parameters = list(inspect.signature(fn).parameters)
            if parameters[:1] == ["uow"]:
                found.add(f"{module.__name__.removeprefix(package.__name__ + '.')}.{name}")
    return found


def test_every_public_service_function_is_in_the_matrix():
    covered = {name.split("(")[0] for name in OPERATIONS} | set(ACTORLESS)
    found = public_service_functions()
    assert found - covered == set(), "add these to OPERATIONS (or ACTORLESS, with a reason)"
    assert covered - found == set(), "these are no longer service functions"
    assert set(OPERATIONS) & set(ACTORLESS) == set()


def _world(uow, make_user, role: str, ownership: str, op: Op) -> World:
    actor = make_user(f"actor-{role}", "member" if role == "deactivated" else role)
    owner = actor if ownership == "own" else make_user("owner", "member")
    make_user("bystander", "member")
    root = make_user("root", "admin")
    plan = projects.create_project(uow(), actor=root, key="PLAN", name="Planning")
    sprint = sprints.create_sprint(
        uow(), actor=root, project_id=plan.id, name="Sprint 1", starts_on=TODAY, ends_on=TODAY
    )
    task = tasks.create_task(
        uow(), actor=owner, title="Owned task", tags=["ops"], project_id=plan.id
    )
    entry = timelog.log_time(uow(), actor=owner, task_id=task.id, duration="1h")
    mine = task.id if ownership == "own" else tasks.create_task(uow(), actor=actor, title="Mine").id
    world = World(actor, owner, task.id, entry.id, root, mine, plan.id, sprint.id)
    if op.prepare:
        op.prepare(uow, world, ownership)
    if role == "deactivated":
        users.set_active(uow(), actor=CONSOLE, username=actor.username, active=False)
    return world


def _audit_rows(session_factory) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditLog))


@pytest.mark.parametrize("ownership", ["own", "others"])
@pytest.mark.parametrize("role", ["member", "manager", "admin", "deactivated"])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_service_allows_or_refuses_exactly_as_the_roles_say(
    uow, make_user, db_session_factory, operation, role, ownership
):
    op = OPERATIONS[operation]
    world = _world(uow, make_user, role, ownership, op)
    if role in (op.own if ownership == "own" else op.others):
        op.call(uow, world)
        return
    before = _audit_rows(db_session_factory)
    with pytest.raises(AuthError if role == "deactivated" else PermissionDenied):
        op.call(uow, world)
    assert _audit_rows(db_session_factory) == before  # a refusal changes nothing


def _first_allowed(op: Op) -> tuple[str, str]:
    """(role, ownership) of the first cell the op allows: own things, else others'."""
    ownership, roles = ("own", op.own) if op.own else ("others", op.others)
    return next(role for role in ("member", "manager", "admin") if role in roles), ownership


@pytest.mark.parametrize(
    "operation", sorted(name for name, op in OPERATIONS.items() if "deactivated" not in op.own)
)
def test_every_service_refuses_a_session_that_has_ended(
    uow, make_user, db_session_factory, operation
):
    """The actor a browser holds, after that user signed out somewhere (a password change or
    reset bumps the same token version)."""
    op = OPERATIONS[operation]
    world = _world(uow, make_user, *_first_allowed(op), op)
    auth.sign_out(uow(), actor=world.actor)
    before = _audit_rows(db_session_factory)
    with pytest.raises(AuthError, match=SESSION_ENDED):
        op.call(uow, world)
    assert _audit_rows(db_session_factory) == before


# What the console operator (CONSOLE, passed by the CLI's account, planning and report commands
# and by the metrics gauges) may do: manage accounts, projects and sprints, read the audit log,
# totals and analytics.
CONSOLE_MAY = {
    name
    for name in OPERATIONS
    if name.startswith(
        ("users.", "audit.", "stats.", "analytics.", "projects.", "sprints.", "tags.", "choices.")
    )
    and name.split("(")[0]
    not in {"users.directory", "users.update_profile", "users.change_password"}
} | {
    "weeks.team_weeks",
    "weeks.set_expected_hours",
    "reminders.remind_week",
    "entry_report.time_entries_report",
}


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_missing_actor_is_refused_by_every_service_and_changes_nothing(
    uow, make_user, db_session_factory, operation
):
    """`actor=None` (a forgotten argument) is never the console's full power."""
    op = OPERATIONS[operation]
    world = _world(uow, make_user, "admin", "own", op)
    before = _audit_rows(db_session_factory)
    with pytest.raises(AuthError):
        op.call(uow, replace(world, actor=None))
    assert _audit_rows(db_session_factory) == before


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_the_console_may_manage_accounts_and_read_reports_but_owns_no_work(
    uow, make_user, db_session_factory, operation
):
    op = OPERATIONS[operation]
    world = replace(_world(uow, make_user, "admin", "others", op), actor=CONSOLE)
    if operation in CONSOLE_MAY:
        op.call(uow, world)
        return
    before = _audit_rows(db_session_factory)
    with pytest.raises(PermissionDenied, match="--as NAME"):
        op.call(uow, world)
    assert _audit_rows(db_session_factory) == before
