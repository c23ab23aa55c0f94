"""Analytics at a million time entries: every analytics function (time by person, project,
sprint and tag; task flow; sprints), the Analytics and Projects pages, and fair baselines (a
plain SQL GROUP BY over the raw entries, and pandas; see baselines.py), timed on a database
of 500 users, 100,000 tasks and 1,000,000 entries over a year in 20 projects of 6 sprints
(built with `sprintsync demo seed` on first use, reused after).

    .venv/bin/python benchmarks/analytics.py [--runs 20] [--json PATH] [--rebuild]

The database is the embedded PostgreSQL in SPRINTSYNC_DATA_DIR (default .sprintsync/bench),
or SPRINTSYNC_DATABASE_URL when set. --users/--tasks/--entries/--weeks change the size (give
each size its own SPRINTSYNC_DATA_DIR). Timings are wall-clock milliseconds, p50 (median) and
p95 (nearest rank) over --runs runs after one warm-up run, baselines included. The pages run
in a process of their own (--page-worker), so its RSS is the pages' and not this script's.
Other processes share the machine: the load average is recorded with every figure; compare
medians and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_database import SIZE, counts, ready_database
from benchkit import load, page_run_times, timed

ROOT = Path(__file__).resolve().parents[1]
TARGETS_MS = {"5 weeks": 100, "1 year": 400, "no range": 100}
PAGE_TARGET_MS, RSS_TARGET_MB = 1000, 400
if not os.environ.get("SPRINTSYNC_DATABASE_URL"):
    os.environ.setdefault("SPRINTSYNC_DATA_DIR", str(ROOT / ".sprintsync" / "bench"))
os.environ.setdefault("SPRINTSYNC_LOG_LEVEL", "WARNING")


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
    from sprintsync.clock import today

    end = today()
    return {
        "5 weeks": (end - dt.timedelta(days=34), end),
        "1 year": (end - dt.timedelta(days=364), end),
    }


@functools.cache
def tag_id() -> int:
    """The most used tag: the tag filter's worst case."""
    from sprintsync.db import unit_of_work
    from sprintsync.services import tags
    from sprintsync.services.views import CONSOLE

    return max(tags.list_tags(unit_of_work(), actor=CONSOLE), key=lambda t: t.tasks).id


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
        "dashboard(week) = the page's first section": lambda s, e: a.dashboard(
            unit_of_work(), **m, start=s, end=e, by="week"
        ),
        "dashboard(day)": lambda s, e: a.dashboard(unit_of_work(), **m, start=s, end=e, by="day"),
        "minutes_by(project)": lambda s, e: a.minutes_by(
            unit_of_work(), **m, start=s, end=e, by="project"
        ),
        "minutes_by(sprint)": lambda s, e: a.minutes_by(
            unit_of_work(), **m, start=s, end=e, by="sprint"
        ),
        "minutes_by(tag)": lambda s, e: a.minutes_by(unit_of_work(), **m, start=s, end=e, by="tag"),
        "time_per_project(week)": lambda s, e: a.time_per_project(
            unit_of_work(), **m, start=s, end=e
        ),
        "time_per_project(week, one tag)": lambda s, e: a.time_per_project(
            unit_of_work(), **m, start=s, end=e, tag_id=tag_id()
        ),
        "time_per_person_per_project(top 10)": lambda s, e: a.time_per_person_per_project(
            unit_of_work(), **m, start=s, end=e, top=10
        ),
        "time_per_person_per_project(everyone)": lambda s, e: a.time_per_person_per_project(
            unit_of_work(), **m, start=s, end=e
        ),
        "estimate_vs_actual(project)": lambda s, e: a.estimate_vs_actual(
            unit_of_work(), **m, start=s, end=e
        ),
        "estimate_vs_actual(sprint)": lambda s, e: a.estimate_vs_actual(
            unit_of_work(), **m, start=s, end=e, by="sprint"
        ),
        "week_by_day(member)": lambda s, e: a.week_by_day(unit_of_work(), actor=member),
        "week_by_task(member)": lambda s, e: a.week_by_task(unit_of_work(), actor=member),
        "my_week(member)": lambda s, e: a.my_week(unit_of_work(), actor=member),
    }


def planning_calls(manager) -> dict[str, Callable[[], Any]]:
    """The figures that take no date range: the Projects page's, for the busiest project."""
    from sprintsync.db import unit_of_work
    from sprintsync.services import analytics as a
    from sprintsync.services import projects, sprints

    busiest = max(
        projects.list_projects(unit_of_work(), actor=manager), key=lambda p: p.used_minutes
    )
    plan = sprints.list_sprints(unit_of_work(), actor=manager, project_id=busiest.id)
    active = next(s for s in plan if s.state == "active")
    closed = [s for s in plan if s.state == "closed"][-1]
    m, pid = {"actor": manager}, busiest.id
    return {
        "list_projects (budget used)": lambda: projects.list_projects(unit_of_work(), **m),
        "project_sprints (planned vs done)": lambda: a.project_sprints(
            unit_of_work(), **m, project_id=pid
        ),
        "sprint_report(active, burndown)": lambda: a.sprint_report(
            unit_of_work(), **m, sprint_id=active.id
        ),
        "sprint_report(closed, burndown)": lambda: a.sprint_report(
            unit_of_work(), **m, sprint_id=closed.id
        ),
        "velocity(last 6)": lambda: a.velocity(unit_of_work(), **m, project_id=pid),
    }


