"""The planning side of the demo and benchmark data: projects with budgets, two-week sprints
(four closed, the active one, the next), tags, priorities and due dates, and each sprint's
ledger as the triggers would have written it over time. Drawn from a random stream of its own,
so the tasks and time of a seed are the same with or without it.

Tasks go to their assignee's home project mostly; a task joins the sprint it was started in
(the backlog's recent tasks join the active or the next sprint), planned on the sprint's first
day if it existed by then, added when it was created if later; what is open when a sprint
closes is carried into the next on that sprint's first day. Budgets are set from the time
planned on each project, so the demo shows a budget well within, one near and one over.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from psycopg import Cursor

from sprintsync.clock import tz
from sprintsync.domain import monday_of
from sprintsync.services.demo_work import TaskPlan

DEMO_PROJECTS = [  # key, name, description, share of tasks
    ("WEB", "Website", "The public site, sign-up and the customer dashboard.", 0.4),
    ("API", "Public API", "Endpoints, SDKs and their documentation.", 0.35),
    ("OPS", "Operations", "Infrastructure, deploys, monitoring and on-call.", 0.2),
]
LARGE_KEYS = [
    "WEB",
    "API",
    "OPS",
    "DATA",
    "MOB",
    "PAY",
    "AUTH",
    "SRCH",
    "BILL",
    "INFRA",
    "CORE",
    "ML",
    "SEC",
    "DOCS",
    "QA",
    "CRM",
    "ADS",
    "CHAT",
    "MAPS",
    "SHOP",
]
GOALS = [
    "Ship the new sign-up flow",
    "Cut p95 latency of the busiest endpoints",
    "Close the oldest customer bugs",
    "Get the release candidate out",
    "Pay down the flakiest tests",
    "Finish the migration to the new cluster",
]
# Budgets as a share of the time planned on the project: within, near (80%+) and over.
BUDGET_USE = [0.55, 0.9, 1.12]
PRIORITY_WEIGHTS = {"urgent": 5, "high": 20, "normal": 60, "low": 15}
DUE_SHARE = 0.35
HOME_SHARE = 0.8  # of a person's tasks in their home project
TAG_WORDS = {
    "bug": ("Fix", "Investigate", "broken", "duplicate"),
    "testing": ("Test", "flaky", "load test"),
    "docs": ("Document", "docs", "release notes", "guide", "runbook", "ADR"),
    "ops": ("Deploy", "Upgrade", "backup", "CI", "Terraform", "Grafana", "cluster", "queue"),
    "performance": ("Speed up", "slow", "memory", "cold start", "latency"),
    "security": ("SSO", "signatures", "rate limiting", "permissions", "401", "audit"),
    "tech-debt": ("Refactor", "Clean up", "Rewrite"),
}
SIDES = ("frontend", "backend")
SPRINT_DAYS = 14
PAST_SPRINTS = 4


@dataclass(slots=True)
class SprintPlan:
    id: int
    project_id: int
    starts_on: dt.date
    ends_on: dt.date

    def planning_time(self) -> dt.datetime:
        """The first day's morning: plans are made, and what the last sprint left is carried."""
        return dt.datetime.combine(self.starts_on, dt.time(9), tz())

    @property
    def plan_ends(self) -> dt.datetime:
        return dt.datetime.combine(self.starts_on + dt.timedelta(days=1), dt.time(), tz())

    @property
    def until(self) -> dt.datetime:
        return dt.datetime.combine(self.ends_on + dt.timedelta(days=1), dt.time(), tz())


@dataclass(slots=True)
class Placement:
    """Where each task went: its project and sprint, and the fields the demo fills."""

    project: dict[int, int] = field(default_factory=dict)  # task id -> project id
    sprint: dict[int, int] = field(default_factory=dict)  # task id -> its (last) sprint id
    priority: dict[int, str] = field(default_factory=dict)
    due: dict[int, dt.date] = field(default_factory=dict)
    tags: dict[int, list[str]] = field(default_factory=dict)
    ledger: list[tuple[int, int, dt.datetime, bool, int, bool]] = field(default_factory=list)


