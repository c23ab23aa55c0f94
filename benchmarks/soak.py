"""Soak: N simulated users doing a realistic mix of service actions for a bounded time.

    .venv/bin/python benchmarks/soak.py --users 50 --seconds 60 [--json PATH]

Runs against SPRINTSYNC_DATABASE_URL, or an embedded PostgreSQL in .sprintsync/soak (a fresh
database each run). Each simulated user is a thread acting through the same service functions
the pages call, with think time between actions like a person clicking around. Prints
throughput, p50/p95/p99 latency per action, error counts and the final consistency checks.
"""

from __future__ import annotations

import argparse
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
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, SprintSyncError
from sprintsync.services import auth, tasks, timelog, users
from sprintsync.services.views import CONSOLE

# How often each action happens, roughly what a working team does in the app.
MIX = {
    "list_tasks": 30,
    "get_task": 15,
    "log_time": 20,
    "move_task": 8,
    "update_task": 8,
    "create_task": 6,
    "task_entries": 8,
    "delete_entry": 2,
    "sign_in": 3,
}
PASSWORD = "soak-password-123"


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


def run(engine, *, n_users: int, seconds: float, think: float, seed: int = 1) -> dict:
    db.migrate(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions)

    run_id = uuid.uuid4().hex[:6]
    actors = []
    for i in range(n_users):
        created = users.create_user(
            uow(), actor=CONSOLE, username=f"soak{run_id}{i}", password=PASSWORD
        )
        actors.append(users.actor_for(uow(), username=created.user.username))

    latencies: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lock = threading.Lock()
    start_gate = threading.Barrier(n_users + 1)
    stop_at = [0.0]

    def user_loop(index: int) -> None:
        rng = random.Random(seed * 10_000 + index)
        me = actors[index]
        my_tasks = [tasks.create_task(uow(), actor=me, title=f"Soak task {k}").id for k in range(3)]
        my_entries: list[int] = []
        start_gate.wait()
        while time.monotonic() < stop_at[0]:
            action = rng.choices(list(MIX), list(MIX.values()))[0]
            task_id = rng.choice(my_tasks)
            began = time.perf_counter()
            outcome = "ok"
            try:
                if action == "list_tasks":
                    tasks.list_tasks(uow(), actor=me, per_page=50)
                elif action == "get_task":
                    tasks.get_task(uow(), actor=me, task_id=task_id)
                elif action == "log_time":
                    entry = timelog.log_time(
                        uow(),
                        actor=me,
                        task_id=task_id,
                        duration=rng.choice(["15m", "30m", "1h", "1h30m"]),
                    )
                    my_entries.append(entry.id)
                elif action == "move_task":
                    current = tasks.get_task(uow(), actor=me, task_id=task_id)
                    tasks.move_task(
                        uow(), actor=me, task_id=task_id, to_status=rng.choice(current.moves)
                    )
                elif action == "update_task":
                    current = tasks.get_task(uow(), actor=me, task_id=task_id)
                    tasks.update_task(
                        uow(),
                        actor=me,
                        task_id=task_id,
                        expected_version=current.version,
                        title=f"Soak task {rng.randrange(1000)}",
                    )
                elif action == "create_task":
                    my_tasks.append(tasks.create_task(uow(), actor=me, title="Soak extra").id)
                elif action == "task_entries":
                    timelog.task_entries(uow(), actor=me, task_id=task_id)
                elif action == "delete_entry" and my_entries:
                    timelog.delete_entry(uow(), actor=me, entry_id=my_entries.pop())
                elif action == "sign_in":
                    auth.authenticate(uow(), username=me.username, password=PASSWORD)
            except Conflict:
                outcome = "conflict"
            except SprintSyncError as error:
                outcome = type(error).__name__
            except Exception as error:  # counted and reported, the soak goes on
                outcome = f"unexpected:{type(error).__name__}"
            elapsed = time.perf_counter() - began
            with lock:
                latencies[action].append(elapsed)
                outcomes[action][outcome] += 1
            if think:
                time.sleep(rng.expovariate(1 / think))

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
    total_actions = sum(len(v) for v in latencies.values())
    return {
        "users": n_users,
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
            action: {k: v for k, v in out.items() if k not in ("ok", "conflict")}
            for action, out in outcomes.items()
            if any(k not in ("ok", "conflict") for k in out)
        },
        "consistency": {
            "tasks_whose_total_differs_from_their_entries": int(mismatched),
            "tasks_with_negative_totals": int(negative),
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
        f"\n{report['users']} users for {report['seconds']}s (think {report['think_seconds']}s,"
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
