"""State that every app replica must agree on (migration 0005): kept in PostgreSQL, not in a
process. Each table expires its own rows, so none grows without bound."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sprintsync.models.base import Base, Timestamp


def name_digest(column: Any) -> Any:
    """SQL for the key of a sign-in name (sprintsync.services.auth.name_key in Python)."""
    return func.sha256(func.convert_to(func.lower(column), "UTF8"))


class SignInFailure(Base):
    """Failed sign-ins per name, for real accounts and names that do not exist alike, so the
    lockout cannot tell them apart. Keyed by a SHA-256 of the lower-cased name: the typed text
    is never kept (people type passwords into the username field). A row whose last failure
    is older than the lockout and holds no lock counts for nothing and is swept."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        CheckConstraint("failures > 0", name="failures"),
        Index("ix_sign_in_failures_last_failed_at", "last_failed_at"),
    )

    name_key: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[dt.datetime] = mapped_column(Timestamp)
    locked_until: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class RateHit(Base):
    """One request counted against a moving one-minute limit (`bucket` names whose limit,
    e.g. `ai:user:12`). A bucket holds at most its limit of rows; older rows are swept."""

    __tablename__ = "rate_hits"
    __table_args__ = (
        Index("ix_rate_hits_bucket_at", "bucket", "at"),
        Index("ix_rate_hits_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(Timestamp)


class AiCacheEntry(Base):
    """A Gemini answer kept for SPRINTSYNC_AI_CACHE_MINUTES, keyed by a SHA-256 of the
    request, so every replica answers a repeated request from one cache."""

    __tablename__ = "ai_cache"
    __table_args__ = (Index("ix_ai_cache_expires_at", "expires_at"),)

    key: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True)
    suggestion: Mapped[dict[str, Any]] = mapped_column(JSONB)
    expires_at: Mapped[dt.datetime] = mapped_column(Timestamp)
