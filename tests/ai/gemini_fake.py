"""A fake standing in for google.genai.Client, and real SDK response and error objects.

The fake is the only fake in the AI tests: it replaces the SDK client object where the provider
builds it (gemini.make_client), so everything of ours around the call runs for real.
"""

from __future__ import annotations

import json
from typing import Any

from google.genai import errors as genai_errors
from google.genai import types

from sprintsync import config


def response(text: str | None, finish: str = "STOP") -> types.GenerateContentResponse:
    """A real SDK response object, as the client returns it."""
    parts = [types.Part(text=text)] if text is not None else []
    return types.GenerateContentResponse(
        candidates=[
            types.Candidate(content=types.Content(role="model", parts=parts), finish_reason=finish)
        ]
    )


def json_response(data: Any, finish: str = "STOP") -> types.GenerateContentResponse:
    return response(json.dumps(data), finish)


def api_error(code: int, status: str = "") -> genai_errors.APIError:
    body = {"error": {"code": code, "message": "fake", "status": status}}
    kind = genai_errors.ClientError if code < 500 else genai_errors.ServerError
    return kind(code, body)


class FakeGemini:
    """Stands in for google.genai.Client: `client.models.generate_content(...)` returns or
    raises the queued outcomes in order and records every call."""

    def __init__(self) -> None:
        self.models = self
        self.outcomes: list[Any] = []
        self.calls: list[dict[str, Any]] = []
        self.built_with: list[config.Settings] = []

    def will(self, *outcomes: Any) -> FakeGemini:
        self.outcomes.extend(outcomes)
        return self

    def generate_content(self, *, model: str, contents: Any, config: Any) -> Any:
        self.calls.append({"model": model, "contents": contents, "config": config})
        if not self.outcomes:
            raise AssertionError("the fake Gemini was called more often than the test expected")
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


GOOD_DRAFT = {
    "goal": "Users on Safari sign in without bouncing between pages.",
    "steps": [
        "Reproduce the redirect loop in Safari with a fresh profile",
        "Check the SameSite attribute on the session cookie",
        "Fix the cookie settings and add a regression test",
    ],
    "acceptance_criteria": ["Signing in on Safari 17 lands on the dashboard"],
    "estimate_minutes": 150,
}
