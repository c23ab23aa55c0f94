"""Hostile bodies get a clear refusal in the one error shape and change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sprintsync.models import Task
from tests.api.conftest import V1, bearer


def _tasks(db_session_factory) -> int:
    with db_session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(Task)) or 0)


@pytest.mark.parametrize(
    ("body", "status", "said"),
    [
        ({"title": "x" * 60_000}, 422, "title"),
        ({"title": "ok", "tags": ["t"] * 500}, 422, "tags"),
        ({"title": 12345}, 422, "title"),
        ({"title": ["a", "list"]}, 422, "title"),
        ({"title": "ok", "estimate": {"h": 1}}, 422, "estimate"),
        ({"title": "ok", "assignee_id": "1"}, 422, "assignee_id"),
        ({"title": "ok", "assignee_id": 2**40}, 422, "assignee_id"),
        ({"title": "ok", "due": "next tuesday"}, 422, "due"),
        ({"title": "ok", "owner_id": 1}, 422, "owner_id"),
        ({"title": "ok", "total_minutes": 10**6}, 422, "total_minutes"),
        ({"title": "   "}, 422, "Title is required"),
        ({"title": "bad\u202eevil"}, 422, "direction"),
        ({"title": "ok", "estimate": "99999h"}, 422, "too large"),
        ([], 422, "the request|body"),
    ],
)
def test_a_hostile_task_body_is_refused_and_nothing_is_made(
    client, member, token_for, db_session_factory, audit_rows, body, status, said
):
    headers = bearer(token_for(member))
    before, audited = _tasks(db_session_factory), audit_rows()
    answer = client.post(f"{V1}/tasks", json=body, headers=headers)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid" and error["request_id"] == answer.headers["X-Request-ID"]
    assert any(word in error["message"] for word in said.split("|")), error["message"]
    assert len(error["message"]) < 1000  # the hostile input is not echoed back
    assert (_tasks(db_session_factory), audit_rows()) == (before, audited)


def test_a_body_over_the_cap_is_refused_before_it_is_read(
    client, member, token_for, db_session_factory
):
    huge = '{"title": "' + "x" * 200_000 + '"}'
    headers = bearer(token_for(member)) | {"Content-Type": "application/json"}
    answer = client.post(f"{V1}/tasks", content=huge, headers=headers)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert _tasks(db_session_factory) == 0

    def chunks():  # no Content-Length: the cap holds as the body streams in
        yield b'{"title": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    streamed = client.post(f"{V1}/tasks", content=chunks(), headers=headers)
    assert streamed.status_code == 413
    assert _tasks(db_session_factory) == 0


def test_a_body_that_is_not_json_is_a_bad_request(client, member, token_for):
    headers = bearer(token_for(member)) | {"Content-Type": "application/json"}
    answer = client.post(f"{V1}/tasks", content=b"{not json", headers=headers)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    ("given", "kept"),
    [("ci-run-42.1", True), ("x" * 65, False), ("bad id\nwith newline", False), ("", False)],
)
def test_a_plain_request_id_is_echoed_and_anything_else_replaced(client, given, kept):
    answer = client.get(f"{V1}/me", headers={"X-Request-ID": given})
    rid = answer.headers["X-Request-ID"]
    assert answer.json()["error"]["request_id"] == rid
    assert (rid == given) is kept and rid


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer sst_" + "A" * 43, "token"]
)
def test_a_missing_or_forged_token_is_401_in_the_one_shape(client, header):
    answer = client.get(f"{V1}/tasks", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "unauthorized"


def test_an_unknown_address_answers_in_the_one_shape(client):
    answer = client.get(f"{V1}/nothing-here")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"
