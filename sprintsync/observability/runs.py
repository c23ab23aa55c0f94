"""A script run and the actions in it: counted, timed and logged as one JSON line each.

Free of Streamlit: sprintsync.ui.observe supplies the page, the user and the session.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sprintsync import metrics
from sprintsync.observability.logs import RunContext, current_run

log = logging.getLogger("sprintsync.observability")


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


@contextmanager
def page_run(
    page: str,
    *,
    user_id: int | None = None,
    session_id: str | None = None,
    normal_exits: tuple[type[BaseException], ...] = (),
) -> Iterator[RunContext]:
    """Count a page view, time the run into sprintsync_page_run_seconds{page} and log it.

    normal_exits are exceptions that end a run on purpose (Streamlit's stop and rerun): they are
    logged with their class name as the outcome, not as errors."""
    run = RunContext(page=page, user_id=user_id, session_id=session_id, request_id=_new_id())
    token = current_run.set(run)
    metrics.page_views.labels(page=page).inc()
    started = time.perf_counter()
    try:
        yield run
    except normal_exits as ending:
        _finish(run, started, outcome=type(ending).__name__.removesuffix("Exception").lower())
        raise
    except BaseException:
        metrics.errors.labels(kind="unexpected").inc()
        _finish(run, started, outcome="error", exc_info=True)
        raise
    else:
        _finish(run, started, outcome="ok")
    finally:
        current_run.reset(token)


def _finish(run: RunContext, started: float, *, outcome: str, exc_info: bool = False) -> None:
    elapsed = time.perf_counter() - started
    metrics.page_run_seconds.labels(page=run.page).observe(elapsed)
    log.log(
        logging.ERROR if outcome == "error" else logging.INFO,
        "page %s ran in %.1f ms (%s)",
        run.page,
        elapsed * 1000,
        outcome,
        exc_info=exc_info,
        extra={"event": "page_run", "latency_ms": round(elapsed * 1000, 2), "outcome": outcome},
    )


def log_action(
    action: str | None,
    *,
    outcome: str,
    started: float,
    error: BaseException | None = None,
    incident: str | None = None,
) -> None:
    """One line per user action (or per error outside a named action).

    Unexpected errors are logged at ERROR with their stack trace; refusals the user caused
    (invalid input, permission, conflict) at INFO with the error type only."""
    if action is None and error is None:
        return
    unexpected = outcome == "error"
    fields: dict[str, object] = {
        "event": "action" if action else "error",
        "action": action,
        "latency_ms": _ms(started),
        "outcome": outcome,
    }
    if error is not None:
        fields["error_type"] = type(error).__name__
    if incident:
        fields["incident"] = incident
    log.log(
        logging.ERROR if unexpected else logging.INFO,
        "%s: %s%s",
        action or "page",
        outcome,
        f" (incident {incident})" if incident else "",
        exc_info=(type(error), error, error.__traceback__) if unexpected and error else None,
        extra=fields,
    )


def _new_id() -> str:
    return uuid.uuid4().hex[:16]
