"""A believable demo workspace, and large data sets for benchmarks, written with COPY."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, ValidationError
from sprintsync.models import User
from sprintsync.services.auth import hash_password
from sprintsync.services.common import audit, today

DEMO_TEAM = [  # username, full name, role
    ("admin", "Ada Admin", "admin"),
    ("maya", "Maya Okafor", "manager"),
    ("lars", "Lars Nilsson", "manager"),
    ("alice", "Alice Chen", "member"),
    ("bruno", "Bruno Costa", "member"),
    ("dana", "Dana Levi", "member"),
    ("emeka", "Emeka Obi", "member"),
    ("farah", "Farah Haddad", "member"),
]
FIRST = [
    "ana",
    "ben",
    "chloe",
    "dev",
    "eli",
    "fin",
    "gia",
    "hugo",
    "ines",
    "jon",
    "kai",
    "lea",
    "milo",
    "nina",
    "omar",
    "pia",
    "quinn",
    "rosa",
    "sam",
    "tara",
    "uma",
    "vik",
    "wen",
    "yara",
]
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
# Relative chance of logging time on Monday..Sunday: full weekdays, a lighter Friday, rare weekends.
WEEKDAY_WEIGHT = [1.0, 1.0, 0.95, 0.9, 0.65, 0.06, 0.03]
CHUNKS = [15, 30, 30, 45, 60, 60, 90, 90, 120, 120, 180, 240]


@dataclass(frozen=True)
class SeedReport:
    users: int
    tasks: int
    entries: int
    seconds: float
    password: str = field(repr=False)
    logins: list[tuple[str, str]]  # (username, role) worth showing

    def logins_text(self) -> str:
        lines = ["Demo logins (every demo user has the same password):"]
        lines += [f"  {name:<10} {role:<8} password: {self.password}" for name, role in self.logins]
        return "\n".join(lines)


def has_users(uow: UnitOfWork) -> bool:
    with uow:
        return bool(uow.session.scalar(select(func.count()).select_from(User)))


def seed(
    uow: UnitOfWork,
    *,
    users: int | None = None,
    tasks: int = 60,
    entries: int | None = None,
    weeks: int = 8,
    seed: int = 42,
    password: str | None = None,
    force: bool = False,
) -> SeedReport:
    """Without `users`, the small demo team; with it, `users` generated people. Refuses a
    database that already has users unless force=True (then it adds, never replaces)."""
    if users is not None and not 1 <= users <= 100_000:
        raise ValidationError("--users must be between 1 and 100000.")
    if not 0 <= tasks <= 10_000_000 or not 1 <= weeks <= 520:
        raise ValidationError("--tasks must be 0..10000000 and --weeks 1..520.")
    if entries is not None and not 0 <= entries <= 50_000_000:
        raise ValidationError("--entries must be between 0 and 50000000.")
    if not force and has_users(uow):
        raise Conflict("The database already has users; pass --force to add demo data anyway.")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    password = password or secrets.token_urlsafe(9)
    with uow:
        s = uow.session
        raw = s.connection().connection.driver_connection
        team = _team(rng, users)
        user_ids = _insert_users(raw, team, hash_password(password))
        worker_ids = [
            uid for uid, (_, _, role) in zip(user_ids, team, strict=True) if role != "admin"
        ] or user_ids
        end = today()
        start = end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
        plans = _plan_tasks(rng, raw, tasks, worker_ids, start, end)
        n_entries = entries if entries is not None else 17 * len(worker_ids) * weeks
        written = _write_entries(rng, raw, plans, n_entries, end)
        if plans:
            s.execute(
                text(
                    "UPDATE tasks t SET total_minutes = x.minutes FROM "
                    "(SELECT task_id, sum(minutes) AS minutes FROM time_entries "
                    " WHERE task_id BETWEEN :lo AND :hi GROUP BY task_id) x "
                    "WHERE t.id = x.task_id"
                ),
                {"lo": plans[0].id, "hi": plans[-1].id},
            )
        audit(s, None, "demo.seed", "", users=len(user_ids), tasks=len(plans), entries=written)
        s.execute(text("ANALYZE"))  # fresh statistics, or the first queries plan for empty tables
        uow.commit()
    shown = [(name, role) for name, _, role in team[:8]]
    return SeedReport(
        len(user_ids), len(plans), written, time.perf_counter() - started, password, shown
    )


def _team(rng: random.Random, users: int | None) -> list[tuple[str, str, str]]:
    if users is None:
        return list(DEMO_TEAM)
    team = []
    for i in range(users):
        role = "admin" if i == 0 else "manager" if i % 25 == 1 else "member"
        first = FIRST[i % len(FIRST)]
        team.append((f"{first}.{i:05d}", f"{first.title()} Demo{i}", role))
    rng.shuffle(team[1:])
    return team


def _insert_users(raw, team: list[tuple[str, str, str]], password_hash: str) -> list[int]:
    with raw.cursor() as cur:
        taken = {
            row[0]
            for row in cur.execute(
                "SELECT lower(username) FROM users WHERE lower(username) = ANY(%s)",
                ([name.lower() for name, _, _ in team],),
            )
        }
        if taken:
            raise Conflict(f"Demo usernames already exist ({sorted(taken)[0]}, ...).")
        with cur.copy("COPY users (username, full_name, password_hash, role) FROM STDIN") as copy:
            for name, full_name, role in team:
                copy.write_row((name, full_name, password_hash, role))
        rows = cur.execute(
            "SELECT id, lower(username) FROM users WHERE lower(username) = ANY(%s)",
            ([name.lower() for name, _, _ in team],),
        ).fetchall()
    by_name = {name: uid for uid, name in rows}
    return [by_name[name.lower()] for name, _, _ in team]


@dataclass(frozen=True, slots=True)
class _Plan:
    id: int
    assignee: int
    created: dt.date
    started: dt.date | None
    done: dt.date | None


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), dt.UTC) + dt.timedelta(minutes=rng.randrange(600))


def _plan_tasks(rng, raw, n: int, workers: list[int], start: dt.date, end: dt.date) -> list[_Plan]:
    if n == 0:
        return []
    span = (end - start).days
    with raw.cursor() as cur:
        ids = [
            r[0]
            for r in cur.execute(
                "SELECT nextval(pg_get_serial_sequence('tasks', 'id')) FROM generate_series(1, %s)",
                (n,),
            )
        ]
    plans: list[_Plan] = []
    with raw.cursor() as cur:
        with cur.copy(
            "COPY tasks (id, title, description, status, assignee_id, created_by_id, "
            "estimate_minutes, created_at, updated_at, started_at, done_at) FROM STDIN"
        ) as copy:
            for task_id in ids:
                who = rng.choice(workers)
                created = start + dt.timedelta(days=rng.randrange(span + 1))
                started = created + dt.timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
                done = started + dt.timedelta(days=rng.randrange(1, 12))
                if started > end or rng.random() < 0.12:
                    started = done = None
                elif done > end or rng.random() < 0.2:
                    done = None
                status = "done" if done else "in_progress" if started else "todo"
                title = TITLES[len(plans) % len(TITLES)] if n <= len(TITLES) else rng.choice(TITLES)
                created_at = _at(created, rng)
                started_at = _at(started, rng) if started else None
                done_at = _at(done, rng) if done else None
                copy.write_row(
                    (
                        task_id,
                        title,
                        rng.choice(DESCRIPTIONS),
                        status,
                        who,
                        who,
                        rng.choice([60, 120, 180, 240, 360, 480, 720, 960]),
                        created_at,
                        done_at or started_at or created_at,
                        started_at,
                        done_at,
                    )
                )
                plans.append(_Plan(task_id, who, created, started, done))
        with cur.copy(
            "COPY task_events (task_id, from_status, to_status, actor_id, at) FROM STDIN"
        ) as copy:
            for p in plans:
                copy.write_row((p.id, None, "todo", p.assignee, _at(p.created, rng)))
                if p.started:
                    copy.write_row((p.id, "todo", "in_progress", p.assignee, _at(p.started, rng)))
                if p.done:
                    copy.write_row((p.id, "in_progress", "done", p.assignee, _at(p.done, rng)))
    return plans


def _write_entries(rng, raw, plans: list[_Plan], n: int, end: dt.date) -> int:
    active = [p for p in plans if p.started]
    if not active or n == 0:
        return 0
    written = 0
    with (
        raw.cursor() as cur,
        cur.copy(
            "COPY time_entries (task_id, user_id, minutes, spent_on, note) FROM STDIN"
        ) as copy,
    ):
        while written < n:
            p = active[rng.randrange(len(active))]
            last = p.done or end
            day = p.started + dt.timedelta(days=rng.randrange((last - p.started).days + 1))
            if rng.random() > WEEKDAY_WEIGHT[day.weekday()]:
                continue
            note = (
                ""
                if rng.random() < 0.7
                else rng.choice(
                    ["pairing", "code review", "debugging", "meeting", "deploy", "writing tests"]
                )
            )
            copy.write_row((p.id, p.assignee, rng.choice(CHUNKS), day, note))
            written += 1
    return written
