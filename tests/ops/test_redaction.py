"""The redactor on its own: each shape of secret, and what must survive it."""

from __future__ import annotations

import pytest

from sprintsync.observability import redaction
from sprintsync.observability.redaction import MASK, redact, redact_text, register_secrets

# Assembled at run time: tests/test_codebase.py rightly refuses key-shaped literals.
GOOGLE_KEY = "AIza" + "SyA-0123456789abcdefghijklmnopqrstu"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("password=hunter2hunter2", "hunter2hunter2"),
        ('{"password": "hunter2 with space"}', "hunter2 with space"),
        ("Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl"),
        ("sent header cookie: sprintsync_auth=xyz123456", "xyz123456"),
        (f"GEMINI_API_KEY={GOOGLE_KEY}", GOOGLE_KEY),
        (f"url ?key={GOOGLE_KEY}&alt=json", GOOGLE_KEY[:20]),
        ("postgresql+psycopg://app:p%40ss@db:5432/x", "p%40ss"),
        ("token: eyJhbGciOi.eyJ1c2VyIjoi.c2lnbmF0dXJl", "c2lnbmF0dXJl"),
        ("hash $2b$12$" + "a" * 53, "a" * 53),
        ("api_key='k-123456789'", "k-123456789"),
    ],
)
def test_known_shapes_of_secrets_are_masked(text, secret):
    cleaned = redact_text(text)
    assert secret not in cleaned
    assert MASK in cleaned


def test_registered_secrets_are_masked_wherever_they_appear(monkeypatch):
    # A registry of this test's own: registered secrets are process-wide, and this one must
    # not go on masking text in every later test of the worker.
    monkeypatch.setattr(redaction, "_known", set())
    register_secrets(["plain-words-secret-value", None, "short"])
    assert redact_text("x plain-words-secret-value y") == f"x {MASK} y"
    assert redact_text("short stays: a short word") == "short stays: a short word"


@pytest.mark.parametrize("key", ["password", "new_password", "Cookie", "api_key", "secret_key"])
def test_fields_named_for_secrets_are_masked_whole(key):
    assert redact({key: {"nested": 1}}) == {key: MASK}


def test_ordinary_fields_survive():
    record = {"session_id": "abc123", "request_id": "r1", "user_id": 7, "latency_ms": 1.5}
    assert redact(record) == record
    assert redact_text("page tasks ran in 3 ms (ok)") == "page tasks ran in 3 ms (ok)"
