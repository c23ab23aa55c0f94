"""The permission matrix's vocabulary: the world each cell runs in (an actor, the owner of
the things acted on, their task, entry, project and sprint), an operation with the roles it
admits on own and others' things, and the preparations some operations need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sprintsync.domain import Status
from sprintsync.services import (
    projects,
    reminders,
    tasks,
    timers,
    tokens,
    weeks,
)
from sprintsync.services.views import Actor


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
