"""Every service function x role x ownership: allowed, or refused, exactly as the roles say.

member: own tasks and own time. manager: that, plus reading everyone's tasks and time and the
team analytics. admin: everything. A deactivated account is refused everything (AuthError: not
signed in), and so is a session that ended (signed out, password changed or reset).

"own" means the actor's own task, entry, timer or data; "others" another member's. Functions
without an owner (user management, the directory, AI help) take the same answer for both.
test_every_public_service_function_is_in_the_matrix keeps the table complete: a new service
function fails it until it is given a row here (or, if it takes no actor, a reason below).
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from sqlalchemy import func, select

import sprintsync.services
from sprintsync.domain import Status
from sprintsync.errors import AuthError, PermissionDenied
from sprintsync.models import AuditLog
from sprintsync.services import (
    ai,
    analytics,
    audit,
    auth,
    entry_report,
    preferences,
    projects,
    reminders,
    sprints,
    stats,
    tags,
    tasks,
    timelog,
    timers,
    timesheet_grid,
    timesheets,
    tokens,
    users,
    weeks,
)
from sprintsync.services.ai import outcomes
from sprintsync.services.analytics import scope
from sprintsync.services.common import SESSION_ENDED
from sprintsync.services.timesheet_views import GridCell
from sprintsync.services.views import CONSOLE, Actor
from tests.conftest import PASSWORD


@dataclass
class World:
    actor: Actor
    owner: Actor  # whose things "others" means; the actor themself for "own"
    task_id: int  # the owner's task, with one entry of the owner's
    entry_id: int
    root: Actor  # an admin besides the actor, so the actor is never the last one
    mine: int = 0  # a task of the actor's own, for calls that need one (see Op.prepare)
    project_id: int = 0  # a project with an active sprint, made by root
    sprint_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


Call = Callable[[Callable[[], Any], World], Any]


@dataclass(frozen=True)
class Op:
    call: Call
    own: frozenset[str]  # roles allowed on their own things
    others: frozenset[str]  # roles allowed on another member's things
    prepare: Callable[[Callable[[], Any], World, str], None] | None = None  # before deactivation


MEMBERS = frozenset({"member", "manager", "admin"})
READERS = frozenset({"manager", "admin"})
ADMINS = frozenset({"admin"})
EVERYONE = MEMBERS | {"deactivated"}
TODAY = dt.date.today()
WEEK_AGO = TODAY - dt.timedelta(days=7)
STARTED = Status.IN_PROGRESS


def _timer_running(uow, w: World, ownership: str) -> None:
    """The actor's timer runs on their own task; for "others" that task has since been
    reassigned to the owner (an admin did it). The actor may still stop their own timer (the
    time is logged as theirs: it was tracked while the task was theirs) or discard it."""
    timers.start_timer(uow(), actor=w.actor, task_id=w.mine)
    if ownership == "others":
        tasks.update_task(
            uow(), actor=w.root, task_id=w.mine, expected_version=1, assignee_id=w.owner.id
        )


def _owners_token(uow, w: World, ownership: str) -> None:
    w.extra["token_id"] = tokens.create_token(uow(), actor=w.owner, name="laptop").token.id


def _days(**more: Any) -> dict[str, Any]:
    return {"start": WEEK_AGO, "end": TODAY, **more}


def _analytics(fn) -> Op:
    """A team figure over a range, asked about the owner: theirs, or others' for readers."""
    return Op(lambda u, w: fn(u(), actor=w.actor, **_days(user_ids=[w.owner.id])), MEMBERS, READERS)


def _personal(fn) -> Op:
    return Op(lambda u, w: fn(u(), actor=w.actor, user_id=w.owner.id), MEMBERS, READERS)


def _only(roles: frozenset[str], call: Call, prepare=None) -> Op:
    """No owner involved: the same answer for own and others."""
    return Op(call, roles, roles, prepare)


def _archived(uow, w: World, ownership: str) -> None:
    projects.archive_project(uow(), actor=w.root, project_id=w.project_id)


