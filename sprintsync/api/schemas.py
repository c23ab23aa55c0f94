"""What the API answers: pydantic models read from the services' frozen views (never ORM
objects), so the OpenAPI document describes exactly what is sent."""

from __future__ import annotations

import datetime as dt
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

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
