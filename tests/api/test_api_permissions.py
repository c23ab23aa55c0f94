"""Every endpoint x role x token scope (x ownership, where an owner is involved): allowed,
or refused exactly as the service permission matrix says, and a refusal changes nothing.

Refusals: a deactivated owner's token 401 (refused at once, whatever the scope); a read-only
token 403 on every write, whatever the role; a role the service refuses 403.
test_every_route_is_in_the_matrix keeps the table complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from sprintsync.api import create_app
from sprintsync.services import projects, sprints, tasks, timelog, timers, tokens, users, weeks
from sprintsync.services.views import CONSOLE, Actor
from tests.api.conftest import V1, bearer

MEMBERS = frozenset({"member", "manager", "admin"})
READERS = frozenset({"manager", "admin"})
ADMINS = frozenset({"admin"})
TODAY = dt.date.today()


@dataclass
class World:
    actor: Actor
    owner: Actor
    root: Actor
    task_id: int  # the owner's, with one entry of the owner's
    entry_id: int
    mine: int  # the actor's own task
    project_id: int
    sprint_id: int


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any] | None] = lambda w: None
    own: frozenset[str] = MEMBERS
    others: frozenset[str] | None = None  # None: no owner involved
    prepare: Callable[[Any, World, str], None] | None = None

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def _timer_running(uow, w: World, ownership: str) -> None:
    timers.start_timer(uow(), actor=w.actor, task_id=w.mine)
    if ownership == "others":
        tasks.update_task(
            uow(), actor=w.root, task_id=w.mine, expected_version=1, assignee_id=w.owner.id
        )


def _owner_submitted(uow, w: World, ownership: str) -> None:
    weeks.submit_week(uow(), actor=w.owner, week_start=TODAY)


def _only(method: str, path: Callable[[World], str], roles=MEMBERS, body=lambda w: None) -> Case:
    return Case(method, path, body, roles)


T = "/tasks"
CASES: dict[str, Case] = {
    "GET /me": _only("GET", lambda w: "/me"),
    "GET /tasks (assignee)": Case(
        "GET", lambda w: f"{T}?assignee_id={w.owner.id}", own=MEMBERS, others=READERS
    ),
    "GET /tasks (everyone)": _only("GET", lambda w: f"{T}?everyone=true", READERS),
    "POST /tasks (assignee)": Case(
        "POST",
        lambda w: T,
        lambda w: {"title": "New", "assignee_id": w.owner.id},
        MEMBERS,
        READERS,
    ),
    "GET /tasks/{id}": Case("GET", lambda w: f"{T}/{w.task_id}", own=MEMBERS, others=READERS),
    "PATCH /tasks/{id}": Case(
        "PATCH",
        lambda w: f"{T}/{w.task_id}",
        lambda w: {"version": 1, "title": "Renamed"},
        MEMBERS,
        ADMINS,
    ),
    "POST /tasks/{id}/move": Case(
        "POST",
        lambda w: f"{T}/{w.task_id}/move",
        lambda w: {"status": "in_progress"},
        MEMBERS,
        ADMINS,
    ),
    "PUT /tasks/{id}/sprint": Case(
        "PUT",
        lambda w: f"{T}/{w.task_id}/sprint",
        lambda w: {"sprint_id": w.sprint_id},
        MEMBERS,
        ADMINS,
    ),
    "DELETE /tasks/{id}": Case(
        "DELETE", lambda w: f"{T}/{w.task_id}?delete_entries=true", own=MEMBERS, others=ADMINS
    ),
    "GET /tasks/{id}/time-entries": Case(
        "GET", lambda w: f"{T}/{w.task_id}/time-entries", own=MEMBERS, others=READERS
    ),
    "GET /time-entries": Case(
        "GET", lambda w: f"/time-entries?user_id={w.owner.id}", own=MEMBERS, others=READERS
    ),
    "POST /time-entries": Case(
        "POST",
        lambda w: "/time-entries",
        lambda w: {"task_id": w.task_id, "duration": "30m"},
        MEMBERS,
        ADMINS,
    ),
    "PATCH /time-entries/{id}": Case(
        "PATCH",
        lambda w: f"/time-entries/{w.entry_id}",
        lambda w: {"duration": "2h"},
        MEMBERS,
        ADMINS,
    ),
    "DELETE /time-entries/{id}": Case(
        "DELETE", lambda w: f"/time-entries/{w.entry_id}", own=MEMBERS, others=ADMINS
    ),
    "GET /timer": _only("GET", lambda w: "/timer"),
    "POST /timer/start": Case(
        "POST", lambda w: "/timer/start", lambda w: {"task_id": w.task_id}, MEMBERS, ADMINS
    ),
    "POST /timer/stop": Case(
        "POST", lambda w: "/timer/stop", lambda w: {}, MEMBERS, MEMBERS, _timer_running
    ),
    "POST /timer/discard": Case(
        "POST", lambda w: "/timer/discard", own=MEMBERS, others=MEMBERS, prepare=_timer_running
    ),
    "GET /timesheets/{week}": Case(
        "GET", lambda w: f"/timesheets/{TODAY}?user_id={w.owner.id}", own=MEMBERS, others=READERS
    ),
    "GET /timesheets/{week}/state": Case(
        "GET",
        lambda w: f"/timesheets/{TODAY}/state?user_id={w.owner.id}",
        own=MEMBERS,
        others=READERS,
    ),
    "PUT /timesheets/{week}/cells": _only(
        "PUT",
        lambda w: f"/timesheets/{TODAY}/cells",
        body=lambda w: {
            "cells": [{"task_id": w.task_id, "day": TODAY.weekday(), "duration": "2h", "was": 60}]
        },
    ),
    "POST /timesheets/{week}/submit": _only("POST", lambda w: f"/timesheets/{TODAY}/submit"),
    # Nobody decides their own week; managers and admins decide others'.
    "POST /timesheets/{week}/approve": Case(
        "POST",
        lambda w: f"/timesheets/{TODAY}/approve",
        lambda w: {"user_id": w.owner.id},
        own=frozenset(),
        others=READERS,
        prepare=_owner_submitted,
    ),
    "POST /timesheets/{week}/return": Case(
        "POST",
        lambda w: f"/timesheets/{TODAY}/return",
        lambda w: {"user_id": w.owner.id, "comment": "Tuesday is missing."},
        own=frozenset(),
        others=READERS,
        prepare=_owner_submitted,
    ),
    "GET /projects": _only("GET", lambda w: "/projects"),
    "GET /projects (archived)": _only("GET", lambda w: "/projects?include_archived=true", READERS),
    "POST /projects": _only(
        "POST", lambda w: "/projects", READERS, lambda w: {"key": "NEW", "name": "New"}
    ),
    "GET /projects/{id}": _only("GET", lambda w: f"/projects/{w.project_id}"),
    "PATCH /projects/{id}": _only(
        "PATCH",
        lambda w: f"/projects/{w.project_id}",
        READERS,
        lambda w: {"version": 1, "budget": "10h"},
    ),
    "POST /projects/{id}/archive": _only(
        "POST", lambda w: f"/projects/{w.project_id}/archive", READERS, lambda w: {"archived": True}
    ),
    "GET /projects/{id}/sprints": _only("GET", lambda w: f"/projects/{w.project_id}/sprints"),
    "POST /projects/{id}/sprints": _only(
        "POST",
        lambda w: f"/projects/{w.project_id}/sprints",
        READERS,
        lambda w: {
            "name": "Sprint 2",
            "starts_on": str(TODAY + dt.timedelta(days=8)),
            "ends_on": str(TODAY + dt.timedelta(days=21)),
        },
    ),
    "GET /sprints/{id}": _only("GET", lambda w: f"/sprints/{w.sprint_id}"),
    "PATCH /sprints/{id}": _only(
        "PATCH",
        lambda w: f"/sprints/{w.sprint_id}",
        READERS,
        lambda w: {"version": 1, "goal": "Ship"},
    ),
    "GET /reports/minutes": Case(
        "GET", lambda w: f"/reports/minutes?user_id={w.owner.id}", own=MEMBERS, others=READERS
    ),
    "GET /reports/minutes (csv)": Case(
        "GET",
        lambda w: f"/reports/minutes?user_id={w.owner.id}&format=csv",
        own=MEMBERS,
        others=READERS,
    ),
    "GET /reports/sprints/{id}": _only("GET", lambda w: f"/reports/sprints/{w.sprint_id}"),
}


def _world(uow, make_user, role: str, ownership: str, case: Case) -> World:
    actor = make_user(f"actor-{role}", "member" if role == "deactivated" else role)
    owner = actor if ownership == "own" else make_user("owner", "member")
    root = make_user("root", "admin")
    plan = projects.create_project(uow(), actor=root, key="PLAN", name="Planning")
    sprint = sprints.create_sprint(
        uow(), actor=root, project_id=plan.id, name="Sprint 1", starts_on=TODAY, ends_on=TODAY
    )
    task = tasks.create_task(uow(), actor=owner, title="Owned task", project_id=plan.id)
    entry = timelog.log_time(uow(), actor=owner, task_id=task.id, duration="1h")
    mine = task.id if ownership == "own" else tasks.create_task(uow(), actor=actor, title="Mine").id
    world = World(actor, owner, root, task.id, entry.id, mine, plan.id, sprint.id)
    if case.prepare:
        case.prepare(uow, world, ownership)
    return world


ROLES = ("member", "manager", "admin")


def _cells() -> list[tuple[str, str, str, str]]:
    cells = []
    for name, case in sorted(CASES.items()):
        for ownership in ("own", "others") if case.others is not None else ("own",):
            # A read goes through with either scope: the write scope is checked on writes.
            scopes = ("read", "write") if case.writes else ("read",)
            cells += [(name, role, scope, ownership) for role in ROLES for scope in scopes]
            cells.append((name, "deactivated", "write", ownership))
    return cells


def expected(case: Case, role: str, scope: str, ownership: str) -> int | None:
    """The refusal's status, or None when the call is allowed."""
    if role == "deactivated":
        return 401
    if case.writes and scope == "read":
        return 403
    allowed = case.own if ownership == "own" else case.others
    assert allowed is not None
    return None if role in allowed else 403


