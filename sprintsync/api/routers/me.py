"""/api/v1/me and /api/v1/timesheets: who the token acts for, and their weeks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from sprintsync.api import schemas
from sprintsync.api.deps import Reader
from sprintsync.services import timesheets, users

router = APIRouter(tags=["me"])


@router.get("/me", response_model=schemas.Me)
def me(caller: Reader) -> object:
    """The token's owner (its role decides what every other call may do)."""
    user = users.get_user(caller.uow(), actor=caller.actor, username=caller.actor.username)
    return schemas.Me(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        email=user.email,
        role=user.role.value,
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        token_id=caller.token_id,
        token_writes=caller.token_writes,
    )


@router.get("/timesheets/{week_start}", response_model=schemas.Timesheet)
def timesheet(
    caller: Reader,
    week_start: dt.date,
    user_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> object:
    """The week (Monday to Sunday) holding week_start: a row per task with minutes per day.
    Yours, or anyone's for managers and admins."""
    sheet = timesheets.weekly_timesheet(
        caller.uow(), actor=caller.actor, week_start=week_start, user_id=user_id
    )
    return schemas.Timesheet(
        user_id=sheet.user_id,
        week_start=sheet.week_start,
        days=list(sheet.days),
        rows=[
            schemas.TimesheetRow(
                task_id=r.task_id,
                title=r.title,
                status=r.status.value,
                minutes=list(r.minutes),
                total=r.total,
            )
            for r in sheet.rows
        ],
        day_totals=list(sheet.day_totals),
        total=sheet.total,
    )
