"""Logs, metrics sidecar and health for the app process.

`start_once()` is what app.py and `sprintsync serve` call: JSON logging on stdout at
SPRINTSYNC_LOG_LEVEL, the settings' secrets registered for redaction, and the sidecar on
SPRINTSYNC_METRICS_HOST:SPRINTSYNC_METRICS_PORT. Idempotent and cheap after the first call.
"""

from __future__ import annotations

import threading

from sprintsync.config import Settings, get_settings
from sprintsync.observability import logs, redaction, sidecar
from sprintsync.observability.runs import log_action, page_run

__all__ = ["log_action", "page_run", "start_once", "started_sidecar", "stop"]

_lock = threading.Lock()
_started = False
_sidecar: sidecar.Sidecar | None = None


def _ping() -> None:
    from sprintsync import db  # late: importing db must not be the price of logging

    db.ping()


def secrets_of(settings: Settings) -> list[str | None]:
    from sqlalchemy import make_url

    from sprintsync.config import session_secret
    from sprintsync.errors import ConfigurationError

    key: str | None
    try:
        key = session_secret(settings)
    except ConfigurationError:  # refused at start-up; still mask whatever was set
        key = settings.secret_key.get_secret_value() if settings.secret_key else None
    found = [key, settings.ai_api_key]
    if settings.admin_password:
        found.append(settings.admin_password.get_secret_value())
    if settings.database_url:
        found.append(make_url(settings.database_url).password)
    return found


def start_once(settings: Settings | None = None) -> sidecar.Sidecar | None:
    """Configure logging and start the sidecar, once per process; returns the sidecar (None if
    its port was taken)."""
    global _started, _sidecar
    if _started:
        return _sidecar
    with _lock:
        if _started:
            return _sidecar
        settings = settings or get_settings()
        redaction.register_secrets(secrets_of(settings))
        if not logs.is_configured():
            # Readable lines in a developer's terminal; JSON wherever machines read them.
            logs.configure(settings.log_level, json_lines=settings.env != "dev")
        _sidecar = sidecar.start(settings.metrics_host, settings.metrics_port, _ping)
        _started = True
        return _sidecar


def started_sidecar() -> sidecar.Sidecar | None:
    return _sidecar


def stop() -> None:
    """Stop the sidecar and forget the start (tests, orderly shutdown); start_once may run again."""
    global _started, _sidecar
    with _lock:
        if _sidecar is not None:
            _sidecar.stop()
        _sidecar, _started = None, False
