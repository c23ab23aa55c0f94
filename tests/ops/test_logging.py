"""JSON log lines for page runs and actions, their metrics, the level, and redaction."""

from __future__ import annotations

import io
import json
import re

import jwt
import pytest
from streamlit.testing.v1 import AppTest

from sprintsync import metrics, observability
from sprintsync.observability import logs
from sprintsync.services.auth import hash_password
from tests.ops.opskit import http_get, sample

RUN_FIELDS = {"timestamp", "level", "event", "page", "user_id", "session_id", "request_id"}


def tasks_page() -> None:
    """A page as pages/ write them: page run around, one service call per action."""
    import streamlit as st

    from sprintsync.db import unit_of_work
    from sprintsync.services import tasks
    from sprintsync.ui import observe
    from sprintsync.ui.errors import show_errors
    from sprintsync.ui.session import require_actor

    with observe.page_run("tasks"):
        actor = require_actor()
        title = st.text_input("Title")
        if st.button("Create"):
            with show_errors("create_task"):
                task = tasks.create_task(unit_of_work(), actor=actor, title=title)
                st.success(f"Created task #{task.id}")
        if st.button("Ask the AI"):
            with show_errors("ai_suggest"):
                # What a failing SDK call looks like: its message echoes the request.
                raise ConnectionError(st.session_state["failure"])


@pytest.fixture
def page(db_session_factory, member):
    at = AppTest.from_function(tasks_page, default_timeout=30)
    at.session_state["actor"] = member
    return at


