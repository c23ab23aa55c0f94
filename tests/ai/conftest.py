"""The AI tests' fixtures: Gemini replaced by a fake client, settings per test, metrics."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sprintsync import config, metrics
from sprintsync.services.ai import gemini, guards
from tests.ai.gemini_fake import FakeGemini


@pytest.fixture(autouse=True)
def _fresh_ai_state() -> Iterator[None]:
    guards.reset()
    gemini.forget_clients()
    yield
    guards.reset()
    gemini.forget_clients()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """env(NAME=value, ...): set environment variables for this test and re-read Settings."""
    names: list[str] = []

    def set_env(**values: Any) -> None:
        for name, value in values.items():
            names.append(name)
            monkeypatch.setenv(name, str(value))
        config.get_settings.cache_clear()

    yield set_env
    for name in names:
        monkeypatch.delenv(name, raising=False)
    config.get_settings.cache_clear()


@pytest.fixture
def fake_gemini(env, monkeypatch: pytest.MonkeyPatch) -> FakeGemini:
    """A Gemini key is set and the SDK client is this fake; retries do not wait."""
    env(GEMINI_API_KEY="test-key")
    fake = FakeGemini()

    def make_client(settings: config.Settings) -> FakeGemini:
        fake.built_with.append(settings)
        return fake

    monkeypatch.setattr(gemini, "make_client", make_client)
    monkeypatch.setattr(gemini, "RETRY_DELAY_SECONDS", 0)
    return fake


@pytest.fixture
def ai_count() -> Callable[..., float]:
    """ai_count(mode, source, outcome): the current value of sprintsync_ai_requests_total."""

    def count(mode: str, source: str, outcome: str) -> float:
        value = metrics.REGISTRY.get_sample_value(
            "sprintsync_ai_requests_total", {"mode": mode, "source": source, "outcome": outcome}
        )
        return value or 0.0

    return count
