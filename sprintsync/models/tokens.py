"""Personal access tokens for the HTTP API (migration 0009)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sprintsync.models.base import Base, Timestamp

TOKEN_SCOPES = ("read", "write")


class ApiToken(Base):
    """A token its owner made: only a SHA-256 of the secret is kept (the secret is shown once
    and never stored), with its first characters as `prefix`, so a person can tell their
    tokens apart. Revoked tokens stay, for the record; they never authenticate again."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("scope IN ('read', 'write')", name="scope"),
        CheckConstraint("char_length(btrim(name)) BETWEEN 1 AND 80", name="name"),
        Index("uq_api_tokens_hash", "hash", unique=True),
        Index("ix_api_tokens_owner_id", "owner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(8))
    expires_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    last_used_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
