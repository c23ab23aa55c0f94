"""Estimate accuracy by person and kind of work: for the tasks finished in the range with an
estimate and time logged, how the time logged compares with the estimate, and what became of
the drafts each person was shown (kept, edited, discarded; ai_drafts, migration 0008).

The figures are sums grouped in SQL per owner and title (a title's kind of work is read by
the same classifier the drafts use, once per distinct title, so a workspace with many tasks
of one title costs one reading); the kinds are then added up. Drafts are counted per person
and kind in SQL; an open draft older than outcomes.OPEN_HOURS counts as discarded.
Members may ask about themselves only, as everywhere in analytics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import Status
from sprintsync.models import AiDraft, Task, User
from sprintsync.services.ai.kinds import classify
from sprintsync.services.ai.outcomes import OPEN_HOURS
from sprintsync.services.analytics.scope import Scope, answer, run
from sprintsync.services.views import Actor

WITHIN = 0.25  # "on target": the time logged within 25% of the estimate
COLUMNS = [
    "user",
    "kind",
    "tasks",
    "estimate_minutes",
    "actual_minutes",
    "within",
    "miss_minutes",
    "drafts_kept",
    "drafts_edited",
    "drafts_discarded",
]
SUMS = COLUMNS[2:]


@lru_cache(maxsize=4096)
def _kind(title: str) -> str:
    return classify(title)


def _finished(session: Session, scope: Scope) -> pd.DataFrame:
    actual, estimate = Task.total_minutes, Task.estimate_minutes
    on_target = func.abs(actual - estimate) <= estimate * WITHIN
    query = (
        select(
            User.username,
            Task.title,
            func.count(),
            func.sum(estimate),
            func.sum(actual),
            func.count().filter(on_target),
            func.sum(func.abs(actual - estimate)),
        )
        .join(User, User.id == Task.owner_id)
        .where(
            Task.status == Status.DONE.value,
            scope.instants(Task.done_at),
            scope.who(Task.owner_id),
            estimate.is_not(None),
            actual > 0,
        )
        .group_by(User.username, Task.title)
    )
    names = ["user", "title", "tasks", "estimate_minutes", "actual_minutes", "within"]
    return run(session, query, [*names, "miss_minutes"], ints=[*names[2:], "miss_minutes"])


def _drafts(session: Session, scope: Scope) -> pd.DataFrame:
    stale = AiDraft.created_at < func.now() - dt.timedelta(hours=OPEN_HOURS)
    outcome = case(
        (AiDraft.outcome.in_(("kept", "edited")), AiDraft.outcome),
        ((AiDraft.outcome == "discarded") | stale, literal("discarded")),
        else_=literal("open"),
    )
    query = (
        select(
            User.username,
            AiDraft.kind,
            func.count().filter(outcome == "kept"),
            func.count().filter(outcome == "edited"),
            func.count().filter(outcome == "discarded"),
        )
        .join(User, User.id == AiDraft.user_id)
        .where(scope.instants(AiDraft.created_at), scope.who(AiDraft.user_id))
        .group_by(User.username, AiDraft.kind)
    )
    counts = ["drafts_kept", "drafts_edited", "drafts_discarded"]
    return run(session, query, ["user", "kind", *counts], ints=counts)


def accuracy_query(session: Session, scope: Scope) -> pd.DataFrame:
    tasks = _finished(session, scope)
    tasks["kind"] = pd.Series([_kind(t) for t in tasks["title"]], index=tasks.index, dtype=object)
    by_kind = tasks.drop(columns="title").groupby(["user", "kind"], as_index=False).sum()
    merged = by_kind.merge(_drafts(session, scope), on=["user", "kind"], how="outer")
    merged[SUMS] = merged[SUMS].fillna(0).astype("int64")
    return merged[COLUMNS].sort_values(["user", "kind"], ignore_index=True)


def estimate_accuracy(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Per person and kind of work: finished tasks with an estimate and time (tasks), their
    estimates and time logged, how many were within 25% of the estimate, the minutes missed
    either way, and the drafts kept, edited and discarded. Columns: COLUMNS."""
    return answer(uow, actor, start, end, user_ids, accuracy_query)
