"""What the AI helpers keep (migration 0008): the drafts they made and what became of each.
(The full-text index over tasks that finds finished work like a new title is on Task.)"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from sprintsync.models.base import Base, Timestamp, _in

DRAFT_SOURCES = ("gemini", "history", "rules")
DRAFT_OUTCOMES = ("open", "kept", "edited", "discarded")


class AiDraft(Base):
    """A draft shown to someone: open until a task is created from it (kept as drafted, or
    edited first) or another draft replaces it (discarded)."""

    __tablename__ = "ai_drafts"
    __table_args__ = (
        CheckConstraint(_in("source", DRAFT_SOURCES), name="source"),
        CheckConstraint(_in("outcome", DRAFT_OUTCOMES), name="outcome"),
        Index("ix_ai_drafts_user_id_created_at", "user_id", "created_at"),
        Index("uq_ai_drafts_task_id", "task_id", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The task made from it; a deleted task leaves the draft's record (and its outcome).
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    estimate_minutes: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10), server_default="open")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    decided_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
