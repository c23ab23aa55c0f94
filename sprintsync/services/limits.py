"""Moving one-minute rate limits in PostgreSQL (rate_hits, migration 0005): every app replica,
API process and CLI sees one count per bucket, on the database's clock, which they share.
Used by the AI helpers (per user) and the HTTP API (per token)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from sprintsync.models import RateHit

WINDOW = dt.timedelta(minutes=1)
SWEEP_BATCH = 100
_LOCK_SEED = 0x5350_5241_5445  # "SPRATE": keys the advisory lock of each bucket


def hit(session: Session, bucket: str, per_minute: int) -> float | None:
    """Count one request in `bucket`'s moving one-minute window; None if it was allowed, else
    the seconds until the oldest counted request leaves the window (nothing counted). Callers
    on one bucket take turns on an advisory lock, so concurrent requests cannot both take the
    last place."""
    now = func.clock_timestamp()
    session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(bucket, _LOCK_SEED))))
    session.execute(delete(RateHit).where(RateHit.bucket == bucket, RateHit.at <= now - WINDOW))
    count, oldest_age = session.execute(
        select(func.count(), func.extract("epoch", now - func.min(RateHit.at))).where(
            RateHit.bucket == bucket
        )
    ).one()
    if count >= per_minute:
        return max(0.0, WINDOW.total_seconds() - float(oldest_age))
    session.execute(insert(RateHit).values(bucket=bucket, at=now))
    sweep(session, RateHit, RateHit.id, RateHit.at <= now - WINDOW)
    return None


def sweep(session: Session, model: Any, column: Any, dead: Any) -> None:
    """Delete a batch of dead rows, skipping rows another transaction holds."""
    batch = select(column).where(dead).limit(SWEEP_BATCH).with_for_update(skip_locked=True)
    session.execute(delete(model).where(column.in_(batch)))
