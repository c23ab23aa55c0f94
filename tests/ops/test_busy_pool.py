"""When users hold every pooled connection, /metrics and /healthz still answer: they reach the
database through a side engine of their own, and a slow gauge refresh serves the last values."""

from __future__ import annotations

import functools
import json
import threading
import time

import pytest
from sqlalchemy import text

from sprintsync import db, metrics
from sprintsync.observability import sidecar
from sprintsync.services.stats import WorkspaceTotals
from tests.ops.opskit import http_get, sample


@pytest.fixture
def exhausted_default_pool(db_url, env, monkeypatch):
    """The process's default engine with a pool of one connection, held by 'a user'."""
    env(SPRINTSYNC_DB_POOL_SIZE=1, SPRINTSYNC_DB_MAX_OVERFLOW=0)
    tiny = db.make_engine(db_url)  # the real pool_timeout: a waiter would block 10 s
    monkeypatch.setattr(db, "_default_engine", functools.lru_cache(maxsize=1)(lambda: tiny))
    assert db.get_engine() is tiny
    held = tiny.connect()
    try:
        assert tiny.pool.checkedout() == 1
        yield tiny
    finally:
        held.close()
        tiny.dispose()


def test_metrics_and_healthz_answer_while_users_hold_every_pooled_connection(
    exhausted_default_pool,
):
    metrics.workspace.clear()  # the scrape must query now, with the pool exhausted
    server = sidecar.start("127.0.0.1", 0, db.ping)  # what start_once passes, in effect
    assert server is not None
    try:
        started = time.perf_counter()
        status, body = http_get(f"{server.url}/metrics", timeout=15)
        scrape_seconds = time.perf_counter() - started
        health, health_body = http_get(f"{server.url}/healthz", timeout=15)
    finally:
        server.stop()

    assert status == 200
    assert scrape_seconds < 5  # generous: the fix answers in milliseconds, the bug took 10 s
    assert sample(body, "sprintsync_db_pool_connections", state="in_use") == 1
    assert sample(body, "sprintsync_db_pool_connections", state="idle") == 0
    # The gauges were refreshed through the side engine, not skipped.
    assert sample(body, "sprintsync_users", role="admin", active="true") is not None
    assert (health, json.loads(health_body)["database"]) == (200, "ok")


def totals(minutes: int) -> WorkspaceTotals:
    return WorkspaceTotals(tasks_by_status=(), users_by_role=(), minutes_logged=minutes)


def minutes_of(collector: metrics.WorkspaceCollector) -> float | None:
    (family,) = [f for f in collector.collect() if f.name == "sprintsync_time_logged_seconds"]
    return family.samples[0].value / 60 if family.samples else None


def test_a_refresh_slower_than_the_wait_serves_the_last_values_until_it_lands(json_logs):
    release = threading.Event()
    answers = iter([totals(10), totals(25)])

    def slow_second_time() -> WorkspaceTotals:
        value = next(answers)
        if value.minutes_logged == 25:
            release.wait(10)
        return value

    now = [0.0]
    collector = metrics.WorkspaceCollector(
        ttl=30, totals=slow_second_time, clock=lambda: now[0], wait=0.3
    )
    try:
        assert minutes_of(collector) == 10
        now[0] = 31.0  # the cache time passed; the next refresh hangs
        assert minutes_of(collector) == 10
        assert minutes_of(collector) == 10  # shares the refresh in flight, no second query
    finally:
        release.set()
    deadline = time.monotonic() + 5
    while minutes_of(collector) != 25 and time.monotonic() < deadline:
        time.sleep(0.05)

    assert minutes_of(collector) == 25
    assert len(json_logs.lines(level="WARNING")) == 2


def test_the_gauge_cache_outlasts_the_scrape_interval():
    calls = []
    now = [0.0]
    collector = metrics.WorkspaceCollector(
        totals=lambda: calls.append(now[0]) or totals(1), clock=lambda: now[0]
    )
    for scrape in range(3):  # Prometheus scrapes every 15 s
        now[0] = scrape * 15.0
        list(collector.collect())

    assert calls == [0.0, 30.0]


def test_the_side_engine_is_small_bounded_and_follows_the_default_engine(db_url):
    side = db.side_engine()

    assert side is db.side_engine()  # made once
    assert side.url == db.get_engine().url
    assert (side.pool.size(), side.pool.timeout()) == (2, db.SIDE_POOL_TIMEOUT)
    with side.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == "1500ms"
