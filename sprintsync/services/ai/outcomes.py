"""What became of each draft (ai_drafts, migration 0008): open while it is on screen, kept
when a task was created from it as drafted, edited when the task was saved with changes to
the title, the drafted text or the estimate, discarded when another draft replaced it or it
was never used. Once the task is done, its estimate is compared with the time logged
(analytics.accuracy), so the figures stay exact whatever happens to the task meanwhile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.errors import ValidationError
from sprintsync.models import AiDraft
from sprintsync.services.ai.suggestion import Suggestion
from sprintsync.services.common import acting_user
from sprintsync.services.views import Actor

DRAFTS_SHOWN_MAX = 200


@dataclass(frozen=True, slots=True)
class DraftRecord:
    id: int
    title: str
    kind: str
    source: str  # gemini, history or rules
    estimate_minutes: int | None
    outcome: str  # open, kept, edited or discarded
    task_id: int | None
    created_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "source": self.source,
            "estimate_minutes": self.estimate_minutes,
            "outcome": self.outcome,
            "task_id": self.task_id,
            "created_at": self.created_at.isoformat(),
        }


def my_drafts(uow: UnitOfWork, *, actor: Actor, limit: int = 20) -> list[DraftRecord]:
    """Your most recent drafts, newest first, with what became of each."""
    if not 1 <= limit <= DRAFTS_SHOWN_MAX:
        raise ValidationError(f"Show between 1 and {DRAFTS_SHOWN_MAX} drafts.")
    with uow:
        me = acting_user(uow.session, actor)
        rows = uow.session.scalars(
            select(AiDraft)
            .where(AiDraft.user_id == me.id)
            .order_by(AiDraft.created_at.desc(), AiDraft.id.desc())
            .limit(limit)
        ).all()
        return [
            DraftRecord(
                r.id,
                r.title,
                r.kind,
                r.source,
                r.estimate_minutes,
                r.outcome,
                r.task_id,
                r.created_at,
            )
            for r in rows
        ]


OPEN_HOURS = 24  # an open draft older than this counts as discarded: it was never used


def record_draft(session: Session, me: Actor, suggestion: Suggestion, title: str) -> int:
    """Keep a draft just shown to `me`; their earlier open drafts are discarded (one form,
    one draft on it at a time: a new one replaces what the last one filled in)."""
    session.execute(
        update(AiDraft)
        .where(AiDraft.user_id == me.id, AiDraft.outcome == "open")
        .values(outcome="discarded", decided_at=func.now())
    )
    return int(
        session.execute(
            insert(AiDraft)
            .values(
                user_id=me.id,
                kind=suggestion.kind or "general",
                source=suggestion.basis,
                title=title,
                description=suggestion.description(),
                estimate_minutes=suggestion.estimate_minutes,
            )
            .returning(AiDraft.id)
        ).scalar_one()
    )


def link_draft(
    session: Session,
    me: Actor,
    draft_id: int,
    task_id: int,
    title: str,
    description: str,
    estimate_minutes: int | None,
) -> str | None:
    """In create_task's transaction: mark `me`'s open draft as used for the new task, kept or
    edited by comparing what was saved with what was drafted. A draft that is not theirs, not
    open any more or unknown is left alone (the task is saved all the same): None."""
    draft = session.execute(
        select(AiDraft)
        .where(AiDraft.id == draft_id, AiDraft.user_id == me.id, AiDraft.outcome == "open")
        .with_for_update()
    ).scalar_one_or_none()
    if draft is None:
        return None
    kept = (
        " ".join(title.split()).casefold() == " ".join(draft.title.split()).casefold()
        and draft.description.strip() in description
        and estimate_minutes == draft.estimate_minutes
    )
    outcome = "kept" if kept else "edited"
    session.execute(
        update(AiDraft)
        .where(AiDraft.id == draft.id)
        .values(task_id=task_id, outcome=outcome, decided_at=func.now())
    )
    return outcome
