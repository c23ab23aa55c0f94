"""A believable demo workspace, and large data sets for benchmarks (see demo_work)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import func, select, text

from sprintsync.clock import today
from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, ValidationError
from sprintsync.models import Base, SprintChange, Task, TaskEvent, TaskTag, TimeEntry, User
from sprintsync.services import demo_plan as planning
from sprintsync.services import demo_work as work
from sprintsync.services.auth import hash_password
from sprintsync.services.common import audit

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


BULK_TABLES = [
    Base.metadata.tables[m.__tablename__]
    for m in (Task, TaskEvent, TimeEntry, TaskTag, SprintChange)
]


@dataclass(frozen=True)
class SeedReport:
    users: int
    tasks: int
    entries: int
    seconds: float
    password: str = field(repr=False)
    logins: list[tuple[str, str]]  # (username, role) worth showing
    projects: int = 0
    sprints: int = 0
    tags: int = 0

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
    tasks: int = 120,
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
        assert raw is not None  # a live connection inside the transaction
        team = _team(rng, users)
        user_ids = _insert_users(raw, team, hash_password(password))
        worker_ids = [
            uid for uid, (_, _, role) in zip(user_ids, team, strict=True) if role != "admin"
        ] or user_ids
        end = today()
        start = end - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
        n_entries = entries if entries is not None else 17 * len(worker_ids) * weeks
        with raw.cursor() as cur:
            ids = [
                r[0]
                for r in cur.execute(
                    "SELECT nextval(pg_get_serial_sequence('tasks', 'id')) "
                    "FROM generate_series(1, %s)",
                    (tasks,),
                )
            ]
            plans = work.plan_tasks(rng, ids, worker_ids, start, end)
            # Entries are planned first so each task is written with its total_minutes.
            planned = work.plan_entries(rng, plans, n_entries, start)
            work.fit_estimates(rng, plans)
            layout = _plan_projects(
                cur,
                random.Random(f"{seed}-planning"),  # noqa: S311 (its own stream, see demo_plan)
                plans,
                worker_ids,
                users,
                start,
            )
            with (
                work.foreign_keys_checked_once(cur, BULK_TABLES),
                planning.ledger_written_by_hand(cur),
            ):
                work.copy_tasks(cur, plans, layout.fields)
                tag_count = planning.copy_tags(cur, layout.placed)
                planning.copy_ledger(cur, layout.placed)
                work.copy_entries(cur, plans, planned)
            planning.set_budgets(cur, plans, layout.placed)
        written = len(planned)
        audit(
            s,
            None,
            "demo.seed",
            "",
            users=len(user_ids),
            tasks=len(plans),
            entries=written,
            projects=len(layout.projects),
        )
        s.execute(text("ANALYZE"))  # fresh statistics, or the first queries plan for empty tables
        uow.commit()
    shown = [(name, role) for name, _, role in team[:8]]
    return SeedReport(
        len(user_ids),
        len(plans),
        written,
        time.perf_counter() - started,
        password,
        shown,
        len(layout.projects),
        layout.sprints,
        tag_count,
    )


@dataclass(frozen=True)
class _Layout:
    projects: list[int]
    sprints: int
    placed: planning.Placement
    default_project: int

    def fields(self, task_id: int) -> tuple[int, int | None, str, dt.date | None]:
        placed = self.placed
        return (
            placed.project.get(task_id, self.default_project),
            placed.sprint.get(task_id),
            placed.priority.get(task_id, "normal"),
            placed.due.get(task_id),
        )


def _plan_projects(
    cur: psycopg.Cursor[Any],
    rng: random.Random,
    plans: list[work.TaskPlan],
    workers: list[int],
    users: int | None,
    start: dt.date,
) -> _Layout:
    """Projects, their sprints, and where each planned task goes (see demo_plan)."""
    large = users is not None
    project_ids = planning.make_projects(cur, large)
    sprints = planning.make_sprints(cur, project_ids, today(), start)
    placed = planning.place(rng, plans, project_ids, sprints, workers, large, today())
    default = cur.execute("SELECT id FROM projects WHERE is_default").fetchone()
    assert default is not None  # migration 0006 made it
    return _Layout(project_ids, sum(map(len, sprints.values())), placed, default[0])


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


def _insert_users(
    raw: psycopg.Connection[Any], team: list[tuple[str, str, str]], password_hash: str
) -> list[int]:
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
