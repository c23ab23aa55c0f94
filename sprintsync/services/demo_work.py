"""Generated work for the demo and the benchmarks: tasks with believable histories and the time
logged on them, planned in memory and written with COPY.

What makes the numbers believable: a task is worked on from its start until it is done (days
long enough that people have a few tasks on the go) or until today if still open, so only
recent tasks stay in progress; time is logged on working days, spread evenly over each task's
days; entry lengths are scaled so people log about seven hours a working day whatever the
requested number of entries, and nobody more than ten unless the requested entries leave no
other room; a few tasks are reopened after done. Event timestamps always move forward, and
each task's started_at and done_at are those of its events.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from psycopg import Cursor
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import AddConstraint, DropConstraint

from sprintsync.clock import tz

TITLES = [
    "Fix login timeout on Safari",
    "Add CSV export to the weekly report",
    "Refactor retry logic in the payment client",
    "Investigate flaky search integration test",
    "Write onboarding checklist for new engineers",
    "Add rate limiting to the public API",
    "Build dark mode toggle",
    "Add filters to the audit log",
    "Fix nightly database backup job",
    "Speed up the slow dashboard query",
    "Send Slack alerts for failed builds",
    "Fix invoice PDF layout",
    "Redesign the password reset email",
    "Clean up stale feature flags",
    "Add pagination to the tasks API",
    "Rewrite the 500 error page copy",
    "Refactor Terraform modules for staging",
    "Fix cache invalidation for user profiles",
    "Fix mobile layout of the settings page",
    "Write release notes for 2.4",
    "Add Grafana alert for queue depth",
    "Upgrade Django to the next LTS",
    "Verify webhook signatures",
    "Document the data retention policy",
    "Build bulk import of customers",
    "Fix time zone handling in reports",
    "Test the checkout flow on Firefox",
    "Deploy the new search cluster",
    "Investigate memory growth in the worker",
    "Document the on-call runbook",
    "Add SSO login with Okta",
    "Refactor the notification service",
    "Write load test for uploads",
    "Fix broken links in the docs site",
    "Build usage dashboard for admins",
    "Investigate slow CI on main",
    "Deploy Postgres 18 to staging",
    "Add audit events to billing",
    "Test backup restore end to end",
    "Document the public API errors",
    "Fix duplicate emails on signup",
    "Add retries to the S3 uploader",
    "Refactor the settings page state",
    "Build export to Google Sheets",
    "Investigate 502s behind the load balancer",
    "Write migration guide for v3",
    "Fix sorting in the users table",
    "Add health check to the queue worker",
    "Upgrade Node to 22 in CI",
    "Review access permissions for contractors",
    "Fix race in the session refresh",
    "Add keyboard shortcuts to the board",
    "Test accessibility of the signup form",
    "Deploy feature flags service",
    "Document local development setup",
    "Speed up cold start of the API",
    "Build weekly digest email",
    "Fix CSV import with BOM",
    "Investigate spike in 401 errors",
    "Write ADR for event sourcing",
]
DESCRIPTIONS = [
    "Agreed in sprint planning.",
    "Raised by support; two customers affected.",
    "Follow-up from the last incident review.",
    "Needed before the next release.",
    "Small one; pick it up between bigger tasks.",
    "",
]
NOTES = ["pairing", "code review", "debugging", "meeting", "deploy", "writing tests"]
# Relative chance of logging time on Monday..Sunday: full weekdays, a lighter Friday, rare weekends.
WEEKDAY_WEIGHT = [1.0, 1.0, 0.95, 0.9, 0.65, 0.06, 0.03]
CHUNKS = [15, 30, 30, 45, 60, 60, 90, 90, 120, 120, 180, 240]
HOURS_PER_WORKDAY = 7
DAY_CAP_MINUTES = 10 * 60  # nobody logs more in a day, while there is room elsewhere
BACKLOG_SHARE = 0.08  # tasks nobody starts
REOPEN_SHARE = 0.06  # finished tasks reopened once before their final finish


TaskFields = Callable[[int], tuple[int, int | None, str, dt.date | None]]


@dataclass(slots=True)
class TaskPlan:
    id: int
    assignee: int
    title: str
    description: str
    estimate: int
    events: list[tuple[str | None, str, dt.datetime]]  # (from, to, at), in time order
    first_day: dt.date | None = None  # days time can be logged on, when started
    last_day: dt.date | None = None
    total_minutes: int = 0

    @property
    def status(self) -> str:
        return self.events[-1][1]

    def first(self, to_status: str) -> dt.datetime | None:
        return next((at for _, to, at in self.events if to == to_status), None)


@dataclass(slots=True)
class _Clock:
    """Random times of day in office hours that never go backwards within one task, and
    not past `now` (today's office hours may not have happened yet)."""

    rng: random.Random
    now: dt.datetime
    zone: dt.tzinfo  # office hours are local: a day is the workspace's day, as analytics read it
    last: dt.datetime | None = None

    def on(self, day: dt.date) -> dt.datetime:
        at = dt.datetime.combine(day, dt.time(8), self.zone)
        at = min(at + dt.timedelta(minutes=self.rng.randrange(600)), self.now)
        # Drawn every time, so the random stream (and the seed's output) never depends on now.
        step = dt.timedelta(minutes=1 + self.rng.randrange(30))
        if self.last is not None and at <= self.last:
            at = self.last + step
        self.last = at
        return at


def plan_tasks(
    rng: random.Random, ids: list[int], workers: list[int], start: dt.date, end: dt.date
) -> list[TaskPlan]:
    span = (end - start).days
    # Long enough that each person has a few tasks on the go on a typical day.
    mean_days = 2.5 * len(workers) * (span + 1) / max(1, len(ids))
    longest = round(2 * min(30.0, max(2.0, mean_days)))
    plans = []
    now, zone = dt.datetime.now(dt.UTC), tz()
    for n, task_id in enumerate(ids):
        who = rng.choice(workers)
        title = TITLES[n % len(TITLES)] if len(ids) <= len(TITLES) else rng.choice(TITLES)
        clock = _Clock(rng, now, zone)
        created = start + dt.timedelta(days=rng.randrange(span + 1))
        plan = TaskPlan(
            task_id,
            who,
            title,
            rng.choice(DESCRIPTIONS),
            rng.choice([60, 120, 180, 240, 360, 480, 720, 960]),
            [(None, "todo", clock.on(created))],
        )
        plans.append(plan)
        started = created + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
        if started > end or rng.random() < BACKLOG_SHARE:
            continue
        plan.events.append(("todo", "in_progress", clock.on(started)))
        days = rng.randrange(1, longest)
        finished = started + dt.timedelta(days=days)
        plan.first_day, plan.last_day = started, min(finished, end)
        if finished > end:
            continue
        if days >= 3 and rng.random() < REOPEN_SHARE:
            first_done = started + dt.timedelta(days=rng.randrange(1, days - 1))
            reopened = first_done + dt.timedelta(
                days=rng.randrange(1, (finished - first_done).days)
            )
            plan.events.append(("in_progress", "done", clock.on(first_done)))
            plan.events.append(("done", "in_progress", clock.on(reopened)))
        plan.events.append(("in_progress", "done", clock.on(finished)))
    return plans


@dataclass(slots=True)
class Entries:
    """Time entries held compactly (a million take ~13 MB): indexes into plans, day offsets
    from `start`, minutes and an index into NOTES (-1: no note)."""

    start: dt.date
    task: array[int] = field(default_factory=lambda: array("i"))
    day: array[int] = field(default_factory=lambda: array("i"))
    minutes: array[int] = field(default_factory=lambda: array("h"))
    note: array[int] = field(default_factory=lambda: array("b"))

    def __len__(self) -> int:
        return len(self.task)


def _working_days(plans: list[TaskPlan]) -> dict[tuple[int, dt.date], list[int]]:
    """(person, day) -> indexes of the plans that person had on the go that day."""
    days: dict[tuple[int, dt.date], list[int]] = {}
    for i, plan in enumerate(plans):
        if plan.first_day is None or plan.last_day is None:
            continue
        for offset in range((plan.last_day - plan.first_day).days + 1):
            day = plan.first_day + dt.timedelta(days=offset)
            days.setdefault((plan.assignee, day), []).append(i)
    return days


def plan_entries(rng: random.Random, plans: list[TaskPlan], n: int, start: dt.date) -> Entries:
    """n entries, each by a task's assignee on a day the task was on the go; adds their
    minutes to each plan's total_minutes. Days are picked by weekday weight, tasks evenly
    among those on the go that day."""
    entries = Entries(start)
    days = _working_days(plans)
    if not days or n <= 0:
        return entries
    keys = list(days)
    cumulative = list(accumulate(WEEKDAY_WEIGHT[day.weekday()] for _, day in keys))
    total = cumulative[-1]
    per_day = n / total
    scale = HOURS_PER_WORKDAY * 60 / per_day / (sum(CHUNKS) / len(CHUNKS))
    chunks = [max(15, min(720, round(c * scale / 15) * 15)) for c in CHUNKS]
    random_, randrange, choice = rng.random, rng.randrange, rng.choice
    logged: dict[tuple[int, dt.date], int] = {}
    misses = 0  # in a row; many means the days are full, so the cap gives way
    while len(entries) < n:
        key = keys[bisect.bisect_right(cumulative, random_() * total)]
        minutes = choice(chunks)
        so_far = logged.get(key, 0)
        if so_far + minutes > DAY_CAP_MINUTES and misses < 1000:
            minutes = (DAY_CAP_MINUTES - so_far) // 15 * 15
            if minutes < 15:
                misses += 1
                continue
        misses = 0
        logged[key] = so_far + minutes
        on_the_go = days[key]
        task = on_the_go[randrange(len(on_the_go))]
        plans[task].total_minutes += minutes
        entries.task.append(task)
        entries.day.append((key[1] - start).days)
        entries.minutes.append(minutes)
        entries.note.append(-1 if random_() < 0.7 else randrange(len(NOTES)))
    return entries


def fit_estimates(rng: random.Random, plans: list[TaskPlan]) -> None:
    """Estimates a team would have made: finished work within about a third of what it took,
    open work ahead of what is logged so far. Drawn last, so the rest of the data set is the
    same for a seed whatever happens here."""
    for plan in plans:
        if not plan.total_minutes:
            continue
        spread = rng.uniform(0.7, 1.35) if plan.status == "done" else rng.uniform(1.1, 2.0)
        # Rounded as people round: to 5 minutes for short work, to half hours for long work
        # (a 15-minute task estimated at the half hour would look twice off).
        step = 5 if plan.total_minutes < 60 else 15 if plan.total_minutes < 240 else 30
        plan.estimate = max(step, round(plan.total_minutes * spread / step) * step)


@contextmanager
def foreign_keys_checked_once(cursor: Cursor[Any], tables: list[Table]) -> Iterator[None]:
    """COPY checks every row's foreign keys with a query of its own, most of a big load's time.
    As PostgreSQL's manual suggests for bulk loads, drop them for the load and add them back,
    which checks all rows with one join. Inside the caller's transaction: on failure nothing
    changes, and the tables are locked for everyone else until it ends."""
    keys = [fk for table in tables for fk in table.foreign_key_constraints]
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy
    for fk in keys:
        cursor.execute(str(DropConstraint(fk).compile(dialect=dialect)))
    yield
    for fk in keys:
        cursor.execute(str(AddConstraint(fk).compile(dialect=dialect)))


def copy_tasks(cursor: Cursor[Any], plans: list[TaskPlan], fields: TaskFields) -> None:
    """The tasks with their planning fields (fields(task id): project id, sprint id, priority,
    due date), then their events."""
    with cursor.copy(
        "COPY tasks (id, title, description, status, assignee_id, created_by_id, "
        "estimate_minutes, total_minutes, created_at, updated_at, started_at, done_at, "
        "project_id, sprint_id, priority, due_date) FROM STDIN"
    ) as copy:
        for p in plans:
            status = p.status
            copy.write_row(
                (
                    p.id,
                    p.title,
                    p.description,
                    status,
                    p.assignee,
                    p.assignee,
                    p.estimate,
                    p.total_minutes,
                    p.events[0][2],
                    p.events[-1][2],
                    p.first("in_progress") if status != "todo" else None,
                    p.events[-1][2] if status == "done" else None,
                    *fields(p.id),
                )
            )
    with cursor.copy(
        "COPY task_events (task_id, from_status, to_status, actor_id, at) FROM STDIN"
    ) as copy:
        for p in plans:
            for before, after, at in p.events:
                copy.write_row((p.id, before, after, p.assignee, at))


def copy_entries(
    cursor: Cursor[Any], plans: list[TaskPlan], entries: Entries, batch: int = 20_000
) -> None:
    """Stream the entries as COPY text, formatted in batches (far faster than row by row)."""
    days = (max(entries.day, default=0)) + 1
    day_text = [(entries.start + dt.timedelta(days=i)).isoformat() for i in range(days)]
    notes = [*NOTES, ""]  # index -1 is the empty note
    prefix = [f"{p.id}\t{p.assignee}\t" for p in plans]
    with cursor.copy(
        "COPY time_entries (task_id, user_id, minutes, spent_on, note) FROM STDIN"
    ) as copy:
        for lo in range(0, len(entries), batch):
            hi = min(lo + batch, len(entries))
            copy.write(
                "".join(
                    f"{prefix[t]}{m}\t{day_text[d]}\t{notes[k]}\n"
                    for t, m, d, k in zip(
                        entries.task[lo:hi],
                        entries.minutes[lo:hi],
                        entries.day[lo:hi],
                        entries.note[lo:hi],
                        strict=True,
                    )
                )
            )
