"""Analytics at a million time entries: every analytics function, the Analytics page and a
naive pandas baseline, timed on a database of 500 users, 100,000 tasks and 1,000,000 entries
over a year (built with `sprintsync demo seed` on first use, reused after).

    .venv/bin/python benchmarks/analytics.py [--runs 20] [--json PATH] [--rebuild]

The database is the embedded PostgreSQL in SPRINTSYNC_DATA_DIR (default .sprintsync/bench),
or SPRINTSYNC_DATABASE_URL when set. --users/--tasks/--entries/--weeks change the size (give
each size its own SPRINTSYNC_DATA_DIR). Timings are wall-clock milliseconds, p50 (median) and
p95 (nearest rank) over --runs runs after one warm-up run. The page runs in a process of its
own (--page-worker), so its RSS is the page's and not this script's. Other processes share
the machine: the load average is recorded with every figure; compare medians and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SIZE = {"users": 500, "tasks": 100_000, "entries": 1_000_000, "weeks": 52}
TARGETS_MS = {"5 weeks": 100, "1 year": 400}
PAGE_TARGET_MS, RSS_TARGET_MB = 1000, 400
if not os.environ.get("SPRINTSYNC_DATABASE_URL"):
    os.environ.setdefault("SPRINTSYNC_DATA_DIR", str(ROOT / ".sprintsync" / "bench"))
os.environ.setdefault("SPRINTSYNC_LOG_LEVEL", "WARNING")


def load() -> dict[str, Any]:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1), "runs": len(ordered)}


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    fn()  # warm-up: plans, caches and connections
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def rss_mb() -> dict[str, float]:
    """This process's resident memory now and at its peak. VmHWM, not ru_maxrss: a child
    forked from a big parent inherits the parent's ru_maxrss across exec, VmHWM starts anew."""
    with open("/proc/self/status") as status:
        kb = {
            k: int(v.split()[0])
            for k, v in (line.split(":", 1) for line in status)
            if k in ("VmRSS", "VmHWM")
        }
    return {"rss_mb": round(kb["VmRSS"] / 1024, 1), "peak_rss_mb": round(kb["VmHWM"] / 1024, 1)}


# ---------------------------------------------------------------- the database


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


def actors():
    from sqlalchemy import text

    from sprintsync import db
    from sprintsync.services import users

    with db.get_engine().connect() as conn:
        manager = conn.scalar(text("SELECT username FROM users WHERE role = 'manager' LIMIT 1"))
        member = conn.scalar(
            text(
                "SELECT u.username FROM users u JOIN user_day_totals t ON t.user_id = u.id "
                "WHERE u.role = 'member' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
            )
        )
    return (
        users.actor_for(db.unit_of_work(), username=manager),
        users.actor_for(db.unit_of_work(), username=member),
    )


# ---------------------------------------------------------------- the queries


def ranges() -> dict[str, tuple[dt.date, dt.date]]:
    from sprintsync.services.common import today

    end = today()
    return {
        "5 weeks": (end - dt.timedelta(days=34), end),
        "1 year": (end - dt.timedelta(days=364), end),
    }


def query_calls(manager, member) -> dict[str, Callable[[dt.date, dt.date], Any]]:
    from sprintsync.db import unit_of_work
    from sprintsync.services import analytics as a

    m = {"actor": manager}
    return {
        "minutes_by(user)": lambda s, e: a.minutes_by(unit_of_work(), **m, start=s, end=e),
        "minutes_by(week)": lambda s, e: a.minutes_by(
            unit_of_work(), **m, start=s, end=e, by="week"
        ),
        "headline": lambda s, e: a.headline(unit_of_work(), **m, start=s, end=e),
        "time_per_user(week, top 10)": lambda s, e: a.time_per_user(
            unit_of_work(), **m, start=s, end=e, by="week", top=10
        ),
        "time_per_user(day, top 10)": lambda s, e: a.time_per_user(
            unit_of_work(), **m, start=s, end=e, by="day", top=10
        ),
        "time_per_user(week, everyone)": lambda s, e: a.time_per_user(
            unit_of_work(), **m, start=s, end=e, by="week"
        ),
        "team_per_day": lambda s, e: a.team_per_day(unit_of_work(), **m, start=s, end=e),
        "top_users(this week)": lambda s, e: a.top_users(unit_of_work(), **m, week_of=e),
        "time_in_status": lambda s, e: a.time_in_status(unit_of_work(), **m, start=s, end=e),
        "tasks_by_status(top 10)": lambda s, e: a.tasks_by_status(
            unit_of_work(), **m, start=s, end=e, top=10
        ),
        "dashboard(week) = all of the page's": lambda s, e: a.dashboard(
            unit_of_work(), **m, start=s, end=e, by="week"
        ),
        "dashboard(day)": lambda s, e: a.dashboard(unit_of_work(), **m, start=s, end=e, by="day"),
        "week_by_day(member)": lambda s, e: a.week_by_day(unit_of_work(), actor=member),
        "week_by_task(member)": lambda s, e: a.week_by_task(unit_of_work(), actor=member),
        "my_week(member)": lambda s, e: a.my_week(unit_of_work(), actor=member),
    }


def naive_per_user_week(start: dt.date, end: dt.date):
    """The baseline: the range's entries into pandas, grouped there."""
    import pandas as pd
    from sqlalchemy import select

    from sprintsync import db
    from sprintsync.models import TimeEntry, User

    query = (
        select(User.username, TimeEntry.spent_on, TimeEntry.minutes)
        .join(User, User.id == TimeEntry.user_id)
        .where(TimeEntry.spent_on.between(start, end))
    )
    with db.get_engine().connect() as conn:
        entries = pd.DataFrame(conn.execute(query).all(), columns=["user", "spent_on", "minutes"])
    days = pd.to_datetime(entries["spent_on"])
    entries["period"] = (days - pd.to_timedelta(days.dt.day_of_week, unit="D")).dt.date
    return entries.groupby(["period", "user"], as_index=False)["minutes"].sum()


