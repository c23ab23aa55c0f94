"""Timesheet weeks (submitted, approved, sent back) and the reminders about them
(migration 0007)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sprintsync.models.base import Base, Timestamp, _in

WEEK_STATES = ("draft", "submitted", "approved", "returned")


class TimesheetWeek(Base):
    """A person's week once anything happened to it (time logged in it, a submission). A week
    without a row and without time is missing. Its row is what approvals and every writer of
    time in the week agree through (see services/week_lock.py)."""

    __tablename__ = "timesheet_weeks"
    __table_args__ = (
        CheckConstraint(_in("state", WEEK_STATES), name="state"),
        CheckConstraint("extract(isodow FROM week) = 1", name="monday"),
        Index("ix_timesheet_weeks_week_state", "week", "state"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # its Monday
    state: Mapped[str] = mapped_column(String(16), server_default="draft")
    # The approver's or returner's comment, or an admin's reason for reopening.
    comment: Mapped[str] = mapped_column(Text, server_default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Up by one on every change of state: a decision names the version it was made on.
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class Reminder(Base):
    """An in-app reminder about a missing or short week, shown until its person dismisses it.
    One per person and week: reminding again refreshes it and shows it again."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "week"),
        CheckConstraint("logged_minutes >= 0 AND expected_minutes >= 0", name="minutes"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[dt.date] = mapped_column(Date)
    logged_minutes: Mapped[int] = mapped_column(Integer)
    expected_minutes: Mapped[int] = mapped_column(Integer)
    times: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    reminded_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
