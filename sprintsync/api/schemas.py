"""What the API answers: pydantic models read from the services' frozen views (never ORM
objects), so the OpenAPI document describes exactly what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from sprintsync.services.timesheet_views import GridSaved, WeekView
from sprintsync.services.views import TimerView

T = TypeVar("T")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Me(Out):
    id: int
    username: str
    full_name: str
    email: str | None
    role: str
    is_active: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None
    token_id: int
    token_writes: bool


class Task(Out):
    id: int
    title: str
    description: str
    status: str
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
    project_id: int
    project_key: str
    sprint_id: int | None
    sprint_name: str | None
    priority: str
    due_date: dt.date | None
    tags: list[str]


class TimeEntry(Out):
    id: int
    task_id: int
    task_title: str
    user_id: int
    username: str
    minutes: int
    spent_on: dt.date
    note: str
    created_at: dt.datetime


class Timer(Out):
    task_id: int
    task_title: str
    started_at: dt.datetime
    elapsed_seconds: int


class TimerStarted(Out):
    timer: Timer
    logged: TimeEntry | None


class TimerStopped(Out):
    logged: TimeEntry | None  # None: it ran under 30 seconds, nothing was logged


class Project(Out):
    id: int
    key: str
    name: str
    description: str
    budget_minutes: int | None
    archived: bool
    is_default: bool
    version: int
    created_at: dt.datetime
    used_minutes: int
    open_tasks: int
    done_tasks: int
    budget_state: str | None


class Sprint(Out):
    id: int
    project_id: int
    project_key: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    goal: str
    version: int
    state: str


class TimesheetRow(Out):
    task_id: int
    title: str
    status: str
    minutes: list[int]  # Monday to Sunday
    total: int


class Timesheet(Out):
    user_id: int
    week_start: dt.date
    days: list[dt.date]
    rows: list[TimesheetRow]
    day_totals: list[int]
    total: int


class Week(Out):
    """A person's week and its state (missing, draft, submitted, approved, returned)."""

    user_id: int
    username: str
    week_start: dt.date
    state: str
    logged_minutes: int
    expected_minutes: int
    comment: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    version: int  # 0: the week has no row yet; send it back to approve what you read


class CellsSaved(Out):
    week_start: dt.date
    cells_changed: int
    entries_added: int
    entries_changed: int
    entries_removed: int
    removed_notes: list[str]  # notes of entries the save removed (kept in the audit log)
    withdrew_submission: bool
    summary: str


class Listing(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None  # pass it back as ?cursor= for the next page; None: the last


class ErrorDetail(BaseModel):
    code: str
    message: str
    request_id: str


class Error(BaseModel):
    error: ErrorDetail


def timer(view: TimerView) -> Timer:
    return Timer(
        task_id=view.task_id,
        task_title=view.task_title,
        started_at=view.started_at,
        elapsed_seconds=int(view.elapsed.total_seconds()),
    )


def week(view: WeekView) -> Week:
    return Week(
        user_id=view.user_id,
        username=view.username,
        week_start=view.week_start,
        state=view.state.value,
        logged_minutes=view.logged_minutes,
        expected_minutes=view.expected_minutes,
        comment=view.comment,
        submitted_at=view.submitted_at,
        decided_by=view.decided_by,
        decided_at=view.decided_at,
        version=view.version,
    )


def cells_saved(saved: GridSaved) -> CellsSaved:
    return CellsSaved(
        week_start=saved.week_start,
        cells_changed=saved.cells_changed,
        entries_added=saved.entries_added,
        entries_changed=saved.entries_changed,
        entries_removed=saved.entries_removed,
        removed_notes=list(saved.removed_notes),
        withdrew_submission=saved.withdrew_submission,
        summary=saved.summary,
    )