@pytest.mark.parametrize(("endpoint", "role", "scope", "ownership"), _cells())
def test_each_endpoint_allows_or_refuses_exactly_as_role_and_scope_say(
    client, uow, make_user, audit_rows, endpoint, role, scope, ownership
):
    case = CASES[endpoint]
    world = _world(uow, make_user, role, ownership, case)
    secret = tokens.create_token(uow(), actor=world.actor, name="t", scope=scope).secret
    if role == "deactivated":
        users.set_active(uow(), actor=CONSOLE, username=world.actor.username, active=False)
    before = audit_rows()
    body = case.body(world)
    answer = client.request(case.method, V1 + case.path(world), json=body, headers=bearer(secret))
    refusal = expected(case, role, scope, ownership)
    if refusal is None:
        assert answer.status_code < 300, answer.text
        if case.writes:
            assert audit_rows() > before  # every write is audited as the token's owner
        return
    assert answer.status_code == refusal, answer.text
    assert answer.json()["error"]["code"] == {401: "unauthorized", 403: "forbidden"}[refusal]
    assert audit_rows() == before  # a refusal changes nothing


def test_every_route_is_in_the_matrix():
    routes = {
        f"{method.upper()} {path.removeprefix(V1)}"
        for path, methods in create_app().openapi()["paths"].items()
        for method in methods
    }
    covered = {name.split(" (")[0] for name in CASES}
    normal = {r.replace("{task_id}", "{id}").replace("{entry_id}", "{id}") for r in routes}
    normal = {
        r.replace("{project_id}", "{id}")
        .replace("{sprint_id}", "{id}")
        .replace("{week_start}", "{week}")
        for r in normal
    }
    assert normal == covered
