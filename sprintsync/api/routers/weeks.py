"""/api/v1/timesheets/{week}/...: a week's state, setting its cells, submitting it, and (for
managers and admins) approving it or sending it back. The week is the one holding the date
given (Monday to Sunday); an approved week refuses every change with 409."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query

from sprintsync.api import bodies, schemas
from sprintsync.api.deps import Reader, Writer
from sprintsync.services import timesheet_grid, weeks
from sprintsync.services.timesheet_views import GridCell, WeekView

router = APIRouter(prefix="/timesheets/{week_start}", tags=["timesheets"])


@router.get("/state", response_model=schemas.Week)
def week_state(
    caller: Reader,
    week_start: dt.date,
    user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> object:
    """Your week's state (anyone's for managers and admins), with the version to decide on."""
    return schemas.week(
        weeks.week_status(caller.uow(), actor=caller.actor, week_start=week_start, user_id=user_id)
    )


@router.put("/cells", response_model=schemas.CellsSaved)
def set_cells(caller: Writer, week_start: dt.date, body: bodies.Cells) -> object:
    """Set cells of your week, all or none in one transaction, as the My time grid does:
    more time grows an entry without times (or adds one), less shrinks them, empty or 0
    removes the cell's entries. A cell whose `was` no longer holds is a 409 and nothing
    is saved. A change to a submitted week withdraws the submission."""
    saved = timesheet_grid.save_grid(
        caller.uow(),
        actor=caller.actor,
        week_start=week_start,
        cells=[GridCell(c.task_id, c.day, c.duration, c.was) for c in body.cells],
    )
    return schemas.cells_saved(saved)


@router.post("/submit", response_model=schemas.Week)
def submit(caller: Writer, week_start: dt.date) -> object:
    """Submit your week (once it has begun) for approval."""
    return schemas.week(weeks.submit_week(caller.uow(), actor=caller.actor, week_start=week_start))


@router.post("/approve", response_model=schemas.Week)
def approve(caller: Writer, week_start: dt.date, body: bodies.WeekDecision) -> object:
    """Approve someone's submitted week (managers and admins, never their own)."""
    return _decide(weeks.approve_week, caller, week_start, body)


@router.post("/return", response_model=schemas.Week)
def send_back(caller: Writer, week_start: dt.date, body: bodies.WeekDecision) -> object:
    """Send someone's submitted week back to them; the comment (required) says what to fix."""
    return _decide(weeks.return_week, caller, week_start, body)


def _decide(
    decide: Callable[..., WeekView], caller: Writer, week_start: dt.date, body: bodies.WeekDecision
) -> schemas.Week:
    return schemas.week(
        decide(
            caller.uow(),
            actor=caller.actor,
            user_id=body.user_id,
            week_start=week_start,
            comment=body.comment,
            expected_version=body.version,
        )
    )
