"""The benchmark database of benchmarks/analytics.py (and browser.py --large): 500 users,
100,000 tasks and 1,000,000 entries over a year, built once with `sprintsync demo seed` as a
user would and reused after (SPRINTSYNC_DATA_DIR, or SPRINTSYNC_DATABASE_URL when set)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchkit import load

ROOT = Path(__file__).resolve().parents[1]
SIZE = {"users": 500, "tasks": 100_000, "entries": 1_000_000, "weeks": 52}


def counts() -> dict[str, int]:
    from sqlalchemy import text

    from sprintsync import db

    with db.get_engine().connect() as conn:
        return {
            name: int(conn.scalar(text(f"SELECT count(*) FROM {table}")))  # noqa: S608
            for name, table in [
                ("users", "users"),
                ("tasks", "tasks"),
                ("entries", "time_entries"),
                ("task_events", "task_events"),
                ("user_day_totals", "user_day_totals"),
                ("task_flow", "task_flow"),
            ]
        }


def seed() -> dict[str, Any]:
    """Run `sprintsync demo seed` at full size as a user would, and time it."""
    command = [sys.executable, "-m", "sprintsync.cli", "demo", "seed"]
    for name, value in SIZE.items():
        command += [f"--{name}", str(value)]
    before = load()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    inside = re.search(r"in ([\d.]+)s", done.stdout)
    return {
        "command": "sprintsync demo seed " + " ".join(command[5:]),
        "wall_s": round(wall, 1),
        "seed_s": float(inside.group(1)) if inside else None,
        "load_before": before,
        "load_after": load(),
    }


def ready_database(rebuild: bool) -> dict[str, Any] | None:
    from sprintsync import startup

    data_dir = Path(os.environ.get("SPRINTSYNC_DATA_DIR", ""))
    if rebuild:
        if os.environ.get("SPRINTSYNC_DATABASE_URL"):
            raise SystemExit("--rebuild only wipes the embedded database; empty yours by hand.")
        shutil.rmtree(data_dir, ignore_errors=True)
    startup.prepare_database()
    have = counts()
    if have["entries"] == SIZE["entries"] and have["users"] == SIZE["users"]:
        return None
    if have["users"]:
        raise SystemExit(f"The database holds other data ({have}); run with --rebuild.")
    return seed()
