"""The AI helpers' answer cache and per-user rate limit, in PostgreSQL (migration 0005): every
app replica and CLI process sees one cache and one count, so N replicas neither allow N times
the limit nor ask Gemini N times for one answer. Both use the database's clock, which every
replica shares, and both expire their own rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Hashable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from sprintsync.db import UnitOfWork
from sprintsync.domain import Status, counted
from sprintsync.errors import RateLimited
from sprintsync.models import AiCacheEntry
from sprintsync.services.ai.suggestion import PlanItem, Suggestion
from sprintsync.services.limits import hit, sweep

# At most this many answers are kept, whatever the cache minutes: the soonest to expire go.
CACHE_MAX = 10_000


def check_rate(uow: UnitOfWork, user_id: int, per_minute: int) -> None:
    """Count one AI request of the user, or raise RateLimited if they are over the limit."""
    with uow:
        wait = hit(uow.session, f"ai:user:{user_id}", per_minute)
        uow.commit()
    if wait is None:
        return
    seconds = max(1, math.ceil(wait))
    raise RateLimited(
        f"You have asked for {counted(per_minute, 'draft or plan', 'drafts and plans')} in the "
        f"last minute, the most allowed; try again in {counted(seconds, 'second')}."
    )


def cache_key(key: Hashable) -> bytes:
    """A fixed 32 bytes for a request's key (its parts: mode, model, text, task states...)."""
    return hashlib.sha256(json.dumps(key, default=str, ensure_ascii=False).encode()).digest()


def cached(uow: UnitOfWork, key: Hashable, ttl_seconds: float) -> Suggestion | None:
    if ttl_seconds <= 0:
        return None
    with uow:
        stored = uow.session.scalar(
            select(AiCacheEntry.suggestion).where(
                AiCacheEntry.key == cache_key(key),
                AiCacheEntry.expires_at > func.clock_timestamp(),
            )
        )
    return _from_json(stored) if stored is not None else None


def remember(uow: UnitOfWork, key: Hashable, suggestion: Suggestion, ttl_seconds: float) -> None:
    if ttl_seconds <= 0:
        return
    expires = func.clock_timestamp() + dt.timedelta(seconds=ttl_seconds)
    value = dataclasses.asdict(suggestion)
    with uow:
        s = uow.session
        s.execute(
            pg_insert(AiCacheEntry)
            .values(key=cache_key(key), suggestion=value, expires_at=expires)
            .on_conflict_do_update(
                index_elements=[AiCacheEntry.key], set_={"suggestion": value, "expires_at": expires}
            )
        )
        sweep(s, AiCacheEntry, AiCacheEntry.key, AiCacheEntry.expires_at <= func.clock_timestamp())
        extra = s.execute(select(func.count()).select_from(AiCacheEntry)).scalar_one() - CACHE_MAX
        if extra > 0:
            soonest = select(AiCacheEntry.key).order_by(AiCacheEntry.expires_at).limit(extra)
            s.execute(delete(AiCacheEntry).where(AiCacheEntry.key.in_(soonest)))
        uow.commit()


def _from_json(stored: dict[str, Any]) -> Suggestion:
    def item(data: dict[str, Any]) -> PlanItem:
        return PlanItem(**(data | {"status": Status(data["status"])}))

    lists = {"steps": tuple, "acceptance_criteria": tuple}
    values = {k: lists[k](v) if k in lists else v for k, v in stored.items()}
    values["items"] = tuple(item(i) for i in stored.get("items", ()))
    values["later"] = tuple(item(i) for i in stored.get("later", ()))
    return Suggestion(**values)  # type: ignore[arg-type]  # the fields asdict() wrote