def compare(runs: int, start: dt.date, end: dt.date, manager) -> dict[str, Any]:
    """Each figure with baselines: ours, the raw SQL GROUP BY and pandas, equal runs each,
    whole frames compared."""
    import baselines

    out: dict[str, Any] = {}
    for name, base in baselines.baselines(manager).items():
        ours = base.ours(start, end)
        row: dict[str, Any] = {"ours": timed(lambda b=base: b.ours(start, end), runs) | load()}
        for kind in ("sql", "pandas"):
            fn = getattr(base, kind)
            if fn is None:
                continue
            row[kind] = timed(lambda f=fn: f(start, end), runs) | load()
            row[kind]["same_frame"] = baselines.same_frame(ours, fn(start, end), base.keys)
            row[kind]["ratio_p50"] = round(row[kind]["p50"] / max(row["ours"]["p50"], 0.01), 1)
        out[name] = row
    return out


def time_queries(runs: int) -> dict[str, Any]:
    manager, member = actors()
    calls = query_calls(manager, member)
    results: dict[str, Any] = {}
    for label, (start, end) in ranges().items():
        rows = {}
        for name, call in calls.items():
            rows[name] = timed(lambda c=call, s=start, e=end: c(s, e), runs) | load()
        results[label] = {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "queries": rows,
            "baselines": compare(runs, start, end, manager),
        }
    results["no range"] = {
        "queries": {
            name: timed(call, runs) | load() for name, call in planning_calls(manager).items()
        }
    }
    return results


# ---------------------------------------------------------------- the page


def page_worker(runs: int) -> None:
    """In a process of its own: run the Analytics and Projects pages through AppTest, print
    JSON (the Projects page as a manager sees it by default: the busiest project, its forms,
    budgets, the sprints' chart, the active sprint's figures and burndown)."""
    from sprintsync import startup

    startup.prepare_database()
    manager, _ = actors()
    year = ranges()["1 year"]

    def a_year_by_day(at) -> None:
        at.date_input(key="dates").set_value(year)
        at.radio(key="by").set_value("day")

    analytics_page, projects_page = (
        ROOT / "app_pages" / "analytics.py",
        ROOT / "app_pages" / "projects.py",
    )
    out: dict[str, Any] = {"before": rss_mb()}
    out["default (5 weeks, by week)"] = page_run_times(analytics_page, manager, runs)
    out["1 year, by day"] = page_run_times(analytics_page, manager, runs, a_year_by_day)
    out["Projects page (busiest project, its active sprint)"] = page_run_times(
        projects_page, manager, runs
    )
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
        target = TARGETS_MS.get(label, TARGETS_MS["5 weeks"])
        span = f" ({block['start']} to {block['end']})" if "start" in block else ""
        lines += ["", f"{label}{span}, target p95 <= {target} ms"]
        lines.append(f"  {'function':42} {'p50 ms':>8} {'p95 ms':>8}  load  ok")
        for name, t in block["queries"].items():
            ok = "-" if "dashboard" in name else "yes" if t["p95"] <= target else "NO"
            lines.append(f"  {name:42} {t['p50']:8.1f} {t['p95']:8.1f}  {t['load_1m']:4.1f}  {ok}")
        if "baselines" in block:
            lines += ["", f"  baselines over the raw entries, {label}, as many runs as ours"]
            lines.append(
                f"  {'figure':38} {'ours p50':>9} {'SQL p50':>9} {'x':>6} {'pandas p50':>11} "
                f"{'x':>6}  same frames"
            )
            for name, row in block["baselines"].items():
                sql, pandas = row["sql"], row.get("pandas")
                same = (
                    "yes"
                    if sql["same_frame"] and (pandas is None or pandas["same_frame"])
                    else "NO"
                )
                lines.append(
                    f"  {name:38} {row['ours']['p50']:9.1f} {sql['p50']:9.1f} "
                    f"{sql['ratio_p50']:6.1f} "
                    + (
                        f"{pandas['p50']:11.1f} {pandas['ratio_p50']:6.1f}"
                        if pandas
                        else f"{'-':>11} {'-':>6}"
                    )
                    + f"  {same}"
                )
    page = result["page"]
    lines += ["", f"Pages via AppTest (own process), target p95 <= {PAGE_TARGET_MS} ms"]
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
    result["queries"] = time_queries(args.runs)
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
