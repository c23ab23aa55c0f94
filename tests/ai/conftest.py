"""The AI tests' fixtures (the Gemini fake, env and the reset of the AI state are in
tests/conftest.py, shared with the page tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sprintsync import metrics


@pytest.fixture
def ai_count() -> Callable[..., float]:
    """ai_count(mode, source, outcome): the current value of sprintsync_ai_requests_total."""

    def count(mode: str, source: str, outcome: str) -> float:
        value = metrics.REGISTRY.get_sample_value(
            "sprintsync_ai_requests_total", {"mode": mode, "source": source, "outcome": outcome}
        )
        return value or 0.0

    return count
