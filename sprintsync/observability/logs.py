"""Log lines on standard output, one per script run and per user action: JSON for machines
(stage, prod), or one readable line each in dev (`configure(json_lines=False)`).

Every JSON line has: timestamp, level, event, logger, message, and the run's context (page,
user_id, session_id, request_id) when it happens inside a page run; events add latency_ms and
outcome. Errors carry error_type and the stack trace (exc_info). Everything written is
redacted first, in either form.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TextIO

from pythonjsonlogger.json import JsonFormatter

from sprintsync.observability.redaction import redact, redact_text

# Our own lines at the configured level; libraries only when they warn. (A root logger at DEBUG
# would make SQLAlchemy log every statement with its parameters, password hashes included.)
OWN_LOGGER = "sprintsync"
LIBRARY_LEVEL = logging.WARNING
CONTEXT_FIELDS = ("page", "user_id", "session_id", "request_id")


@dataclass(slots=True)
class RunContext:
    """Who and where a script run is: attached to every log line made during it."""

    page: str
    user_id: int | None
    session_id: str | None
    request_id: str
    extra: dict[str, Any] = field(default_factory=dict)


current_run: ContextVar[RunContext | None] = ContextVar("sprintsync_run", default=None)


class _RunContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        run = current_run.get()
        for name in CONTEXT_FIELDS:
            if not hasattr(record, name):
                setattr(record, name, getattr(run, name) if run else None)
        if not hasattr(record, "event"):
            record.event = "log"
        if record.exc_info and record.exc_info[0] and not hasattr(record, "error_type"):
            record.error_type = record.exc_info[0].__name__
        return True


class RedactingJsonFormatter(JsonFormatter):
    """python-json-logger's formatter, with every field passed through the redactor last, so
    the message, the extras and the formatted stack trace are all covered."""

    def __init__(self) -> None:
        super().__init__(
            "{levelname}{event}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp=True,
        )

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        ordered = {"timestamp": log_data.pop("timestamp", None)} | log_data
        return {key: redact(value, key) for key, value in ordered.items()}


class RedactingTextFormatter(logging.Formatter):
    """One readable line per record for a developer's terminal: time, level, the message and
    who it was for, e.g. `21:40:01 INFO  page my-tasks ran in 85.2 ms (ok) [user 3]`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-5s %(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        user = getattr(record, "user_id", None)
        if user is not None:
            line = (
                line.replace("\n", f" [user {user}]\n", 1)
                if "\n" in line
                else f"{line} [user {user}]"
            )
        return redact_text(line)


class _StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever sys.stdout is at the time (pytest and Streamlit swap it)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        super().__init__(stream)
        self._fixed = stream

    @property
    def stream(self) -> TextIO:
        return self._fixed or sys.stdout

    @stream.setter
    def stream(self, value: TextIO) -> None:  # logging.StreamHandler.__init__ assigns it
        pass


_HANDLER_MARK = "_sprintsync_json"


def configure(
    level: str | int = "INFO", stream: TextIO | None = None, *, json_lines: bool = True
) -> logging.Handler:
    """Send every log record, redacted, to stream (default: stdout): one JSON line each, or
    with json_lines=False one readable line each.

    Idempotent: calling it again replaces our handler instead of adding another."""
    root = logging.getLogger()
    reset()
    handler = _StdoutHandler(stream)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(RedactingJsonFormatter() if json_lines else RedactingTextFormatter())
    handler.addFilter(_RunContextFilter())
    root.addHandler(handler)
    own_level = logging.getLevelName(str(level).upper()) if isinstance(level, str) else level
    if not isinstance(own_level, int):
        own_level = logging.INFO
    root.setLevel(max(own_level, LIBRARY_LEVEL))
    logging.getLogger(OWN_LOGGER).setLevel(own_level)
    return handler


def reset() -> None:
    """Remove our handler (tests; reconfiguration)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)


def is_configured() -> bool:
    return any(getattr(h, _HANDLER_MARK, False) for h in logging.getLogger().handlers)
