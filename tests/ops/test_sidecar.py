"""The metrics sidecar: once per process, port-taken tolerance, /metrics and /healthz."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from sprintsync import db, metrics, observability
from sprintsync.observability import sidecar
from sprintsync.services import tasks, timelog
from tests.ops.opskit import free_port, http_get, sample


@pytest.fixture
def fresh_start(settings_env):
    """start_once() as a new process would see it, on a free port; stopped afterwards."""
    observability.stop()
    settings = settings_env(SPRINTSYNC_METRICS_PORT=str(free_port()))
    yield settings
    observability.stop()


def test_starting_twice_serves_one_sidecar_on_the_configured_port(fresh_start, json_logs):
    first = observability.start_once()
    second = observability.start_once()

    assert first is not None
    assert second is first
    assert first.port == fresh_start.metrics_port
    status, body = http_get(f"{first.url}/metrics")
    assert status == 200
    assert "sprintsync_build_info" in body
    assert len(json_logs.lines(event="sidecar_started")) == 1


def test_starting_from_many_threads_at_once_still_starts_one(fresh_start, json_logs):
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(observability.start_once()))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len({id(r) for r in results}) == 1
    assert len(json_logs.lines(event="sidecar_started")) == 1


def test_a_taken_port_logs_one_warning_and_the_app_goes_on(settings_env, json_logs):
    observability.stop()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        settings_env(SPRINTSYNC_METRICS_PORT=str(port))
        try:
            assert observability.start_once() is None
            assert observability.start_once() is None  # a rerun: no second warning
        finally:
            observability.stop()

    warnings = json_logs.lines(event="sidecar_unavailable")
    assert len(warnings) == 1
    assert warnings[0]["level"] == "WARNING"
    assert str(port) in warnings[0]["message"]


def test_healthz_answers_200_with_json_when_the_database_answers(running_sidecar):
    status, body = http_get(f"{running_sidecar.url}/healthz")

    assert status == 200
    assert json.loads(body) | {"seconds": 0} == {
        "status": "ok",
        "database": "ok",
        "seconds": 0,
        "version": metrics.__version__,
    }


def test_healthz_answers_503_when_the_database_is_gone():
    dead = db.make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none")
    server = sidecar.start("127.0.0.1", 0, lambda: db.ping(dead))
    assert server is not None
    try:
        status, body = http_get(f"{server.url}/healthz")
    finally:
        server.stop()
        dead.dispose()

    assert status == 503
    assert json.loads(body)["status"] == "unavailable"


def test_healthz_gives_up_after_one_second_when_the_database_hangs():
    # A server that accepts connections and never answers: the libpq handshake hangs.
    with socket.socket() as black_hole:
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen()
        port = black_hole.getsockname()[1]
        hanging = db.make_engine(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none")
        server = sidecar.start("127.0.0.1", 0, lambda: db.ping(hanging))
        assert server is not None
        try:
            started = time.perf_counter()
            status, body = http_get(f"{server.url}/healthz", timeout=10)
            took = time.perf_counter() - started
            # Checks during the hang share the one ping in flight instead of piling up.
            again, _ = http_get(f"{server.url}/healthz", timeout=10)
        finally:
            server.stop()

    assert (status, again) == (503, 503)
    assert "within 1s" in json.loads(body)["database"]
    assert 0.9 < took < 5


def test_unknown_paths_are_404(running_sidecar):
    assert http_get(f"{running_sidecar.url}/admin")[0] == 404


def test_pool_gauge_counts_connections_checked_out_of_the_default_engine(running_sidecar):
    engine = db.get_engine()  # the test database (SPRINTSYNC_DATABASE_URL from conftest)
    with engine.connect():
        _, during = http_get(f"{running_sidecar.url}/metrics")
    _, after = http_get(f"{running_sidecar.url}/metrics")

    in_use = sample(during, "sprintsync_db_pool_connections", state="in_use")
    assert in_use is not None
    assert in_use >= 1
    assert sample(after, "sprintsync_db_pool_connections", state="in_use") == in_use - 1


def test_business_gauges_follow_the_data_within_the_cache_time(running_sidecar, uow, member):
    db.get_engine()
    metrics.workspace.clear()
    _, before = http_get(f"{running_sidecar.url}/metrics")
    task = tasks.create_task(uow(), actor=member, title="Scrape me")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h30m")
    _, cached = http_get(f"{running_sidecar.url}/metrics")
    metrics.workspace.clear()  # the cache time passing
    _, fresh = http_get(f"{running_sidecar.url}/metrics")

    todo = sample(before, "sprintsync_tasks", status="todo")
    seconds = sample(before, "sprintsync_time_logged_seconds")
    minutes = sample(before, "sprintsync_minutes_logged_total")  # deprecated, one release
    assert sample(cached, "sprintsync_tasks", status="todo") == todo
    assert sample(fresh, "sprintsync_tasks", status="todo") == todo + 1
    assert sample(fresh, "sprintsync_time_logged_seconds") == seconds + 90 * 60
    assert sample(fresh, "sprintsync_minutes_logged_total") == minutes + 90
    assert sample(fresh, "sprintsync_users", role="member", active="true") >= 1
    assert sample(fresh, "sprintsync_users", role="admin", active="false") is not None


def test_business_gauges_are_skipped_not_fatal_when_the_database_fails(json_logs):
    def broken():
        raise OSError("database gone")

    clock = iter([0.0, 1.0, 100.0])
    collector = metrics.WorkspaceCollector(ttl=15, totals=broken, clock=lambda: next(clock))

    assert [f.samples for f in collector.collect()] == [[], [], [], []]
    list(collector.collect())  # within the ttl: the failure is cached, no second query
    list(collector.collect())
    assert len(json_logs.lines(level="WARNING")) == 2


def _open_fds() -> int:
    import os

    return len(os.listdir("/proc/self/fd"))


def test_idle_connections_are_closed_and_give_back_their_thread_and_descriptor(
    running_sidecar, monkeypatch
):
    # raising=False: where there is no such setting, the test must fail on its own merits.
    monkeypatch.setattr(sidecar, "IDLE_TIMEOUT_SECONDS", 0.5, raising=False)
    threads, fds = threading.active_count(), _open_fds()
    idle = [socket.create_connection(("127.0.0.1", running_sidecar.port)) for _ in range(20)]
    time.sleep(0.2)
    assert threading.active_count() > threads  # they are being served, by threads
    deadline = time.monotonic() + 10
    for conn in idle:  # the server hangs up on each one that never sent a request
        conn.settimeout(max(0.1, deadline - time.monotonic()))
        assert conn.recv(1) == b""
        conn.close()
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == threads
    assert _open_fds() <= fds
    assert http_get(f"{running_sidecar.url}/healthz")[0] == 200


def test_connections_past_the_cap_are_turned_away_not_queued_for_threads(
    running_sidecar, monkeypatch
):
    monkeypatch.setattr(sidecar, "MAX_CONNECTIONS", 4, raising=False)
    server = sidecar.start("127.0.0.1", 0, lambda: None)
    assert server is not None
    try:
        held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", server.port))
        extra.settimeout(5)
        assert extra.recv(1) == b""  # closed at once
        for conn in (*held, extra):
            conn.close()
    finally:
        server.stop()
