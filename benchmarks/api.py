"""The HTTP API's common calls against the floor: p50/p95 of me, list tasks, log time and a
report, side by side with a plain FastAPI endpoint doing one indexed SELECT (a user by id),
all through FastAPI's TestClient (the full ASGI stack: middleware, token check, services,
JSON) over the same PostgreSQL, with the ratio of each call's median to the floor's.

    .venv/bin/python benchmarks/api.py [--runs 200] [--users 500 --tasks 100000
        --entries 1000000] [--json PATH]

The database is the embedded PostgreSQL in SPRINTSYNC_DATA_DIR (default .sprintsync/bench-api,
seeded with `sprintsync demo seed` at the given size on first use, reused after; give each size
its own directory), or SPRINTSYNC_DATABASE_URL. Timings are wall-clock milliseconds after
warm-up; the load average is printed with them: compare medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchkit import load, timed

ROOT = Path(__file__).resolve().parents[1]
if not os.environ.get("SPRINTSYNC_DATABASE_URL"):
    os.environ.setdefault("SPRINTSYNC_DATA_DIR", str(ROOT / ".sprintsync" / "bench-api"))
os.environ.setdefault("SPRINTSYNC_LOG_LEVEL", "WARNING")
# A benchmark sends more than a person would: the per-token limit is not what is measured.
os.environ.setdefault("SPRINTSYNC_API_RATE_PER_MINUTE", "100000")


def ready(size: dict[str, int]) -> dict[str, Any] | None:
    from sqlalchemy import func, select

    from sprintsync import db, startup
    from sprintsync.models import TimeEntry

    startup.prepare_database()
    with db.get_engine().connect() as conn:
        have = conn.scalar(select(func.count()).select_from(TimeEntry))
    if have:
        return {"reused": True, "entries": have}
    command = [sys.executable, "-m", "sprintsync.cli", "demo", "seed"]
    for name, value in size.items():
        command += [f"--{name}", str(value)]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return {"seeded_s": round(time.perf_counter() - started, 1), **size}


def floor_app(user_id: int):
    """The floor: FastAPI, one indexed SELECT by primary key, a small JSON answer."""
    from fastapi import FastAPI
    from sqlalchemy import text

    from sprintsync import db

    app = FastAPI()

    @app.get("/floor")
    def floor() -> dict[str, Any]:
        with db.get_engine().connect() as conn:
            row = conn.execute(
                text("SELECT id, username FROM users WHERE id = :id"), {"id": user_id}
            ).one()
        return {"id": row.id, "username": row.username}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    seeded = ready({"users": args.users, "tasks": args.tasks, "entries": args.entries})

    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from sprintsync import db
    from sprintsync.api import create_app
    from sprintsync.clock import today
    from sprintsync.services import tokens, users

    with db.get_engine().connect() as conn:
        name = conn.scalar(
            text(
                "SELECT u.username FROM users u JOIN time_entries e ON e.user_id = u.id "
                "WHERE u.role = 'member' AND u.is_active GROUP BY u.id "
                "ORDER BY count(*) DESC LIMIT 1"
            )
        )
        task_id = conn.scalar(
            text(
                "SELECT t.id FROM tasks t JOIN users u ON u.id = t.assignee_id "
                "WHERE u.username = :u AND t.status <> 'done' LIMIT 1"
            ),
            {"u": name},
        )
    member = users.actor_for(db.unit_of_work(), username=name)
    secret = tokens.create_token(db.unit_of_work(), actor=member, name="bench", scope="write")
    h = {"Authorization": f"Bearer {secret.secret}"}
    start = (today().replace(day=1)).isoformat()
    v1 = "/api/v1"
    logged: list[int] = []

    def log_time(api: TestClient) -> None:
        answer = api.post(f"{v1}/time-entries", json={"task_id": task_id, "duration": 1}, headers=h)
        assert answer.status_code == 201, answer.text
        logged.append(answer.json()["id"])

    calls: dict[str, Callable[[TestClient], Any]] = {
        "GET /me": lambda api: api.get(f"{v1}/me", headers=h),
        "GET /tasks (limit 100)": lambda api: api.get(f"{v1}/tasks?limit=100", headers=h),
        "POST /time-entries": log_time,
        "GET /reports/minutes (month, by week)": lambda api: api.get(
            f"{v1}/reports/minutes?start={start}&by=week", headers=h
        ),
    }
    result: dict[str, Any] = {"database": seeded, "user": name, "load_before": load()}
    with TestClient(floor_app(member.id)) as plain:
        result["floor: one indexed SELECT"] = timed(
            lambda: plain.get("/floor"), args.runs, warm=5, digits=2
        )
    with TestClient(create_app()) as api:
        for label, call in calls.items():
            answer = call(api)
            assert answer is None or answer.status_code < 300, answer.text
            result[label] = timed(lambda call=call: call(api), args.runs, warm=5, digits=2)
    floor = result["floor: one indexed SELECT"]["p50"]
    for label in ["floor: one indexed SELECT", *calls]:
        result[label]["x_floor_p50"] = round(result[label]["p50"] / floor, 1)
    result["load_after"] = load()
    # Take back what the benchmark logged, so the database stays the size it was seeded at.
    with db.get_engine().begin() as conn:
        conn.execute(text("DELETE FROM time_entries WHERE id = ANY(:ids)"), {"ids": logged})
    tokens.revoke_token(db.unit_of_work(), actor=member, token_id=secret.token.id)
    print(f"database: {seeded}; acting as {name}; load {result['load_before']}")
    print(f"{'call':42} {'p50 ms':>8} {'p95 ms':>8} {'x floor':>8}")
    for label in ["floor: one indexed SELECT", *calls]:
        r = result[label]
        print(f"{label:42} {r['p50']:8.2f} {r['p95']:8.2f} {r['x_floor_p50']:8.1f}")
    print(f"load after: {result['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
