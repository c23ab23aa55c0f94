"""/api/v1/reports: the figures of `sprintsync report`, as JSON or as spreadsheet-safe CSV
(sprintsync.exports, the one place files for spreadsheets are written)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import pandas as pd
from fastapi import APIRouter, Query, Response

from sprintsync.api.deps import Reader
from sprintsync.clock import today
from sprintsync.exports import csv_text
from sprintsync.services import analytics, tags

router = APIRouter(prefix="/reports", tags=["reports"])

Format = Literal["json", "csv"]
CSV = "text/csv; charset=utf-8"


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    plain = frame.astype(object).where(frame.notna(), None)
    return [
        {str(k): v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()}
        for row in plain.to_dict(orient="records")
    ]


def _csv(frame: pd.DataFrame, name: str) -> Response:
    return Response(
        csv_text(frame),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/minutes", response_model=None)
def minutes(
    caller: Reader,
    start: dt.date | None = None,
    end: dt.date | None = None,
    by: Literal["user", "day", "week", "project", "sprint", "tag"] = "user",
    project_id: Annotated[list[int] | None, Query(max_length=50)] = None,
    user_id: Annotated[list[int] | None, Query(max_length=50)] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    format: Format = "json",
) -> Any:
    """Minutes logged per user, day, week, project, sprint or tag, as `sprintsync report
    minutes` counts them (members: their own time only). Default: Monday four weeks ago to
    today."""
    end = end or today()
    start = start or analytics.default_start(end)
    frame = analytics.minutes_by(
        caller.uow(),
        actor=caller.actor,
        start=start,
        end=end,
        by=by,
        user_ids=user_id,
        project_ids=project_id,
        tag_id=tags.find_tag(caller.uow(), actor=caller.actor, name=tag).id if tag else None,
    )
    if format == "csv":
        return _csv(frame, f"minutes-by-{by}-{start}-{end}")
    return {"start": start, "end": end, "by": by, "rows": _records(frame)}


@router.get("/sprints/{sprint_id}", response_model=None)
def sprint(caller: Reader, sprint_id: int, format: Format = "json") -> Any:
    """How a sprint went (planned, added, removed, done, open, carried) and its burndown, as
    `sprintsync report sprint`; CSV: the burndown rows."""
    report = analytics.sprint_report(caller.uow(), actor=caller.actor, sprint_id=sprint_id)
    if format == "csv":
        return _csv(report.burndown, f"sprint-{sprint_id}-burndown")
    return report.as_json()