def _work(fn) -> Op:
    """A team figure by project, sprint or tag: as _analytics, about the world's project."""
    return Op(
        lambda u, w: fn(
            u(), actor=w.actor, **_days(user_ids=[w.owner.id], project_ids=[w.project_id])
        ),
        MEMBERS,
        READERS,
    )


def _submitted(uow, w: World, ownership: str) -> None:
    weeks.submit_week(uow(), actor=w.owner, week_start=TODAY)


def _approved(uow, w: World, ownership: str) -> None:
    _submitted(uow, w, ownership)
    weeks.approve_week(uow(), actor=w.root, user_id=w.owner.id, week_start=TODAY)


def _reminded(uow, w: World, ownership: str) -> None:
    (mine,) = [
        r
        for r in reminders.remind_week(uow(), actor=w.root, week_start=TODAY)
        if r.user_id == w.owner.id
    ]
    w.extra["reminder"] = mine.id


NOBODY: frozenset[str] = frozenset()


def _decide(fn, **more: Any) -> Op:
    """A decision on the owner's submitted week: never one's own, others' for leads."""
    return Op(
        lambda u, w: fn(u(), actor=w.actor, user_id=w.owner.id, week_start=TODAY, **more),
        NOBODY,
        READERS,
        _submitted,
    )