def value(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(sidecar, name: str, **labels: str) -> float:
    """A value as Prometheus would read it: over HTTP from the sidecar's /metrics."""
    return sample(http_get(f"{sidecar.url}/metrics")[1], name, **labels) or 0.0


def test_each_script_run_is_one_json_line_with_its_context(page, member, json_logs):
    page.run()
    page.run()

    assert not page.exception
    runs = json_logs.lines(event="page_run")
    assert len(runs) == 2
    for line in runs:
        assert RUN_FIELDS | {"latency_ms", "outcome"} <= line.keys()
        assert (line["page"], line["user_id"], line["outcome"]) == ("tasks", member.id, "ok")
        assert line["level"] == "INFO"
        assert line["latency_ms"] >= 0
        assert line["session_id"]
    assert runs[0]["session_id"] == runs[1]["session_id"]
    assert runs[0]["request_id"] != runs[1]["request_id"]


def test_actions_are_logged_and_counted_on_metrics_with_their_outcome(
    page, member, json_logs, running_sidecar
):
    def value(name: str, **labels: str) -> float:
        return scraped(running_sidecar, name, **labels)

    views = value("sprintsync_page_views_total", page="tasks")
    runs = value("sprintsync_page_run_seconds_count", page="tasks")
    ok = value("sprintsync_actions_total", action="create_task", outcome="ok")
    invalid = value("sprintsync_actions_total", action="create_task", outcome="invalid")

    page.run()
    page.button[0].click().run()  # empty title: refused
    page.text_input[0].input("Write the runbook")
    page.button[0].click().run()

    assert not page.exception
    assert page.success[0].value.startswith("Created task #")
    assert value("sprintsync_page_views_total", page="tasks") == views + 3
    assert value("sprintsync_page_run_seconds_count", page="tasks") == runs + 3
    assert value("sprintsync_actions_total", action="create_task", outcome="ok") == ok + 1
    assert value("sprintsync_actions_total", action="create_task", outcome="invalid") == invalid + 1
    refused, done = json_logs.lines(event="action")
    assert (refused["outcome"], refused["error_type"], refused["level"]) == (
        "invalid",
        "ValidationError",
        "INFO",
    )
    assert "exc_info" not in refused  # a refusal the user caused is not a stack trace
    assert (done["outcome"], done["action"], done["user_id"]) == ("ok", "create_task", member.id)
    assert RUN_FIELDS | {"latency_ms"} <= done.keys()
    run_ids = {line["request_id"] for line in json_logs.lines(event="page_run")}
    assert done["request_id"] in run_ids


def test_unexpected_errors_carry_type_and_stack_trace_and_an_incident_id(page, json_logs):
    errors = value("sprintsync_errors_total", kind="unexpected")
    page.session_state["failure"] = "connection reset by peer"
    page.run()
    page.button[1].click().run()

    assert not page.exception
    assert "incident" in page.error[0].value
    (line,) = json_logs.lines(event="action", action="ai_suggest")
    assert (line["level"], line["outcome"], line["error_type"]) == (
        "ERROR",
        "error",
        "ConnectionError",
    )
    assert "Traceback" in line["exc_info"]
    assert "tasks_page" in line["exc_info"]
    assert line["incident"] in page.error[0].value
    assert value("sprintsync_errors_total", kind="unexpected") == errors + 1


@pytest.mark.parametrize(
    ("level", "logged"),
    [("DEBUG", True), ("INFO", True), ("WARNING", False), ("ERROR", False)],
)
def test_the_level_comes_from_the_settings(settings_env, page, level, logged, capsys):
    observability.stop()
    settings_env(SPRINTSYNC_LOG_LEVEL=level, SPRINTSYNC_METRICS_PORT="0")
    try:
        observability.start_once()
        page.run()
    finally:
        observability.stop()
        logs.reset()

    assert not page.exception
    assert (" ran in " in capsys.readouterr().out) is logged


@pytest.mark.parametrize(("env", "json_lines"), [("dev", False), ("stage", True), ("prod", True)])
def test_dev_logs_read_as_lines_and_everywhere_else_as_json(
    settings_env, page, capsys, env, json_lines
):
    observability.stop()
    settings_env(SPRINTSYNC_ENV=env, SPRINTSYNC_METRICS_PORT="0")
    try:
        observability.start_once()
        page.run()
    finally:
        observability.stop()
        logs.reset()
    [line] = [x for x in capsys.readouterr().out.splitlines() if " ran in " in x]
    if json_lines:
        assert json.loads(line)["event"] == "page_run"
    else:
        pattern = r"\d\d:\d\d:\d\d INFO  page \S+ ran in [\d.]+ ms \(ok\) \[user \d+\]"
        assert re.fullmatch(pattern, line)


def test_readable_lines_are_redacted_too(json_logs):
    stream = io.StringIO()
    logs.configure("INFO", stream, json_lines=False)
    try:
        cookie = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VybmFtZSI6Im1pYSJ9.c2lnbmF0dXJlLXBhcnQtaGVyZQ"
        logs.logging.getLogger("sprintsync.test").info("Cookie: sprintsync_session=%s", cookie)
    finally:
        logs.reset()
    assert cookie not in stream.getvalue()
    assert "[REDACTED]" in stream.getvalue()


def test_secrets_never_reach_the_log(settings_env, page, json_logs):
    """Real secrets through the real paths: the settings registered by start_once, an SDK-like
    failure echoing a key and a database URL, a session cookie JWT, a password hash."""
    api_key = "AIza" + "SyD-real-looking-gemini-key-0123456789ab"  # split: no key in the repo
    secret_key = "s3cret-key-that-signs-session-cookies-0123456789"
    admin_password = "Adm1n-P4ssw0rd-from-env"
    db_password = "pg-pass-7c1e9a"
    observability.stop()
    settings = settings_env(
        GEMINI_API_KEY=api_key,
        SPRINTSYNC_SECRET_KEY=secret_key,
        SPRINTSYNC_ADMIN_PASSWORD=admin_password,
        SPRINTSYNC_METRICS_PORT="0",
    )
    cookie = jwt.encode({"username": "mia", "exp": 4102444800}, secret_key, algorithm="HS256")
    bcrypt_hash = hash_password("correct-horse-battery")
    user_password = "users-own-pass-phrase"
    try:
        observability.start_once(settings)
        page.session_state["failure"] = (
            f"POST https://generativelanguage.googleapis.com/v1/models?key={api_key} failed; "
            f"db postgresql+psycopg://sprintsync:{db_password}@db:5432/sprintsync; "
            f"Cookie: sprintsync_auth={cookie}; hash {bcrypt_hash}; admin {admin_password}; "
            f"signing with {secret_key}; password={user_password}"
        )
        page.run()
        page.button[1].click().run()
        logs.logging.getLogger("sprintsync.auth").warning(
            "sign-in as %s", "mia", extra={"password": user_password, "cookie": cookie}
        )
    finally:
        observability.stop()

    assert not page.exception
    out = json_logs.text
    assert "ConnectionError" in out  # the error itself was logged...
    for secret in (api_key, secret_key, admin_password, db_password, cookie, bcrypt_hash):
        assert secret not in out  # ...without any of the secrets in it
    assert user_password not in out
    assert "[REDACTED]" in out