def sprint_dates(today: dt.date, history_from: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Up to four closed two-week sprints (those starting after the history has a few days of
    work to plan from), the active one and the next, Monday to Sunday."""
    monday = monday_of(today)
    active = monday - dt.timedelta(days=7 * (monday.isocalendar().week % 2))
    starts = [active + dt.timedelta(days=SPRINT_DAYS * i) for i in range(-PAST_SPRINTS, 2)]
    starts = [s for s in starts if s >= history_from + dt.timedelta(days=3) or s >= active]
    return [(s, s + dt.timedelta(days=SPRINT_DAYS - 1)) for s in starts]


def make_projects(cursor: Cursor[Any], large: bool) -> list[int]:
    """The demo's projects (20 for the benchmark data), made unless their key exists."""
    if large:
        rows = [(k, f"Project {k.title()}", f"Demo project {k}.") for k in LARGE_KEYS]
    else:
        rows = [(k, n, d) for k, n, d, _ in DEMO_PROJECTS]
    ids = []
    for key, name, description in rows:
        found = cursor.execute(
            "INSERT INTO projects (key, name, description) VALUES (%s, %s, %s) "
            "ON CONFLICT (key) DO NOTHING RETURNING id",
            (key, name, description),
        ).fetchone()
        if found is None:  # made by an earlier seed
            found = cursor.execute("SELECT id FROM projects WHERE key = %s", (key,)).fetchone()
        assert found is not None
        ids.append(found[0])
    return ids


def make_sprints(
    cursor: Cursor[Any], project_ids: list[int], today: dt.date, history_from: dt.date
) -> dict[int, list[SprintPlan]]:
    """Each project's sprints: the demo's, where they fit among any it already has."""
    made: dict[int, list[SprintPlan]] = {}
    for project_id in project_ids:
        for n, (start, end) in enumerate(sprint_dates(today, history_from), start=1):
            cursor.execute(
                "INSERT INTO sprints (project_id, name, starts_on, ends_on, goal) "
                "SELECT %s, %s, %s, %s, %s WHERE NOT EXISTS (SELECT FROM sprints "
                "WHERE project_id = %s AND (starts_on <= %s AND ends_on >= %s "
                "OR lower(name) = lower(%s)))",
                (project_id, f"Sprint {n}", start, end, GOALS[n % len(GOALS)], project_id, end,
                 start, f"Sprint {n}"),
            )  # fmt: skip
        rows = cursor.execute(
            "SELECT id, starts_on, ends_on FROM sprints WHERE project_id = %s ORDER BY starts_on",
            (project_id,),
        ).fetchall()
        made[project_id] = [SprintPlan(i, project_id, a, b) for i, a, b in rows]
    return made


def _tags(rng: random.Random, title: str) -> list[str]:
    found = [tag for tag, words in TAG_WORDS.items() if any(w in title for w in words)]
    if rng.random() < 0.6:
        found.append(rng.choice(SIDES))
    return found[:3]


def place(
    rng: random.Random,
    plans: list[TaskPlan],
    project_ids: list[int],
    sprints: dict[int, list[SprintPlan]],
    workers: list[int],
    large: bool,
    today: dt.date,
) -> Placement:
    out = Placement()
    shares = [share for *_, share in DEMO_PROJECTS]
    home = {w: project_ids[i % len(project_ids)] for i, w in enumerate(workers)}
    levels, weights = list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values())
    for plan in plans:
        project: int | None
        if large:
            project = home[plan.assignee] if rng.random() < HOME_SHARE else rng.choice(project_ids)
        else:
            project = rng.choices([*project_ids, None], weights=[*shares, 0.05])[0]
        out.priority[plan.id] = rng.choices(levels, weights)[0]
        created = plan.events[0][2]
        if rng.random() < DUE_SHARE:
            out.due[plan.id] = created.astimezone(tz()).date() + dt.timedelta(
                days=rng.randint(3, 21)
            )
        out.tags[plan.id] = _tags(rng, plan.title)
        if project is None:
            continue
        out.project[plan.id] = project
        _sprint_history(rng, plan, sprints.get(project, []), out, today)
    return out