OPERATIONS: dict[str, Op] = {
    # timesheet weeks: your own; leads decide others' (never their own); admins reopen
    "weeks.week_status": Op(
        lambda u, w: weeks.week_status(u(), actor=w.actor, week_start=TODAY, user_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "weeks.team_weeks": _only(
        READERS, lambda u, w: weeks.team_weeks(u(), actor=w.actor, week_start=TODAY)
    ),
    "weeks.submit_week": _only(
        MEMBERS, lambda u, w: weeks.submit_week(u(), actor=w.actor, week_start=TODAY)
    ),
    "weeks.approve_week": _decide(weeks.approve_week),
    "weeks.return_week": _decide(weeks.return_week, comment="Fix Tuesday"),
    "weeks.reopen_week": Op(
        lambda u, w: weeks.reopen_week(
            u(), actor=w.actor, user_id=w.owner.id, week_start=TODAY, reason="Wrong task"
        ),
        ADMINS,
        ADMINS,
        _approved,
    ),
    "weeks.set_expected_hours": _only(
        ADMINS,
        lambda u, w: weeks.set_expected_hours(
            u(), actor=w.actor, username="bystander", hours="20h"
        ),
    ),
    "timesheet_grid.save_grid": Op(
        lambda u, w: timesheet_grid.save_grid(
            u(),
            actor=w.actor,
            week_start=TODAY,
            cells=[GridCell(w.task_id, TODAY.weekday(), "2h")],
        ),
        MEMBERS,
        ADMINS,
    ),
    "reminders.remind_week": _only(
        ADMINS, lambda u, w: reminders.remind_week(u(), actor=w.actor, week_start=TODAY)
    ),
    "reminders.my_reminders": _only(
        MEMBERS, lambda u, w: reminders.my_reminders(u(), actor=w.actor)
    ),
    "reminders.dismiss_reminder": Op(
        lambda u, w: reminders.dismiss_reminder(
            u(), actor=w.actor, reminder_id=w.extra["reminder"]
        ),
        MEMBERS,
        NOBODY,
        _reminded,
    ),
    "entry_report.time_entries_report": _only(
        READERS,
        lambda u, w: entry_report.time_entries_report(
            u(), actor=w.actor, **_days(user_ids=[w.owner.id], tags=["ops"])
        ),
    ),
    # projects, sprints, tags: everyone reads the active ones; leads change them
    "projects.list_projects": _only(
        MEMBERS, lambda u, w: projects.list_projects(u(), actor=w.actor)
    ),
    "projects.list_projects(archived)": _only(
        READERS, lambda u, w: projects.list_projects(u(), actor=w.actor, include_archived=True)
    ),
    "projects.get_project": _only(
        MEMBERS, lambda u, w: projects.get_project(u(), actor=w.actor, project_id=w.project_id)
    ),
    "projects.get_project(archived)": _only(
        READERS,
        lambda u, w: projects.get_project(u(), actor=w.actor, project_id=w.project_id),
        _archived,
    ),
    "projects.find_project": _only(
        MEMBERS, lambda u, w: projects.find_project(u(), actor=w.actor, key="PLAN")
    ),
    "projects.create_project": _only(
        READERS, lambda u, w: projects.create_project(u(), actor=w.actor, key="NEW", name="New")
    ),
    "projects.update_project": _only(
        READERS,
        lambda u, w: projects.update_project(
            u(), actor=w.actor, project_id=w.project_id, expected_version=1, budget="10h"
        ),
    ),
    "projects.archive_project": _only(
        READERS,
        lambda u, w: projects.archive_project(u(), actor=w.actor, project_id=w.project_id),
    ),
    "sprints.list_sprints": _only(
        MEMBERS, lambda u, w: sprints.list_sprints(u(), actor=w.actor, project_id=w.project_id)
    ),
    "sprints.active_projects_sprints": _only(
        MEMBERS, lambda u, w: sprints.active_projects_sprints(u(), actor=w.actor)
    ),
    "sprints.get_sprint": _only(
        MEMBERS, lambda u, w: sprints.get_sprint(u(), actor=w.actor, sprint_id=w.sprint_id)
    ),
    "sprints.find_sprint": _only(
        MEMBERS,
        lambda u, w: sprints.find_sprint(
            u(), actor=w.actor, project_id=w.project_id, name="Sprint 1"
        ),
    ),
    "sprints.create_sprint": _only(
        READERS,
        lambda u, w: sprints.create_sprint(
            u(),
            actor=w.actor,
            project_id=w.project_id,
            name="Sprint 2",
            starts_on=TODAY + dt.timedelta(days=8),
            ends_on=TODAY + dt.timedelta(days=21),
        ),
    ),
    "sprints.update_sprint": _only(
        READERS,
        lambda u, w: sprints.update_sprint(
            u(), actor=w.actor, sprint_id=w.sprint_id, expected_version=1, goal="Ship it"
        ),
    ),
    "tags.list_tags": _only(MEMBERS, lambda u, w: tags.list_tags(u(), actor=w.actor)),
    "tags.find_tag": _only(MEMBERS, lambda u, w: tags.find_tag(u(), actor=w.actor, name="ops")),
    # tasks
    "tasks.create_task(assignee)": Op(
        lambda u, w: tasks.create_task(u(), actor=w.actor, title="New", assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.create_task(sprint)": _only(
        MEMBERS,
        lambda u, w: tasks.create_task(
            u(), actor=w.actor, title="Planned", project_id=w.project_id, sprint_id=w.sprint_id
        ),
    ),
    "tasks.move_to_sprint": Op(
        lambda u, w: tasks.move_to_sprint(
            u(), actor=w.actor, task_id=w.task_id, sprint_id=w.sprint_id
        ),
        MEMBERS,
        ADMINS,
    ),
    "tasks.get_task": Op(
        lambda u, w: tasks.get_task(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "tasks.task_history": Op(
        lambda u, w: tasks.task_history(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "tasks.list_tasks(assignee)": Op(
        lambda u, w: tasks.list_tasks(u(), actor=w.actor, assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.all_tasks(assignee)": Op(
        lambda u, w: tasks.all_tasks(u(), actor=w.actor, assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.all_tasks(everyone)": _only(
        READERS, lambda u, w: tasks.all_tasks(u(), actor=w.actor, everyone=True)
    ),
    "tasks.list_tasks(everyone)": _only(
        READERS, lambda u, w: tasks.list_tasks(u(), actor=w.actor, everyone=True)
    ),
    "tasks.update_task": Op(
        lambda u, w: tasks.update_task(
            u(), actor=w.actor, task_id=w.task_id, expected_version=1, title="Renamed"
        ),
        MEMBERS,
        ADMINS,
    ),
    "tasks.update_task(assignee)": Op(
        lambda u, w: tasks.update_task(
            u(), actor=w.actor, task_id=w.mine, expected_version=1, assignee_id=w.owner.id
        ),
        MEMBERS,
        READERS,
    ),
    "tasks.move_task": Op(
        lambda u, w: tasks.move_task(u(), actor=w.actor, task_id=w.task_id, to_status=STARTED),
        MEMBERS,
        ADMINS,
    ),
    "task_deletion.delete_task": Op(
        lambda u, w: tasks.delete_task(u(), actor=w.actor, task_id=w.task_id, delete_entries=True),
        MEMBERS,
        ADMINS,
    ),
    # time
    "timelog.log_time": Op(
        lambda u, w: timelog.log_time(u(), actor=w.actor, task_id=w.task_id, duration="30m"),
        MEMBERS,
        ADMINS,
    ),
    "timelog.edit_entry": Op(
        lambda u, w: timelog.edit_entry(u(), actor=w.actor, entry_id=w.entry_id, duration="2h"),
        MEMBERS,
        ADMINS,
    ),
    "timelog.delete_entry": Op(
        lambda u, w: timelog.delete_entry(u(), actor=w.actor, entry_id=w.entry_id),
        MEMBERS,
        ADMINS,
    ),
    "timelog.task_entries": Op(
        lambda u, w: timelog.task_entries(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "timelog.user_entries": Op(
        lambda u, w: timelog.user_entries(u(), actor=w.actor, **_days(user_id=w.owner.id)),
        MEMBERS,
        READERS,
    ),
    "timers.start_timer": Op(
        lambda u, w: timers.start_timer(u(), actor=w.actor, task_id=w.task_id), MEMBERS, ADMINS
    ),
    "timers.running_timer": _only(MEMBERS, lambda u, w: timers.running_timer(u(), actor=w.actor)),
    "timers.stop_timer": Op(
        lambda u, w: timers.stop_timer(u(), actor=w.actor), MEMBERS, MEMBERS, _timer_running
    ),
    "timers.discard_timer": Op(
        lambda u, w: timers.discard_timer(u(), actor=w.actor), MEMBERS, MEMBERS, _timer_running
    ),
    "timesheets.weekly_timesheet": _personal(timesheets.weekly_timesheet),
    # analytics
    "analytics.logged.minutes_by": _analytics(analytics.minutes_by),
    "analytics.logged.time_per_user": _analytics(analytics.time_per_user),
    "analytics.logged.team_per_day": _analytics(analytics.team_per_day),
    "analytics.logged.top_users": Op(
        lambda u, w: analytics.top_users(u(), actor=w.actor, week_of=TODAY, user_ids=[w.owner.id]),
        MEMBERS,
        READERS,
    ),
    "analytics.reports.headline": _analytics(analytics.headline),
    "analytics.reports.dashboard": _only(
        READERS,
        lambda u, w: analytics.dashboard(u(), actor=w.actor, **_days(user_ids=[w.owner.id])),
    ),
    "analytics.reports.week_by_day": _personal(analytics.week_by_day),
    "analytics.reports.week_by_task": _personal(analytics.week_by_task),
    "analytics.reports.my_week": _personal(analytics.my_week),
    "analytics.taskflow.time_in_status": _analytics(analytics.time_in_status),
    "analytics.taskflow.tasks_by_status": _analytics(analytics.tasks_by_status),
    "analytics.scope.answer": Op(
        lambda u, w: scope.answer(
            u(), w.actor, WEEK_AGO, TODAY, [w.owner.id], lambda session, checked: checked
        ),
        MEMBERS,
        READERS,
    ),
    "analytics.accuracy.estimate_accuracy": _analytics(analytics.estimate_accuracy),
    "analytics.work.time_per_project": _work(analytics.time_per_project),
    "analytics.work.time_per_person_per_project": _work(analytics.time_per_person_per_project),
    "analytics.work.estimate_vs_actual": _work(analytics.estimate_vs_actual),
    "analytics.sprints.sprint_report": _only(
        MEMBERS, lambda u, w: analytics.sprint_report(u(), actor=w.actor, sprint_id=w.sprint_id)
    ),
    "analytics.sprints.project_sprints": _only(
        MEMBERS,
        lambda u, w: analytics.project_sprints(u(), actor=w.actor, project_id=w.project_id),
    ),
    "analytics.sprints.velocity": _only(
        MEMBERS, lambda u, w: analytics.velocity(u(), actor=w.actor, project_id=w.project_id)
    ),
    "stats.workspace_totals": _only(
        READERS, lambda u, w: stats.workspace_totals(u(), actor=w.actor)
    ),
    # AI help: about the actor's own open tasks, or a title they typed
    "ai.draft_task": _only(MEMBERS, lambda u, w: ai.draft_task(u(), actor=w.actor, title="Fix")),
    "ai.plan_day": _only(MEMBERS, lambda u, w: ai.plan_day(u(), actor=w.actor)),
    "ai.outcomes.my_drafts": _only(MEMBERS, lambda u, w: outcomes.my_drafts(u(), actor=w.actor)),
    # own settings for the helpers
    "preferences.get_focus": _only(MEMBERS, lambda u, w: preferences.get_focus(u(), actor=w.actor)),
    "preferences.set_focus_hours": _only(
        MEMBERS, lambda u, w: preferences.set_focus_hours(u(), actor=w.actor, hours="5")
    ),
    # accounts
    "users.get_user": Op(
        lambda u, w: users.get_user(u(), actor=w.actor, username=w.owner.username),
        MEMBERS,
        READERS,
    ),
    "users.directory": _only(MEMBERS, lambda u, w: users.directory(u(), actor=w.actor)),
    "users.update_profile": _only(
        MEMBERS,
        lambda u, w: users.update_profile(u(), actor=w.actor, full_name="New Name", email=None),
    ),
    "users.change_password": _only(
        MEMBERS,
        lambda u, w: users.change_password(
            u(), actor=w.actor, current_password=PASSWORD, new_password="another passphrase"
        ),
    ),
    "users.list_users": _only(ADMINS, lambda u, w: users.list_users(u(), actor=w.actor)),
    "users.create_user": _only(
        ADMINS, lambda u, w: users.create_user(u(), actor=w.actor, username="brand-new")
    ),
    "users.set_role": _only(
        ADMINS,
        lambda u, w: users.set_role(u(), actor=w.actor, username="bystander", role="manager"),
    ),
    "users.set_active": _only(
        ADMINS,
        lambda u, w: users.set_active(u(), actor=w.actor, username="bystander", active=False),
    ),
    "users.reset_password": _only(
        ADMINS, lambda u, w: users.reset_password(u(), actor=w.actor, username="bystander")
    ),
    "users.unlock": _only(
        ADMINS, lambda u, w: users.unlock(u(), actor=w.actor, username="bystander")
    ),
    "audit.list_audit": _only(ADMINS, lambda u, w: audit.list_audit(u(), actor=w.actor)),
    "audit.actions": _only(ADMINS, lambda u, w: audit.actions(u(), actor=w.actor)),
    # API tokens: each person their own; an admin may revoke anyone's
    "tokens.create_token": _only(
        MEMBERS, lambda u, w: tokens.create_token(u(), actor=w.actor, name="CI", scope="write")
    ),
    "tokens.list_tokens": _only(MEMBERS, lambda u, w: tokens.list_tokens(u(), actor=w.actor)),
    "tokens.revoke_token": Op(
        lambda u, w: tokens.revoke_token(u(), actor=w.actor, token_id=w.extra["token_id"]),
        MEMBERS,
        ADMINS,
        _owners_token,
    ),
    # Ending your own sessions always works, even once deactivated: it only takes access away.
    "auth.sign_out": _only(EVERYONE, lambda u, w: auth.sign_out(u(), actor=w.actor)),
}

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
        ("users.", "audit.", "stats.", "analytics.", "projects.", "sprints.", "tags.")
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
