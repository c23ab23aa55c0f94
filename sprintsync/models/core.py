"""Users, tasks, their time, events, timers and the audit trail; and the rollups of time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql import ColumnElement

from sprintsync.models.base import PRIORITIES, ROLES, STATUSES, Base, Timestamp, _in

# What a task's words are for finding similar finished work (services/ai/history.py): its
# title weighs more than its description, of which the first 4,000 characters are read. The
# index (migration 0008) and the queries use this one expression, so the index serves them.
SEARCH_DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, title::text), 'A'::\"char\") || "
    "setweight(to_tsvector('english'::regconfig, \"left\"(description, 4000)), 'B'::\"char\"))"
)
FOCUS_MINUTES_MIN, FOCUS_MINUTES_MAX = 30, 960


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(r"username ~ '^[A-Za-z0-9._-]{3,32}$'", name="username"),
        CheckConstraint(
            "expected_week_minutes IS NULL OR expected_week_minutes BETWEEN 0 AND 10080",
            name="expected_week",
        ),
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
        CheckConstraint(
            f"focus_minutes IS NULL OR focus_minutes BETWEEN {FOCUS_MINUTES_MIN}"
            f" AND {FOCUS_MINUTES_MAX}",
            name="focus_minutes",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(120), server_default="")
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), server_default="member")
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    token_version: Mapped[int] = mapped_column(Integer, server_default="0")
    skills: Mapped[str] = mapped_column(Text, server_default="")
    # Hours a week this person is expected to log (minutes); None: SPRINTSYNC_EXPECTED_WEEK_HOURS.
    expected_week_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Set with a password someone else chose (a new account, a reset): the app asks for a
    # new one at sign-in before anything else.
    must_change_password: Mapped[bool] = mapped_column(server_default=text("false"))
    # Focus time for the day plan; None: SPRINTSYNC_FOCUS_HOURS.
    focus_minutes: Mapped[int | None] = mapped_column(Integer)


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint("char_length(btrim(title)) BETWEEN 1 AND 200", name="title"),
        CheckConstraint("estimate_minutes IS NULL OR estimate_minutes > 0", name="estimate"),
        CheckConstraint("total_minutes >= 0", name="total_minutes"),
        Index("ix_tasks_assignee_id_status", "assignee_id", "status"),
        # Analytics look up tasks finished in a date range, and the (few) open ones.
        Index("ix_tasks_done_at", "done_at", postgresql_where=text("status = 'done'")),
        Index("ix_tasks_open_status", "status", postgresql_where=text("status <> 'done'")),
        CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        # A task's sprint is one of its own project's (sprints.id, project_id is unique).
        ForeignKeyConstraint(
            ["sprint_id", "project_id"],
            ["sprints.id", "sprints.project_id"],
            name="fk_tasks_sprint_id_sprints",
            ondelete="RESTRICT",
        ),
        Index("ix_tasks_project_id_status", "project_id", "status"),
        Index("ix_tasks_sprint_id", "sprint_id", postgresql_where=text("sprint_id IS NOT NULL")),
        Index("ix_tasks_search", text(SEARCH_DOCUMENT), postgresql_using="gin"),
        # Task lists sort by last change by default (planning.TaskSort.CHANGED).
        Index("ix_tasks_updated_at_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default="")
    status: Mapped[str] = mapped_column(String(16), server_default="todo")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    estimate_minutes: Mapped[int | None] = mapped_column(Integer)
    total_minutes: Mapped[int] = mapped_column(Integer, server_default="0")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    done_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    # Writers naming no project get the default one (a function of migration 0006).
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="RESTRICT"), server_default=text("default_project_id()")
    )
    sprint_id: Mapped[int | None] = mapped_column(Integer)
    priority: Mapped[str] = mapped_column(String(8), server_default="normal")
    due_date: Mapped[dt.date | None] = mapped_column(Date)

    @hybrid_property
    def owner_id(self) -> int:
        """Whose task this is: its assignee, or its creator while nobody is assigned."""
        return self.assignee_id if self.assignee_id is not None else self.created_by_id

    @owner_id.inplace.expression
    @classmethod
    def _owner_id_expression(cls) -> ColumnElement[int]:
        return func.coalesce(cls.assignee_id, cls.created_by_id)


class TimeEntry(Base):
    __tablename__ = "time_entries"
    __table_args__ = (
        CheckConstraint("minutes BETWEEN 1 AND 1440", name="minutes"),
        Index("ix_time_entries_user_id_spent_on", "user_id", "spent_on"),
        Index("ix_time_entries_spent_on", "spent_on"),
        Index("ix_time_entries_task_id", "task_id"),
        # A start and end time of day (minutes after midnight, end up to 24:00) are optional;
        # when given, the duration is what lies between them.
        CheckConstraint(
            "(start_minute IS NULL AND end_minute IS NULL) OR (start_minute >= 0 "
            "AND end_minute <= 1440 AND start_minute < end_minute "
            "AND minutes = end_minute - start_minute)",
            name="span",
        ),
        # One person's timed entries never overlap on a day: three ranges, so no btree_gist.
        ExcludeConstraint(
            (literal_column("int4range(user_id, user_id, '[]')"), "&&"),
            (literal_column("daterange(spent_on, spent_on, '[]')"), "&&"),
            (literal_column("int4range(start_minute, end_minute)"), "&&"),
            name="ex_time_entries_overlap",
            using="gist",
            where=text("start_minute IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # Deleting a task with entries is an explicit, confirmed service action, never a cascade.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    minutes: Mapped[int] = mapped_column(Integer)
    spent_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    start_minute: Mapped[int | None] = mapped_column(Integer)
    end_minute: Mapped[int | None] = mapped_column(Integer)


WEEK_OF_SPENT_ON = "(date_trunc('week'::text, (spent_on)::timestamp without time zone))::date"


class UserDayTotal(Base):
    """Minutes and entries per user per day: a rollup of time_entries kept by triggers
    (migration 0003), so analytics group days, not a million entries. Never written here."""

    __tablename__ = "user_day_totals"
    __table_args__ = (
        CheckConstraint("minutes >= 0", name="minutes"),
        CheckConstraint("entries >= 0", name="entries"),
        Index("ix_user_day_totals_spent_on", "spent_on", postgresql_include=["user_id", "minutes"]),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    spent_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    # The Monday of spent_on's week, stored so grouping by week reads a plain column whose
    # statistics the planner knows (an expression would be guessed at one group per row).
    week: Mapped[dt.date] = mapped_column(Date, Computed(WEEK_OF_SPENT_ON, persisted=True))
    minutes: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(Integer)


class TaskFlow(Base):
    """Per task, from its events: the first start, the seconds spent in each status up to its
    latest event, and finished_at when that latest event is the move to done. Kept by
    triggers on task_events (migration 0003); never written here."""

    __tablename__ = "task_flow"
    __table_args__ = (
        Index(
            "ix_task_flow_finished_at",
            "finished_at",
            postgresql_where=text("finished_at IS NOT NULL"),
        ),
    )

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    first_started_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    todo_seconds: Mapped[float] = mapped_column(Double)
    in_progress_seconds: Mapped[float] = mapped_column(Double)
    done_seconds: Mapped[float] = mapped_column(Double)
    finished_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


class TaskEvent(Base):
    __tablename__ = "task_events"
    __table_args__ = (
        CheckConstraint(_in("to_status", STATUSES), name="to_status"),
        CheckConstraint(f"from_status IS NULL OR {_in('from_status', STATUSES)}", name="from"),
        Index("ix_task_events_task_id_at", "task_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_id_at", "actor_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # No foreign key: the record of what happened outlives whatever it was about.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), server_default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class Timer(Base):
    """A running timer. The row exists only while it runs; the primary key on user_id is the
    database's guarantee of one running timer per user, whatever races the app loses."""

    __tablename__ = "timers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # A running timer is time someone is tracking: a task with one is never deleted (the
    # service refuses, and the database backs it).
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="RESTRICT"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
