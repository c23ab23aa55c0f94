"""Every Prometheus metric, defined once at import on a private registry.

Names follow the Prometheus guide: `sprintsync_<noun>_<unit>`, base units, `_total` on
counters (prometheus_client adds it), and no unbounded label values (never user names or ids).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from sprintsync import __version__

if TYPE_CHECKING:
    from sprintsync.services.stats import WorkspaceTotals

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)

page_views = Counter(
    "sprintsync_page_views", "Page script runs started, by page.", ["page"], registry=REGISTRY
)
page_run_seconds = Histogram(
    "sprintsync_page_run_seconds",
    "Time to run a page script once, by page.",
    ["page"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
actions = Counter(
    "sprintsync_actions",
    "User actions by action and outcome (ok, invalid, denied, conflict, not_found, error).",
    ["action", "outcome"],
    registry=REGISTRY,
)
LOGIN_OUTCOMES = ("success", "invalid", "locked", "deactivated", "refused", "error")
logins = Counter(
    "sprintsync_logins",
    "Sign-in attempts by outcome (" + ", ".join(LOGIN_OUTCOMES) + ").",
    ["outcome"],
    registry=REGISTRY,
)
for _outcome in LOGIN_OUTCOMES:  # every series exists from the start, at 0
    logins.labels(outcome=_outcome)
ERROR_KINDS = (
    "invalid",
    "denied",
    "conflict",
    "not_found",
    "unavailable",
    "rate_limited",
    "rejected",
    "unexpected",
)
ACTION_OUTCOMES = ("ok", *ERROR_KINDS[:-1], "error")
errors = Counter(
    "sprintsync_errors", "Errors shown to users, by kind.", ["kind"], registry=REGISTRY
)
for _kind in ERROR_KINDS:
    errors.labels(kind=_kind)
active_sessions = Gauge(
    "sprintsync_active_sessions", "Browser sessions currently connected.", registry=REGISTRY
)
ai_requests = Counter(
    "sprintsync_ai_requests",
    "AI suggestion requests by mode, source (gemini, fallback, cache, none) and outcome "
    "(ok, hit, rate_limited, or why the offline helper answered).",
    ["mode", "source", "outcome"],
    registry=REGISTRY,
)
ai_request_seconds = Histogram(
    "sprintsync_ai_request_seconds",
    "Time to produce an AI suggestion, by mode and source.",
    ["mode", "source"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20),
    registry=REGISTRY,
)
build_info = Gauge(
    "sprintsync_build_info", "The running version; always 1.", ["version"], registry=REGISTRY
)
build_info.labels(version=__version__).set(1)


# Computed when scraped, not kept up to date by hand.


class DatabasePoolCollector(Collector):
    """sprintsync_db_pool_connections{state}: the default engine's QueuePool, in use and idle."""

    def describe(self) -> list[Metric]:
        return [self._family()]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily(
            "sprintsync_db_pool_connections",
            "Connections in this process's database pool, by state (in_use, idle).",
            labels=["state"],
        )

    def collect(self) -> Iterator[Metric]:
        from sqlalchemy.pool import QueuePool

        from sprintsync import db  # late: metrics are imported by code that never needs the db

        family = self._family()
        engine = db.engine_if_started()
        pool = engine.pool if engine is not None else None
        if isinstance(pool, QueuePool):
            family.add_metric(["in_use"], pool.checkedout())
            family.add_metric(["idle"], pool.checkedin())
        yield family


