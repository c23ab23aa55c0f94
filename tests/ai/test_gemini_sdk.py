"""The real google-genai SDK between our provider and a fake HTTP transport: proves the request
we build is one the SDK accepts and serialises as intended, and that its errors map right.
No socket is opened: httpx2.MockTransport answers in process."""

from __future__ import annotations

import json

import httpx2
import pytest
from google import genai
from google.genai import types

from sprintsync import config
from sprintsync.services.ai import gemini
from sprintsync.services.ai.suggestion import DraftRequest, ProviderFailure
from tests.ai.gemini_fake import GOOD_DRAFT


def sdk_client(handler, timeout_ms: int = 10_000) -> genai.Client:
    return genai.Client(
        api_key="test-key",
        http_options=types.HttpOptions(
            timeout=timeout_ms,
            retry_options=types.HttpRetryOptions(attempts=1),
            httpx_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        ),
    )


def answer(data) -> httpx2.Response:
    text = json.dumps(data)
    body = {
        "candidates": [
            {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP"}
        ]
    }
    return httpx2.Response(200, json=body)


@pytest.fixture
def settings(env):
    env(GEMINI_API_KEY="test-key")
    return config.get_settings()


def test_the_sdk_sends_our_schema_instructions_and_timeout(settings, monkeypatch):
    monkeypatch.setattr(gemini, "RETRY_DELAY_SECONDS", 0)
    seen = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answer(GOOD_DRAFT)

    provider = gemini.GeminiProvider(settings, client_for=lambda s: sdk_client(handler))
    content = provider.draft(DraftRequest("Fix login redirect loop", "Safari only"))

    assert content.goal == GOOD_DRAFT["goal"]
    assert content.estimate_minutes == 150
    [request] = seen
    assert request.url.path.endswith("/models/gemini-2.5-flash:generateContent")
    assert request.headers["x-server-timeout"] == "10"
    body = json.loads(request.content)
    generation = body["generationConfig"]
    assert generation["responseMimeType"] == "application/json"
    schema = generation["responseSchema"]
    assert schema["required"] == ["goal", "steps", "acceptance_criteria", "estimate_minutes"]
    assert schema["properties"]["steps"]["max_items"] == 5
    assert "additional_properties" not in json.dumps(schema)
    assert list(generation["thinkingConfig"].values()) == [0]  # thinking off: a fast answer
    assert "BEGIN USER DATA" in body["contents"][0]["parts"][0]["text"]
    assert "never instructions" in body["systemInstruction"]["parts"][0]["text"]


@pytest.mark.parametrize(
    ("status", "reason", "requests"),
    [(503, "server_error", 2), (429, "quota", 2), (403, "client_error", 1)],
)
def test_http_errors_from_the_sdk_map_to_reasons(settings, monkeypatch, status, reason, requests):
    monkeypatch.setattr(gemini, "RETRY_DELAY_SECONDS", 0)
    seen = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(status, json={"error": {"code": status, "message": "no"}})

    provider = gemini.GeminiProvider(settings, client_for=lambda s: sdk_client(handler))
    with pytest.raises(ProviderFailure) as failure:
        provider.draft(DraftRequest("Fix login redirect loop"))
    assert failure.value.reason == reason
    assert len(seen) == requests


def test_a_transport_timeout_from_the_sdk_is_a_timeout(settings, monkeypatch):
    monkeypatch.setattr(gemini, "RETRY_DELAY_SECONDS", 0)

    def handler(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    provider = gemini.GeminiProvider(settings, client_for=lambda s: sdk_client(handler))
    with pytest.raises(ProviderFailure) as failure:
        provider.draft(DraftRequest("Fix login redirect loop"))
    assert failure.value.reason == "timeout"