def time_queries(runs: int, naive_runs: int) -> dict[str, Any]:
    from sprintsync.db import unit_of_work
    from sprintsync.services import analytics

    manager, member = actors()
    calls = query_calls(manager, member)
    results: dict[str, Any] = {}
    for label, (start, end) in ranges().items():
        rows = {}
        for name, call in calls.items():
            rows[name] = timed(lambda c=call, s=start, e=end: c(s, e), runs) | load()
        sql = rows["time_per_user(week, everyone)"]
        naive = timed(lambda s=start, e=end: naive_per_user_week(s, e), naive_runs) | load()
        same = naive_per_user_week(start, end)
        ours = analytics.time_per_user(unit_of_work(), actor=manager, start=start, end=end)
        naive["same_total_minutes"] = int(same["minutes"].sum()) == int(ours["minutes"].sum())
        naive["ratio_p50"] = round(naive["p50"] / max(sql["p50"], 0.01), 1)
        results[label] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "queries": rows,
            "naive_per_user_week": naive,
        }
    return results


# ---------------------------------------------------------------- the page


def page_worker(runs: int) -> None:
    """In a process of its own: run the Analytics page through AppTest, print JSON."""
    from streamlit.testing.v1 import AppTest

    from sprintsync import startup

    startup.prepare_database()
    manager, _ = actors()
    year = ranges()["1 year"]
    out: dict[str, Any] = {"before": rss_mb()}
    for label, change in [("default (5 weeks, by week)", None), ("1 year, by day", year)]:
        at = AppTest.from_file(str(ROOT / "app_pages" / "analytics.py"), default_timeout=60)
        at.session_state["actor"] = manager
        started = time.perf_counter()
        at.run()
        if change:
            at.date_input(key="dates").set_value(change)
            at.radio(key="by").set_value("day")
            at.run()
        first = (time.perf_counter() - started) * 1000
        if at.exception or at.error:
            raise SystemExit(f"the page failed: {at.exception or at.error}")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            samples.append((time.perf_counter() - started) * 1000)
        charts = len(at.get("plotly_chart"))
        out[label] = percentiles(samples) | {"first_ms": round(first, 1), "charts": charts} | load()
    out["after"] = rss_mb()
    print(json.dumps(out))


def time_page(runs: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--page-worker", "--runs", str(runs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the report


def report(result: dict[str, Any]) -> str:
    lines = [
        f"Machine: {result['cpus']} CPUs; load at start {result['load_start']}, "
        f"at end {result['load_end']}",
        f"Data: {result['data']}",
    ]
    if result["seed"]:
        s = result["seed"]
        lines.append(
            f"Seed: {s['command']}: {s['wall_s']} s wall ({s['seed_s']} s inside), "
            f"load {s['load_before']['load_1m']} -> {s['load_after']['load_1m']} (target < 120 s)"
        )
    for label, block in result["queries"].items():
        target = TARGETS_MS[label]
        lines += ["", f"{label} ({block['start']} to {block['end']}), target p95 <= {target} ms"]
        lines.append(f"  {'function':38} {'p50 ms':>8} {'p95 ms':>8}  load  ok")
        for name, t in block["queries"].items():
            ok = "yes" if t["p95"] <= target or "dashboard" in name else "NO"
            ok = "-" if "dashboard" in name else ok
            lines.append(f"  {name:38} {t['p50']:8.1f} {t['p95']:8.1f}  {t['load_1m']:4.1f}  {ok}")
        n = block["naive_per_user_week"]
        lines.append(
            f"  {'naive pandas per user per week':38} {n['p50']:8.1f} {n['p95']:8.1f}  "
            f"{n['load_1m']:4.1f}  {n['ratio_p50']}x the SQL p50 ({n['runs']} runs, "
            f"same totals: {n['same_total_minutes']})"
        )
    page = result["page"]
    lines += ["", f"Analytics page via AppTest (own process), target p95 <= {PAGE_TARGET_MS} ms"]
    for label, t in page.items():
        if isinstance(t, dict) and "p50" in t:
            lines.append(
                f"  {label:38} {t['p50']:8.1f} {t['p95']:8.1f}  {t['load_1m']:4.1f}  "
                f"first run {t['first_ms']} ms, {t['charts']} charts"
            )
    lines.append(
        f"  page process RSS: {page['after']['rss_mb']} MB now, peak {page['after']['peak_rss_mb']}"
        f" MB (target < {RSS_TARGET_MB} MB; {page['before']['rss_mb']} MB before the first run)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per figure")
    parser.add_argument("--naive-runs", type=int, default=5, help="runs of the pandas baseline")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    parser.add_argument("--rebuild", action="store_true", help="wipe and re-seed the database")
    for name, value in SIZE.items():
        parser.add_argument(f"--{name}", type=int, default=value, help=f"size (default {value})")
    parser.add_argument("--page-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    SIZE.update({name: getattr(args, name) for name in SIZE})
    if args.page_worker:
        page_worker(args.runs)
        return
    result: dict[str, Any] = {"cpus": os.cpu_count(), "size": SIZE, "load_start": load()}
    result["uptime_start"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    result["seed"] = ready_database(args.rebuild)
    result["data"] = counts()
    result["queries"] = time_queries(args.runs, args.naive_runs)
    result["page"] = time_page(args.runs)
    result["load_end"] = load()
    result["uptime_end"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
