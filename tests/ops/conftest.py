"""Fixtures for the ops tests: JSON logs captured in memory, a sidecar on a free port,
settings from a scratch environment, and the external tools CI must have."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from opskit import ROOT, JsonLogs

from sprintsync import config, db
from sprintsync.observability import logs, sidecar


@pytest.fixture
def json_logs() -> Iterator[JsonLogs]:
    captured = JsonLogs()
    logs.configure("DEBUG", stream=captured.stream)
    try:
        yield captured
    finally:
        logs.reset()


@pytest.fixture
def settings_env(monkeypatch) -> Iterator[Callable[..., config.Settings]]:
    """Set SPRINTSYNC_* variables (None removes one) and get fresh Settings read from them."""

    def apply(**env: str | None) -> config.Settings:
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        config.get_settings.cache_clear()
        return config.get_settings()

    # A developer's .env must not leak into these tests.
    monkeypatch.chdir(ROOT / "tests")
    yield apply
    monkeypatch.undo()
    config.get_settings.cache_clear()


@pytest.fixture
def running_sidecar(engine) -> Iterator[sidecar.Sidecar]:
    """A sidecar on a free port whose /healthz pings the test database."""
    server = sidecar.start("127.0.0.1", 0, lambda: db.ping(engine))
    assert server is not None
    try:
        yield server
    finally:
        server.stop()