def _sprint_history(
    rng: random.Random, plan: TaskPlan, sprints: list[SprintPlan], out: Placement, today: dt.date
) -> None:
    """The sprints a task was in and its ledger rows: in on joining, each finish and reopening
    while in, out of one and into the next when carried over on the next one's first day."""
    started = plan.first("in_progress")
    created = plan.events[0][2]
    # The first sprint the task was on the go in: from its start (or creation) to its finish.
    first = (started or created).astimezone(tz()).date()
    last = plan.events[-1][2].astimezone(tz()).date() if plan.status == "done" else today
    index = next(
        (i for i, s in enumerate(sprints) if s.ends_on >= first and s.starts_on <= last), None
    )
    active = next((i for i, s in enumerate(sprints) if s.starts_on <= today <= s.ends_on), None)
    if started is None and active is not None and index is not None:
        # The backlog: some in the active sprint, some planned for the next, some unplanned.
        index = rng.choices([active, active + 1, None], weights=[3, 5, 2])[0]
        if index is not None and index >= len(sprints):
            index = None
    if index is None:
        return
    now = dt.datetime.now(dt.UTC)
    sprint = sprints[index]
    # Planned the day before it starts if the task existed then; otherwise when it was made.
    joined = min(
        max(created + dt.timedelta(minutes=1), sprint.planning_time() - dt.timedelta(days=1)), now
    )
    done, rows = False, out.ledger

    def carry(at: dt.datetime) -> None:
        nonlocal index, sprint
        index += 1
        nxt = sprints[index]
        moved = min(nxt.planning_time(), at)
        rows.append((sprint.id, plan.id, moved, False, plan.estimate, done))
        rows.append((nxt.id, plan.id, moved, True, plan.estimate, done))
        sprint = nxt

    rows.append((sprint.id, plan.id, joined, True, plan.estimate, done))
    for _, after, at in plan.events[1:]:
        while at >= sprint.until and index + 1 < len(sprints):
            carry(at)
        if (after == "done") != done and at >= joined:
            done = after == "done"
            rows.append((sprint.id, plan.id, at, True, plan.estimate, done))
    while not done and sprint.until <= now and index + 1 < len(sprints):
        carry(now)  # still open when its sprint closed: carried on the next one's first day
    out.sprint[plan.id] = sprint.id


def budgets(plans: list[TaskPlan], placed: Placement) -> dict[int, int]:
    """A budget per project (in whole hours) from the time planned on it: a third of the
    projects well within theirs, a third near and a third over."""
    used: dict[int, int] = defaultdict(int)
    for plan in plans:
        if plan.id in placed.project:
            used[placed.project[plan.id]] += plan.total_minutes
    result = {}
    for n, (project, minutes) in enumerate(sorted(used.items())):
        share = BUDGET_USE[n % len(BUDGET_USE)]
        result[project] = max(60, round(minutes / share / 60) * 60)
    return result


@contextmanager
def ledger_written_by_hand(cursor: Cursor[Any]) -> Iterator[None]:
    """The seed writes each sprint's history as it happened over the weeks; the trigger would
    date every bulk-loaded task's row now. Off for the load, inside the seed's transaction."""
    cursor.execute("ALTER TABLE tasks DISABLE TRIGGER sprint_changes_on_insert")
    yield
    cursor.execute("ALTER TABLE tasks ENABLE TRIGGER sprint_changes_on_insert")


def copy_tags(cursor: Cursor[Any], placed: Placement) -> int:
    names = sorted({t for tags in placed.tags.values() for t in tags})
    if not names:
        return 0
    cursor.execute(
        "INSERT INTO tags (name) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING", (names,)
    )
    ids = dict(
        cursor.execute(
            "SELECT lower(name), id FROM tags WHERE lower(name) = ANY(%s)",
            ([n.lower() for n in names],),
        ).fetchall()
    )
    with cursor.copy("COPY task_tags (task_id, tag_id) FROM STDIN") as copy:
        for task_id, tags in placed.tags.items():
            for tag in tags:
                copy.write_row((task_id, ids[tag.lower()]))
    return len(names)


def copy_ledger(cursor: Cursor[Any], placed: Placement) -> None:
    with cursor.copy(
        "COPY sprint_changes (sprint_id, task_id, at, in_sprint, estimate_minutes, done) FROM STDIN"
    ) as copy:
        for row in placed.ledger:
            copy.write_row(row)


def set_budgets(cursor: Cursor[Any], plans: list[TaskPlan], placed: Placement) -> None:
    cursor.executemany(
        "UPDATE projects SET budget_minutes = %s WHERE id = %s AND budget_minutes IS NULL",
        [(minutes, project) for project, minutes in budgets(plans, placed).items()],
    )