class WorkspaceCollector(Collector):
    """Business gauges from one service call, cached for `ttl` seconds so that scrapes (and
    several Prometheus servers) cost the database at most one small query set per ttl. The
    ttl outlasts the 15 s scrape interval, so consecutive scrapes do not each query.

    A scrape waits at most `wait` seconds for a refresh; a slower one goes on in the
    background while the scrape serves the last values, so a struggling database never
    makes the whole target look down (Prometheus gives up on a scrape after 10 s)."""

    def __init__(
        self,
        ttl: float = 30.0,
        totals: Callable[[], WorkspaceTotals | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        wait: float = 1.5,
    ) -> None:
        self._ttl = ttl
        self._totals = totals or _workspace_totals
        self._clock = clock
        self._wait = wait
        self._lock = threading.Lock()
        # (when the refresh that produced it started, its result; None after a failure)
        self._cached: tuple[float, WorkspaceTotals | None] | None = None
        self._refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sprintsync-gauges")
        self._inflight: Future[WorkspaceTotals | None] | None = None

    def describe(self) -> list[Metric]:
        return list(self._families(None))

    def clear(self) -> None:
        with self._lock:
            self._cached = None

    def _refresh(self, started: float) -> WorkspaceTotals | None:
        try:
            value = self._totals()
        except Exception as error:  # a scrape must answer even when the db does not
            log.warning("workspace gauges skipped: %s", type(error).__name__)
            value = None
        with self._lock:
            # Failures are cached too: a database outage must not slow every scrape.
            self._cached = (started, value)
        return value

    def _current(self) -> WorkspaceTotals | None:
        with self._lock:
            now = self._clock()
            last = self._cached[1] if self._cached is not None else None
            if self._cached is not None and now - self._cached[0] < self._ttl:
                return last
            # At most one refresh in flight: scrapes during a slow one share it.
            if self._inflight is None or self._inflight.done():
                self._inflight = self._refresher.submit(self._refresh, now)
            refresh = self._inflight
        try:
            return refresh.result(timeout=self._wait)
        except FutureTimeout:
            log.warning(
                "workspace gauges: no answer within %gs, serving the last values", self._wait
            )
            return last

    def collect(self) -> Iterator[Metric]:
        yield from self._families(self._current())

    @staticmethod
    def _families(totals: WorkspaceTotals | None) -> Iterator[Metric]:
        tasks = GaugeMetricFamily(
            "sprintsync_tasks", "Tasks by status, all users.", labels=["status"]
        )
        users = GaugeMetricFamily(
            "sprintsync_users",
            "User accounts by role and whether active.",
            labels=["role", "active"],
        )
        logged = GaugeMetricFamily(
            "sprintsync_time_logged_seconds",
            "Time logged, all users, all time, in seconds (a gauge: deleting entries lowers it).",
        )
        # The name before 0.2: a gauge with a counter's suffix, in minutes. Kept for one
        # release so dashboards can move; see docs/OPERATIONS.md.
        deprecated = GaugeMetricFamily(
            "sprintsync_minutes_logged_total",
            "DEPRECATED, removed in the next release: use sprintsync_time_logged_seconds.",
        )
        if totals is not None:
            for status, n in totals.tasks_by_status:
                tasks.add_metric([status.value], n)
            for role, active, n in totals.users_by_role:
                users.add_metric([role.value, str(active).lower()], n)
            logged.add_metric([], totals.minutes_logged * 60)
            deprecated.add_metric([], totals.minutes_logged)
        yield from (tasks, users, logged, deprecated)


def _workspace_totals() -> WorkspaceTotals | None:
    from sprintsync import db
    from sprintsync.services.stats import workspace_totals
    from sprintsync.services.views import CONSOLE

    if db.engine_if_started() is None:  # nothing has connected yet: don't start a database
        return None
    return workspace_totals(db.side_unit_of_work(), actor=CONSOLE)


# The values each bounded label can take, where a dashboard or alert may select on them
# (tests/ops check every selector in deploy/ against this).
LABEL_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "sprintsync_logins_total": {"outcome": LOGIN_OUTCOMES},
    "sprintsync_errors_total": {"kind": ERROR_KINDS},
    "sprintsync_actions_total": {"outcome": ACTION_OUTCOMES},
    "sprintsync_tasks": {"status": ("todo", "in_progress", "done")},
    "sprintsync_users": {"role": ("member", "manager", "admin"), "active": ("true", "false")},
    "sprintsync_db_pool_connections": {"state": ("in_use", "idle")},
    "sprintsync_ai_requests_total": {
        "mode": ("draft", "plan"),
        "source": ("gemini", "fallback", "cache", "none"),
    },
}

db_pool = DatabasePoolCollector()
workspace = WorkspaceCollector()
REGISTRY.register(db_pool)
REGISTRY.register(workspace)

# The HTTP API (`sprintsync api`): labelled by route template (/api/v1/tasks/{task_id}), never
# by path, so ids and search text cannot grow the series.
api_requests = Counter(
    "sprintsync_api_requests",
    "HTTP API requests by route template, method and status code.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
api_request_seconds = Histogram(
    "sprintsync_api_request_seconds",
    "Time to answer an HTTP API request, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
