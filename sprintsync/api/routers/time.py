"""/api/v1/time-entries and /api/v1/timer: log, list, edit and delete time; the one timer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from sprintsync.api import bodies, pagination, schemas
from sprintsync.api.deps import Reader, Writer
from sprintsync.clock import today
from sprintsync.services import timelog, timers

router = APIRouter(tags=["time"])


@router.get("/time-entries", response_model=schemas.Listing[schemas.TimeEntry])
def list_entries(
    caller: Reader,
    start: dt.date | None = None,
    end: dt.date | None = None,
    user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=pagination.LIMIT_MAX)] = 100,
    cursor: Annotated[str | None, Query(max_length=pagination.CURSOR_MAX)] = None,
) -> dict[str, Any]:
    """Your entries (anyone's for managers and admins, with user_id) from start to end
    inclusive, oldest first; the last 7 days by default, at most a year."""
    end = end or today()
    start = start or end - dt.timedelta(days=6)
    filters = {"start": start, "end": end, "user_id": user_id, "limit": limit}
    offset = pagination.decode(cursor, filters)
    entries = timelog.user_entries(
        caller.uow(), actor=caller.actor, start=start, end=end, user_id=user_id
    )
    items = pagination.window(entries, offset, limit)
    return {
        "items": items,
        "next_cursor": pagination.next_cursor(offset, len(items), len(entries), filters),
    }


@router.post("/time-entries", response_model=schemas.TimeEntry, status_code=201)
def log_time(caller: Writer, body: bodies.NewEntry) -> object:
    """Log time on one of your tasks: `90`, `45m`, `1h30m`, `1.5h`; today unless spent_on."""
    return timelog.log_time(
        caller.uow(),
        actor=caller.actor,
        task_id=body.task_id,
        duration=body.duration,
        spent_on=body.spent_on,
        note=body.note,
    )


@router.patch("/time-entries/{entry_id}", response_model=schemas.TimeEntry)
def edit_entry(caller: Writer, entry_id: int, body: bodies.EntryChanges) -> object:
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    if changes.get("duration", 0) is None:
        changes.pop("duration")  # an entry always has a duration
    if "note" in changes and changes["note"] is None:
        changes["note"] = ""
    return timelog.edit_entry(caller.uow(), actor=caller.actor, entry_id=entry_id, **changes)


@router.delete("/time-entries/{entry_id}", status_code=204)
def delete_entry(caller: Writer, entry_id: int) -> Response:
    timelog.delete_entry(caller.uow(), actor=caller.actor, entry_id=entry_id)
    return Response(status_code=204)


@router.get("/timer", response_model=schemas.Timer | None)
def current_timer(caller: Reader) -> object:
    """Your running timer, or null."""
    running = timers.running_timer(caller.uow(), actor=caller.actor)
    return schemas.timer(running) if running else None


@router.post("/timer/start", response_model=schemas.TimerStarted)
def start_timer(caller: Writer, body: bodies.TimerStart) -> object:
    """Start a timer on one of your tasks; one running on another task is stopped and
    logged first (as `logged`)."""
    started = timers.start_timer(caller.uow(), actor=caller.actor, task_id=body.task_id)
    return {"timer": schemas.timer(started.timer), "logged": started.logged}


@router.post("/timer/stop", response_model=schemas.TimerStopped)
def stop_timer(caller: Writer, body: bodies.TimerStop | None = None) -> object:
    """Stop your timer and log its time (a timer past the limit needs `duration`)."""
    body = body or bodies.TimerStop()
    entry = timers.stop_timer(
        caller.uow(), actor=caller.actor, duration=body.duration, note=body.note
    )
    return {"logged": entry}


@router.post("/timer/discard", response_model=schemas.Timer)
def discard_timer(caller: Writer) -> object:
    """Throw your running timer away without logging anything."""
    return schemas.timer(timers.discard_timer(caller.uow(), actor=caller.actor))
