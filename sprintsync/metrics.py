"""Every Prometheus metric, defined once at import on a private registry.

Names follow the Prometheus guide: `sprintsync_<noun>_<unit>`, base units, `_total` on
counters (prometheus_client adds it), and no unbounded label values (never user names or ids).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from sprintsync import __version__

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
logins = Counter(
    "sprintsync_logins", "Sign-in attempts by outcome.", ["outcome"], registry=REGISTRY
)
errors = Counter(
    "sprintsync_errors", "Errors shown to users, by kind.", ["kind"], registry=REGISTRY
)
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
