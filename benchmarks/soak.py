"""Soak: N simulated users doing a realistic mix of service actions on shared tasks for a
bounded time.

    .venv/bin/python benchmarks/soak.py --users 50 --seconds 60 [--json PATH]

Runs against SPRINTSYNC_DATABASE_URL, or an embedded PostgreSQL in .sprintsync/soak (a fresh
database each run). Each simulated user is a thread acting through the same service functions
the pages call, with think time between actions like a person clicking around.

Users work in teams of TEAM_SIZE sharing one pool of tasks: the team's lead (an admin) hands
tasks from member to member, logs time on, edits and moves any of them, while the members
work on whichever pool tasks are theirs at that moment (their list is read first, so some
actions race a hand-over and are refused or conflict, as they would for people). Everyone
also logs time, runs timers, reads entries and signs in again now and then; one user in ten
is a manager reading the whole team's tasks.

Prints throughput, p50/p95/p99 latency per action, outcome counts (conflicts, refusals after a
hand-over and full days are expected; anything else is an error) and the final consistency
checks: every task's total equals its entries, no day holds more than 24 hours of anyone's
time, the rollups equal the entries, the pool is idle.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync import db
from sprintsync.clock import today
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, NotFound, PermissionDenied, SprintSyncError, ValidationError
from sprintsync.services import auth, tasks, timelog, timers, users
from sprintsync.services.views import CONSOLE

TEAM_SIZE = 5
TASKS_PER_TEAM = 8
# How often each action happens, roughly what a working team does in the app.
MIX = {
    "list_tasks": 26,
    "get_task": 12,
    "log_time": 18,
    "move_task": 7,
    "update_task": 7,
    "create_task": 4,
    "task_entries": 8,
    "delete_entry": 2,
    "timer": 6,
    "sign_in": 3,
}
LEAD_MIX = MIX | {"hand_over": 10, "list_team": 6}
MANAGER_MIX = {"list_team": 40, "get_task": 30, "task_entries": 20, "sign_in": 3}
PASSWORD = "soak-password-123"
# Outcomes people meet in a shared workspace; anything else is counted as an error.
EXPECTED = {"ok", "conflict", "handed_over", "not_found", "day_full", "moved_meanwhile"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def build_engine(database_url: str | None):
    if database_url:
        return db.make_engine(database_url)
    admin = db.start_embedded_postgres(Path(".sprintsync/soak"))
    name = f"soak_{uuid.uuid4().hex[:8]}"
    return db.make_engine(db.ensure_database(admin, name))


def _outcome(error: SprintSyncError) -> str:
    if isinstance(error, Conflict):
        return "conflict"
    if isinstance(error, PermissionDenied):
        return "handed_over"  # the task moved to someone else since the list was read
    if isinstance(error, NotFound):
        return "not_found"
    if isinstance(error, ValidationError) and "more than 24 hours" in error.message:
        return "day_full"
    if isinstance(error, ValidationError) and (
        "already" in error.message or "cannot move" in error.message
    ):
        return "moved_meanwhile"  # someone moved the task between reading it and the move
    return type(error).__name__


def run(engine, *, n_users: int, seconds: float, think: float, seed: int = 1) -> dict:
    db.migrate(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    run_id = uuid.uuid4().hex[:6]
    actors, roles, teams = [], [], []
    for i in range(n_users):
        team = i // TEAM_SIZE
        role = "admin" if i % TEAM_SIZE == 0 else ("manager" if i % 10 == 9 else "member")
        created = users.create_user(
            uow(), actor=CONSOLE, username=f"soak{run_id}{i}", password=PASSWORD, role=role
        )
        actors.append(users.actor_for(uow(), username=created.user.username))
        roles.append(role)
        teams.append(team)
    members_of: dict[int, list[int]] = defaultdict(list)
    for i, team in enumerate(teams):
        if roles[i] == "member":
            members_of[team].append(i)
    pools: dict[int, list[int]] = {}
    for team in set(teams):
        lead = actors[team * TEAM_SIZE]
        workers = members_of[team] or [team * TEAM_SIZE]
        pools[team] = [
            tasks.create_task(
                uow(),
                actor=lead,
                title=f"Team {team} task {k}",
                assignee_id=actors[workers[k % len(workers)]].id,
            ).id
            for k in range(TASKS_PER_TEAM)
        ]

    latencies: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lock = threading.Lock()
    start_gate = threading.Barrier(n_users + 1)
    stop_at = [0.0]

    def user_loop(index: int) -> None:
        rng = random.Random(seed * 10_000 + index)
        me, role, team = actors[index], roles[index], teams[index]
        pool, mates = pools[team], members_of[team]
        mix = {"admin": LEAD_MIX, "manager": MANAGER_MIX}.get(role, MIX)
        my_entries: list[int] = []
        start_gate.wait()
        while time.monotonic() < stop_at[0]:
            action = rng.choices(list(mix), list(mix.values()))[0]
            task_id = rng.choice(pool)
            if role == "member" and action not in ("list_tasks", "sign_in", "create_task"):
                # A member works on a pool task that is theirs as far as their list (read
                # before, untimed, as a page shows it) knows; it may be handed over meanwhile.
                try:
                    mine = [t.id for t in tasks.list_tasks(uow(), actor=me, per_page=50).items]
                except SprintSyncError:
                    mine = []
                task_id = rng.choice(mine) if mine else task_id
            began = time.perf_counter()
            outcome = "ok"
            try:
                act(action, me, task_id, rng, my_entries, pool, [actors[m] for m in mates])
            except SprintSyncError as error:
                outcome = _outcome(error)
            except Exception as error:  # counted and reported, the soak goes on
                outcome = f"unexpected:{type(error).__name__}"
            elapsed = time.perf_counter() - began
            with lock:
                latencies[action].append(elapsed)
                outcomes[action][outcome] += 1
            if think:
                time.sleep(rng.expovariate(1 / think))

    def act(action, me, task_id, rng, my_entries, pool, mates) -> None:
        if action == "list_tasks":
            tasks.list_tasks(uow(), actor=me, per_page=50)
        elif action == "list_team":
            tasks.list_tasks(uow(), actor=me, everyone=True, per_page=100)
        elif action == "get_task":
            tasks.get_task(uow(), actor=me, task_id=task_id)
        elif action == "log_time":
            day = today() - dt.timedelta(days=rng.randrange(14))
            entry = timelog.log_time(
                uow(),
                actor=me,
                task_id=task_id,
                duration=rng.choice(["15m", "30m", "1h", "1h30m"]),
                spent_on=day,
            )
            my_entries.append(entry.id)
        elif action == "move_task":
            current = tasks.get_task(uow(), actor=me, task_id=task_id)
            tasks.move_task(uow(), actor=me, task_id=task_id, to_status=rng.choice(current.moves))
        elif action == "update_task":
            current = tasks.get_task(uow(), actor=me, task_id=task_id)
            tasks.update_task(
                uow(),
                actor=me,
                task_id=task_id,
                expected_version=current.version,
                title=f"Shared task {rng.randrange(1000)}",
            )
        elif action == "hand_over" and mates:
            current = tasks.get_task(uow(), actor=me, task_id=task_id)
            tasks.update_task(
                uow(),
                actor=me,
                task_id=task_id,
                expected_version=current.version,
                assignee_id=rng.choice(mates).id,
            )
        elif action == "create_task":
            tasks.create_task(uow(), actor=me, title="Soak extra")
        elif action == "task_entries":
            timelog.task_entries(uow(), actor=me, task_id=task_id)
        elif action == "delete_entry" and my_entries:
            timelog.delete_entry(uow(), actor=me, entry_id=my_entries.pop())
        elif action == "timer":
            running = timers.running_timer(uow(), actor=me)
            if running is None or rng.random() < 0.5:
                timers.start_timer(uow(), actor=me, task_id=task_id)
            else:
                timers.stop_timer(uow(), actor=me)
        elif action == "sign_in":
            auth.authenticate(uow(), username=me.username, password=PASSWORD)

    threads = [threading.Thread(target=user_loop, args=(i,), daemon=True) for i in range(n_users)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds + 60  # provisional, until everyone is ready
    start_gate.wait()
    began = time.monotonic()
    stop_at[0] = began + seconds
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began

    with engine.connect() as conn:
        mismatched = conn.scalar(
            text(
                "SELECT count(*) FROM tasks t WHERE total_minutes <> "
                "(SELECT coalesce(sum(minutes), 0) FROM time_entries e WHERE e.task_id = t.id)"
            )
        )
        negative = conn.scalar(text("SELECT count(*) FROM tasks WHERE total_minutes < 0"))
        overfull = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM time_entries GROUP BY user_id, spent_on"
                " HAVING sum(minutes) > 1440) d"
            )
        )
        rollup_off = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT user_id, spent_on, sum(minutes) AS m"
                " FROM time_entries GROUP BY 1, 2) e FULL JOIN user_day_totals t USING"
                " (user_id, spent_on) WHERE e.m IS DISTINCT FROM t.minutes"
            )
        )
    total_actions = sum(len(v) for v in latencies.values())
    return {
        "users": n_users,
        "teams": len(pools),
        "seconds": round(wall, 1),
        "think_seconds": think,
        "pool": {"size": engine.pool.size(), "overflow": engine.pool._max_overflow},
        "actions": total_actions,
        "throughput_per_s": round(total_actions / wall, 1),
        "per_action": {
            action: {
                "count": len(values),
                "p50_ms": round(percentile(values, 0.50) * 1000, 1),
                "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                "p99_ms": round(percentile(values, 0.99) * 1000, 1),
                "outcomes": dict(outcomes[action]),
            }
            for action, values in sorted(latencies.items())
        },
        "errors": {
            action: {k: v for k, v in out.items() if k not in EXPECTED}
            for action, out in outcomes.items()
            if any(k not in EXPECTED for k in out)
        },
        "consistency": {
            "tasks_whose_total_differs_from_their_entries": int(mismatched),
            "tasks_with_negative_totals": int(negative),
            "days_over_24_hours": int(overfull),
            "day_rollups_differing_from_entries": int(rollup_off),
            "connections_checked_out_at_end": engine.pool.checkedout(),
        },
        "median_latency_ms": round(
            statistics.median([x for v in latencies.values() for x in v]) * 1000, 1
        )
        if total_actions
        else None,
    }


def print_report(report: dict) -> None:
    print(
        f"\n{report['users']} users in {report['teams']} teams for {report['seconds']}s"
        f" (think {report['think_seconds']}s,"
        f" pool {report['pool']['size']}+{report['pool']['overflow']}): "
        f"{report['actions']} actions, {report['throughput_per_s']}/s"
    )
    print(f"{'action':<14}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  outcomes")
    for action, row in report["per_action"].items():
        print(
            f"{action:<14}{row['count']:>8}{row['p50_ms']:>10}{row['p95_ms']:>10}"
            f"{row['p99_ms']:>10}  {row['outcomes']}"
        )
    print(f"errors: {report['errors'] or 'none'}")
    print(f"consistency: {report['consistency']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=0.5, help="mean pause between one user's actions (seconds)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the report here")
    args = parser.parse_args(argv)
    engine = build_engine(get_settings().database_url)
    report = run(engine, n_users=args.users, seconds=args.seconds, think=args.think, seed=args.seed)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    ok = not report["errors"] and not any(v for k, v in report["consistency"].items())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
