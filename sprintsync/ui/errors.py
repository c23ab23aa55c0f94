"""The one place that turns errors into what a user sees (datasette's handle_exception shape)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from sprintsync import metrics
from sprintsync.errors import (
    Conflict,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    SprintSyncError,
    ValidationError,
)
from sprintsync.observability import log_action
from sprintsync.ui.literal import escape_markdown

T = TypeVar("T")

OUTCOMES: dict[type[SprintSyncError], str] = {
    ValidationError: "invalid",
    PermissionDenied: "denied",
    Conflict: "conflict",
    NotFound: "not_found",
    DatabaseUnavailable: "unavailable",
    RateLimited: "rate_limited",
}


def outcome_of(error: BaseException | None) -> str:
    if error is None:
        return "ok"
    for kind, outcome in OUTCOMES.items():
        if isinstance(error, kind):
            return outcome
    return "rejected" if isinstance(error, SprintSyncError) else "error"


@contextmanager
def show_errors(
    action: str | None = None,
    *,
    happened: Callable[[], bool] | None = None,
    say: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Run a user action: domain errors become st.error with their message, anything else is
    logged with its stack trace and shown as a short message with an incident id.
    With `action`, the outcome is counted in sprintsync_actions_total and logged; `happened`
    says whether the action was taken in this run at all, for a block that also draws the
    form it comes from (otherwise every rerun would count as one). With `say`, the message
    goes to it instead of the page (a widget callback draws nothing: the run after it does)."""
    error: BaseException | None = None
    incident: str | None = None
    started = time.perf_counter()
    try:
        yield
    except SprintSyncError as caught:
        error = caught
        metrics.errors.labels(kind=outcome_of(caught)).inc()
        if say is not None:
            say(caught.message)
        else:
            # Messages may quote what the user typed: shown literally, never as Markdown.
            st.error(escape_markdown(caught.message), icon=":material/error:")
        if say is None and isinstance(caught, DatabaseUnavailable):
            # Nothing further down the page can work either: say it once, not once per part.
            st.stop()
    except Exception as caught:  # the last line of defence before the user
        error = caught
        incident = uuid.uuid4().hex[:8]
        metrics.errors.labels(kind="unexpected").inc()
        message = (
            f"Something went wrong on our side (incident {incident}). "
            "Please try again; if it keeps happening, tell an admin the incident id."
        )
        if say is not None:
            say(message)
        else:
            st.error(message, icon=":material/error:")
    finally:
        if error is None and happened is not None and not happened():
            action = None
        if action:
            metrics.actions.labels(action=action, outcome=outcome_of(error)).inc()
        # One JSON line per action; unexpected errors carry their stack trace.
        log_action(
            action, outcome=outcome_of(error), started=started, error=error, incident=incident
        )


def load(call: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """What a page must read before it can draw anything further: `call(*args, **kwargs)`, or
    its error shown (as show_errors shows it) and the page stopped there. The one way a page
    guards its reads: `people = load(users.list_users, unit_of_work(), actor=actor)`."""
    with show_errors():
        return call(*args, **kwargs)
    st.stop()
