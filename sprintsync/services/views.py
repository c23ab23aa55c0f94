"""What services return: frozen values that outlive the session that read them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sprintsync.domain import TIMER_LIMIT, Role, Status, allowed_moves
from sprintsync.planning import BUDGET_WARNING_SHARE, Priority, SprintState

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in user a service call acts for."""

    id: int
    username: str
    role: Role
    token_version: int = 0
    # The operator at the console (the CLI's user, account and report commands): see CONSOLE.
    is_console: bool = False
    # Signed in with a temporary password (set by an admin): the app shows only the page
    # that replaces it until it is changed.
    must_change_password: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def sees_everyone(self) -> bool:
        return self.role.sees_everyone


# Whoever runs `sprintsync` on the server: trusted like an admin for managing accounts, the
# audit log and reports, where they pass it explicitly; never a user who can own tasks or
# time (those commands act `--as NAME`). No id: audit rows show "(console)".
CONSOLE = Actor(id=0, username="(console)", role=Role.ADMIN, is_console=True)


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    full_name: str
    email: str | None
    role: Role
    is_active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    locked_until: dt.datetime | None = None
    total_minutes: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role.value,
            "is_active": self.is_active,
            "total_minutes": self.total_minutes,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """Someone in the directory: enough to pick an assignee or a person to filter by, and
    nothing about their account (email, sign-ins, lockout), which members may not see."""

    id: int
    username: str
    full_name: str
    role: Role
    is_active: bool


@dataclass(frozen=True, slots=True)
class NewCredentials:
    """A user and the password chosen for them, shown to a human exactly once."""

    user: UserView
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TaskView:
    id: int
    title: str
    description: str
    status: Status
    assignee_id: int | None
    assignee: str | None
    created_by_id: int
    created_by: str
    estimate_minutes: int | None
    total_minutes: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    started_at: dt.datetime | None
    done_at: dt.datetime | None
    project_id: int = 0
    project_key: str = ""
    sprint_id: int | None = None
    sprint_name: str | None = None
    priority: Priority = Priority.NORMAL
    due_date: dt.date | None = None
    tags: tuple[str, ...] = ()

    def overdue_on(self, day: dt.date) -> bool:
        """Due before `day` (the workspace's today) and not done."""
        return self.due_date is not None and self.due_date < day and self.status != Status.DONE

    @property
    def owner_id(self) -> int:
        return self.assignee_id if self.assignee_id is not None else self.created_by_id

    @property
    def over_estimate(self) -> bool:
        return self.estimate_minutes is not None and self.total_minutes > self.estimate_minutes

    @property
    def moves(self) -> list[Status]:
        return allowed_moves(self.status)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "status": self.status.value,
            "assignee": self.assignee,
            "estimate_minutes": self.estimate_minutes,
            "total_minutes": self.total_minutes,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "project": self.project_key,
            "sprint": self.sprint_name,
            "priority": self.priority.value,
            "due": self.due_date.isoformat() if self.due_date else None,
            "tags": list(self.tags),
        }


@dataclass(frozen=True, slots=True)
class ProjectView:
    id: int
    key: str
    name: str
    description: str
    budget_minutes: int | None
    archived: bool
    is_default: bool
    version: int
    created_at: dt.datetime
    used_minutes: int = 0  # all time logged on its tasks
    open_tasks: int = 0
    done_tasks: int = 0

    @property
    def budget_used(self) -> float | None:
        """Time logged as a share of the budget (1.0 = all of it); None without a budget."""
        return None if not self.budget_minutes else self.used_minutes / self.budget_minutes

    @property
    def budget_state(self) -> str | None:
        """ "over" past 100%, "near" from 80%, "ok" below; None without a budget."""
        used = self.budget_used
        if used is None:
            return None
        return "over" if used > 1 else "near" if used >= BUDGET_WARNING_SHARE else "ok"

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "budget_minutes": self.budget_minutes,
            "used_minutes": self.used_minutes,
            "budget_state": self.budget_state,
            "open_tasks": self.open_tasks,
            "done_tasks": self.done_tasks,
            "archived": self.archived,
            "default": self.is_default,
        }


@dataclass(frozen=True, slots=True)
class SprintView:
    id: int
    project_id: int
    project_key: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    goal: str
    version: int
    state: SprintState  # as of the workspace's today when read

    @property
    def label(self) -> str:
        return f"{self.name} ({self.starts_on:%d %b} to {self.ends_on:%d %b %Y})"

    def as_json(self) -> dict[str, Any]:
        return {
            "project": self.project_key,
            "name": self.name,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "goal": self.goal,
            "state": self.state.value,
        }


@dataclass(frozen=True, slots=True)
class TagView:
    id: int
    name: str
    tasks: int  # how many tasks carry it


@dataclass(frozen=True, slots=True)
class TimeEntryView:
    id: int
    task_id: int
    task_title: str
    user_id: int
    username: str
    minutes: int
    spent_on: dt.date
    note: str
    created_at: dt.datetime
    start_minute: int | None = None  # minutes after midnight, when the entry has times
    end_minute: int | None = None

    @property
    def span(self) -> str:
        """ "09:00–10:30", or "" for an entry without times."""
        if self.start_minute is None or self.end_minute is None:
            return ""
        return f"{self.start_minute // 60:02d}:{self.start_minute % 60:02d}–" + (
            f"{self.end_minute // 60:02d}:{self.end_minute % 60:02d}"
        )


@dataclass(frozen=True, slots=True)
class TaskEventView:
    task_id: int
    from_status: Status | None
    to_status: Status
    actor: str | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    actor_id: int | None
    actor: str | None
    action: str
    target: str
    details: dict[str, Any]
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class TimerView:
    """The user's running timer; elapsed is measured on the database clock when read."""

    task_id: int
    task_title: str
    started_at: dt.datetime
    elapsed: dt.timedelta

    @property
    def too_long(self) -> bool:
        return self.elapsed > TIMER_LIMIT


@dataclass(frozen=True, slots=True)
class TimerStarted:
    """A started timer, and the entry logged from the timer it replaced, if one was running."""

    timer: TimerView
    logged: TimeEntryView | None = None


@dataclass(frozen=True, slots=True)
class TimesheetRow:
    task_id: int
    title: str
    status: Status
    minutes: tuple[int, ...]  # Monday to Sunday

    @property
    def total(self) -> int:
        return sum(self.minutes)


@dataclass(frozen=True, slots=True)
class Timesheet:
    """One person's week, Monday to Sunday: a row per task they logged time on."""

    user_id: int
    week_start: dt.date
    rows: tuple[TimesheetRow, ...]

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.week_start + dt.timedelta(days=i) for i in range(7))

    @property
    def day_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.minutes[i] for row in self.rows) for i in range(7))

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def previous_week(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def next_week(self) -> dt.date:
        return self.week_start + dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class TokenView:
    """A personal access token as its owner sees it: never the secret, which only NewToken
    carries, once."""

    id: int
    owner_id: int
    name: str
    prefix: str
    scope: str  # "read" or "write"
    expires_at: dt.datetime | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    def state_at(self, now: dt.datetime) -> str:
        """ "revoked", "expired" or "active" at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made and its secret, shown to its owner exactly once."""

    token: TokenView
    secret: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenActor:
    """Who a token acts for, and whether it may write."""

    actor: Actor
    token_id: int
    can_write: bool
