"""Every service function x role x ownership: allowed, or refused, exactly as the roles say.

member: own tasks and own time. manager: that, plus reading everyone's tasks and time.
admin: everything. A deactivated account is refused everything (AuthError: not signed in).
"""

import datetime as dt
from dataclasses import dataclass

import pytest

from sprintsync.errors import AuthError, PermissionDenied
from sprintsync.services import analytics, audit, tasks, timelog, timers, timesheets, users
from sprintsync.services.views import Actor


@dataclass
class World:
    actor: Actor
    task_id: int
    entry_id: int
    target_user: Actor  # whose things "others" means; the actor themself for "own"


def _setup(uow, make_user, role, ownership) -> World:
    actor_role = "member" if role == "deactivated" else role
    actor = make_user(f"actor-{role}", actor_role)
    owner = actor if ownership == "own" else make_user("owner", "member")
    make_user("bystander", "member")
    make_user("root", "admin")  # so the actor is never the last admin
    task = tasks.create_task(uow(), actor=owner, title="Owned task")
    entry = timelog.log_time(uow(), actor=owner, task_id=task.id, duration="1h")
    if role == "deactivated":
        users.set_active(uow(), actor=None, username=actor.username, active=False)
    return World(actor, task.id, entry.id, owner)


# name: (call, who may do it to their own things, who may do it to others' things)
ALL = {"member", "manager", "admin"}
READERS = {"manager", "admin"}
ADMIN = {"admin"}
today = dt.date.today()

OPERATIONS = {
    "tasks.get_task": (
        lambda u, w: tasks.get_task(u, actor=w.actor, task_id=w.task_id),
        ALL,
        READERS,
    ),
    "tasks.task_history": (
        lambda u, w: tasks.task_history(u, actor=w.actor, task_id=w.task_id),
        ALL,
        READERS,
    ),
    "tasks.list_tasks(assignee)": (
        lambda u, w: tasks.list_tasks(u, actor=w.actor, assignee_id=w.target_user.id),
        ALL,
        READERS,
    ),
    "tasks.create_task(assignee)": (
        lambda u, w: tasks.create_task(u, actor=w.actor, title="New", assignee_id=w.target_user.id),
        ALL,
        READERS,
    ),
    "tasks.update_task": (
        lambda u, w: tasks.update_task(
            u, actor=w.actor, task_id=w.task_id, expected_version=1, title="Renamed"
        ),
        ALL,
        ADMIN,
    ),
    "tasks.move_task": (
        lambda u, w: tasks.move_task(u, actor=w.actor, task_id=w.task_id, to_status="in_progress"),
        ALL,
        ADMIN,
    ),
    "tasks.delete_task": (
        lambda u, w: tasks.delete_task(u, actor=w.actor, task_id=w.task_id, delete_entries=True),
        ALL,
        ADMIN,
    ),
    "timelog.log_time": (
        lambda u, w: timelog.log_time(u, actor=w.actor, task_id=w.task_id, duration="30m"),
        ALL,
        ADMIN,
    ),
    "timelog.edit_entry": (
        lambda u, w: timelog.edit_entry(u, actor=w.actor, entry_id=w.entry_id, duration="2h"),
        ALL,
        ADMIN,
    ),
    "timelog.delete_entry": (
        lambda u, w: timelog.delete_entry(u, actor=w.actor, entry_id=w.entry_id),
        ALL,
        ADMIN,
    ),
    "timelog.task_entries": (
        lambda u, w: timelog.task_entries(u, actor=w.actor, task_id=w.task_id),
        ALL,
        READERS,
    ),
    "timelog.user_entries": (
        lambda u, w: timelog.user_entries(
            u,
            actor=w.actor,
            user_id=w.target_user.id,
            start=today - dt.timedelta(days=7),
            end=today,
        ),
        ALL,
        READERS,
    ),
    "timers.start_timer": (
        lambda u, w: timers.start_timer(u, actor=w.actor, task_id=w.task_id),
        ALL,
        ADMIN,
    ),
    "timers.running_timer": (lambda u, w: timers.running_timer(u, actor=w.actor), ALL, ALL),
    "timesheets.weekly_timesheet": (
        lambda u, w: timesheets.weekly_timesheet(u, actor=w.actor, user_id=w.target_user.id),
        ALL,
        READERS,
    ),
    "analytics.minutes_by": (
        lambda u, w: analytics.minutes_by(
            u,
            actor=w.actor,
            user_ids=[w.target_user.id],
            start=today - dt.timedelta(days=7),
            end=today,
        ),
        ALL,
        READERS,
    ),
    "users.get_user": (
        lambda u, w: users.get_user(u, actor=w.actor, username=w.target_user.username),
        ALL,
        READERS,
    ),
    "users.directory": (lambda u, w: users.directory(u, actor=w.actor), ALL, ALL),
    "users.list_users": (lambda u, w: users.list_users(u, actor=w.actor), ADMIN, ADMIN),
    "users.create_user": (
        lambda u, w: users.create_user(u, actor=w.actor, username="brand-new"),
        ADMIN,
        ADMIN,
    ),
    "users.set_role": (
        lambda u, w: users.set_role(u, actor=w.actor, username="bystander", role="manager"),
        ADMIN,
        ADMIN,
    ),
    "users.set_active": (
        lambda u, w: users.set_active(u, actor=w.actor, username="bystander", active=False),
        ADMIN,
        ADMIN,
    ),
    "users.reset_password": (
        lambda u, w: users.reset_password(u, actor=w.actor, username="bystander"),
        ADMIN,
        ADMIN,
    ),
    "audit.list_audit": (lambda u, w: audit.list_audit(u, actor=w.actor), ADMIN, ADMIN),
}


@pytest.mark.parametrize("ownership", ["own", "others"])
@pytest.mark.parametrize("role", ["member", "manager", "admin", "deactivated"])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_service_allows_or_refuses_exactly_as_the_roles_say(
    uow, make_user, operation, role, ownership
):
    call, own_ok, others_ok = OPERATIONS[operation]
    world = _setup(uow, make_user, role, ownership)
    allowed = role in (own_ok if ownership == "own" else others_ok)
    if allowed:
        call(uow(), world)
    else:
        expected = AuthError if role == "deactivated" else PermissionDenied
        with pytest.raises(expected):
            call(uow(), world)
