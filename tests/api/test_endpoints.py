"""What scripts do through the API, checked in the database behind it: the same figures as
the CLI, optimistic locking, cursors, the timer, local docs, metrics and log lines."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from sprintsync import metrics
from sprintsync.clock import today
from sprintsync.models import AuditLog, TimeEntry
from sprintsync.services import analytics, tasks
from tests.api.conftest import V1, bearer


def test_a_script_creates_a_task_logs_time_and_reads_it_back(
    client, member, token_for, db_session_factory
):
    h = bearer(token_for(member))
    task = client.post(f"{V1}/tasks", json={"title": "Ship the API", "tags": ["api"]}, headers=h)
    assert task.status_code == 201
    tid = task.json()["id"]
    logged = client.post(
        f"{V1}/time-entries", json={"task_id": tid, "duration": "1h30m", "note": "hook"}, headers=h
    )
    assert logged.status_code == 201 and logged.json()["minutes"] == 90
    with db_session_factory() as s:
        assert s.scalars(select(TimeEntry.minutes).where(TimeEntry.task_id == tid)).all() == [90]
        actors = set(s.scalars(select(AuditLog.actor_id).where(AuditLog.action == "time.log")))
    assert actors == {member.id}  # audited as the token's owner
    assert client.get(f"{V1}/tasks/{tid}", headers=h).json()["total_minutes"] == 90
    edited = client.patch(
        f"{V1}/time-entries/{logged.json()['id']}", json={"duration": 30}, headers=h
    )
    assert edited.json()["minutes"] == 30
    assert client.delete(f"{V1}/time-entries/{logged.json()['id']}", headers=h).status_code == 204
    assert client.get(f"{V1}/tasks/{tid}", headers=h).json()["total_minutes"] == 0


def test_an_update_with_a_stale_version_is_a_conflict_and_saves_nothing(
    client, uow, member, token_for
):
    h = bearer(token_for(member))
    tid = client.post(f"{V1}/tasks", json={"title": "Old"}, headers=h).json()["id"]
    ok = client.patch(f"{V1}/tasks/{tid}", json={"version": 1, "title": "New"}, headers=h)
    assert ok.json()["version"] == 2
    stale = client.patch(f"{V1}/tasks/{tid}", json={"version": 1, "title": "Stale"}, headers=h)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    assert tasks.get_task(uow(), actor=member, task_id=tid).title == "New"
    moved = client.post(f"{V1}/tasks/{tid}/move", json={"status": "done"}, headers=h)
    assert moved.status_code == 422  # todo -> done is not a move the service allows


def test_cursors_walk_every_task_once_and_refuse_other_filters(client, uow, member, token_for):
    for n in range(7):
        tasks.create_task(uow(), actor=member, title=f"T{n}")
    h = bearer(token_for(member, "read"))
    seen, cursor = [], None
    while True:
        url = f"{V1}/tasks?sort=title&limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=h).json()
        seen += [t["title"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"T{n}" for n in range(7)]
    first = client.get(f"{V1}/tasks?sort=title&limit=3", headers=h).json()["next_cursor"]
    other = client.get(f"{V1}/tasks?sort=newest&limit=3&cursor={first}", headers=h)
    assert other.status_code == 422 and "cursor" in other.json()["error"]["message"]
    assert client.get(f"{V1}/tasks?cursor=garbage!", headers=h).status_code == 422


def test_the_timer_starts_reports_and_stops_into_an_entry(client, member, token_for, age_timer):
    import datetime as dt

    h = bearer(token_for(member))
    tid = client.post(f"{V1}/tasks", json={"title": "Timed"}, headers=h).json()["id"]
    assert client.get(f"{V1}/timer", headers=h).json() is None
    client.post(f"{V1}/timer/start", json={"task_id": tid}, headers=h)
    age_timer(member.id, dt.timedelta(minutes=25))
    assert client.get(f"{V1}/timer", headers=h).json()["elapsed_seconds"] >= 25 * 60
    stopped = client.post(f"{V1}/timer/stop", json={"note": "pairing"}, headers=h).json()
    assert stopped["logged"]["minutes"] == 25 and stopped["logged"]["note"] == "pairing"


def test_the_minutes_report_is_the_services_figures_as_json_and_as_safe_csv(
    client, uow, manager, member, token_for
):
    task = tasks.create_task(uow(), actor=member, title="=HYPERLINK(evil)")
    from sprintsync.services import timelog

    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h")
    h = bearer(token_for(manager, "read"))
    start = analytics.default_start(today())
    expected = analytics.minutes_by(uow(), actor=manager, start=start, end=today(), by="user")
    got = client.get(f"{V1}/reports/minutes?by=user", headers=h).json()
    assert got["rows"] == expected.to_dict(orient="records") == [{"user": "mia", "minutes": 120}]
    csv = client.get(f"{V1}/reports/minutes?by=user&format=csv", headers=h)
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text == "user,minutes\r\nmia,120\r\n"


def test_the_docs_are_served_by_the_api_itself_without_outside_assets(client):
    page = client.get(f"{V1}/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text.replace(
        "https://swagger.io", ""
    )
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"{V1}/docs/assets/{asset}" in page.text
        assert client.get(f"{V1}/docs/assets/{asset}").status_code == 200
    spec = client.get(f"{V1}/openapi.json").json()
    assert "/api/v1/tasks" in spec["paths"] and spec["components"]["securitySchemes"]


def test_each_request_is_counted_by_route_and_logged_once_without_its_token(
    client, member, token_for, caplog
):
    secret = token_for(member, "read")
    labels = {"route": "/api/v1/tasks/{task_id}", "method": "GET", "status": "404"}
    before = metrics.REGISTRY.get_sample_value("sprintsync_api_requests_total", labels) or 0
    with caplog.at_level(logging.INFO, logger="sprintsync.api"):
        answer = client.get(f"{V1}/tasks/999999", headers=bearer(secret))
    assert answer.status_code == 404
    assert metrics.REGISTRY.get_sample_value("sprintsync_api_requests_total", labels) == before + 1
    count = metrics.REGISTRY.get_sample_value(
        "sprintsync_api_request_seconds_count", {"route": labels["route"], "method": "GET"}
    )
    assert count and count >= 1
    lines = [r for r in caplog.records if getattr(r, "event", "") == "api_request"]
    assert len(lines) == 1 and lines[0].route == labels["route"] and lines[0].status == 404
    everything = json.dumps([vars(r) for r in caplog.records], default=str)
    assert secret not in everything and secret[8:20] not in everything
