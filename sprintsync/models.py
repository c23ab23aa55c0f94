"""The schema: SQLAlchemy 2.0 typed tables. Nothing else knows table or column names."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import ColumnElement

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("member", "manager", "admin")
STATUSES = ("todo", "in_progress", "done")
PRIORITIES = ("urgent", "high", "normal", "low")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


Timestamp = DateTime(timezone=True)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(r"username ~ '^[A-Za-z0-9._-]{3,32}$'", name="username"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(120), server_default="")
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), server_default="member")
    is_active: Mapped[bool] = mapped_column(server_default=text("true"))
    failed_logins: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(Timestamp)
    token_version: Mapped[int] = mapped_column(Integer, server_default="0")
    skills: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(Timestamp)


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
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # Deleting a task with entries is an explicit, confirmed service action, never a cascade.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    minutes: Mapped[int] = mapped_column(Integer)
    spent_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


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
    # Deleting a task (a confirmed action) discards a timer running on it.
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class Project(Base):
    """What tasks are filed under. Archived, not deleted: its tasks and time stay."""

    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("key ~ '^[A-Z]{2,10}$'", name="key"),
        CheckConstraint("char_length(btrim(name)) BETWEEN 1 AND 120", name="name"),
        CheckConstraint("budget_minutes IS NULL OR budget_minutes > 0", name="budget"),
        CheckConstraint("NOT (is_default AND archived)", name="default_active"),
        # At most one default project: where a task filed without one goes.
        Index(
            "uq_projects_is_default", "is_default", unique=True, postgresql_where=text("is_default")
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, server_default="")
    budget_minutes: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(server_default=text("false"))
    is_default: Mapped[bool] = mapped_column(server_default=text("false"))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class Sprint(Base):
    """A project's time box, both dates inclusive; what it held over time is sprint_changes."""

    __tablename__ = "sprints"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("ends_on - starts_on < 92", name="length"),
        CheckConstraint("char_length(btrim(name)) BETWEEN 1 AND 80", name="name"),
        UniqueConstraint("id", "project_id"),  # what tasks' (sprint_id, project_id) refers to
        Index("uq_sprints_project_id_name", "project_id", func.lower(text("name")), unique=True),
        Index("ix_sprints_project_id_starts_on", "project_id", "starts_on"),
        # Sprints of one project never overlap. GiST over two ranges: a one-point int4range
        # stands for "same project", which needs no btree_gist (not in every PostgreSQL).
        ExcludeConstraint(
            (literal_column("int4range(project_id, project_id, '[]')"), "&&"),
            (literal_column("daterange(starts_on, ends_on, '[]')"), "&&"),
            name="ex_sprints_overlap",
            using="gist",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    goal: Mapped[str] = mapped_column(Text, server_default="")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(Timestamp, server_default=func.now())


class SprintChange(Base):
    """A task's state in a sprint from `at` on (in it or not, estimate, done or not), written
    by triggers on tasks (migration 0006) on each change: a sprint's scope at an instant is
    each task's latest row before it, so a closed sprint's figures never move. No foreign
    key to tasks: the history outlives a deleted task."""

    __tablename__ = "sprint_changes"
    __table_args__ = (Index("ix_sprint_changes_sprint_id_at", "sprint_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(Timestamp)
    in_sprint: Mapped[bool]
    estimate_minutes: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[bool]


class Tag(Base):
    __tablename__ = "tags"
    __table_args__ = (
        CheckConstraint(
            "char_length(name) BETWEEN 1 AND 40 AND name = btrim(name) AND strpos(name, ',') = 0",
            name="name",
        ),
        Index("uq_tags_name_lower", func.lower(text("name")), unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class TaskTag(Base):
    __tablename__ = "task_tags"
    __table_args__ = (Index("ix_task_tags_tag_id_task_id", "tag_id", "task_id"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)


class _WorkTotals:
    """Minutes and entries per project, sprint (or none), user and day, by each entry's task's
    current project and sprint: rollups of time_entries kept by triggers on time_entries,
    tasks and task_tags (migration 0006). Never written here. The key is one unique
    constraint where a missing sprint is a value like any other (NULLS NOT DISTINCT,
    PostgreSQL 15+): what the triggers' upserts find rows by."""

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    sprint_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    spent_on: Mapped[dt.date] = mapped_column(Date)
    week: Mapped[dt.date] = mapped_column(Date, Computed(WEEK_OF_SPENT_ON, persisted=True))
    minutes: Mapped[int] = mapped_column(BigInteger)
    entries: Mapped[int] = mapped_column(Integer)


def _keys(table: str, *keys: str) -> tuple:
    # Rows whose entries went to zero are found through a partial index, empty but for the
    # moment between a trigger's upsert and its clean-up.
    return (
        UniqueConstraint(*keys, name=f"uq_{table}_key", postgresql_nulls_not_distinct=True),
        Index(f"ix_{table}_emptied", "user_id", postgresql_where=text("entries = 0")),
    )


WORK_KEY = ("project_id", "sprint_id", "user_id", "spent_on")


class ProjectDayTotal(_WorkTotals, Base):
    __tablename__ = "project_day_totals"
    __table_args__ = (
        *_keys("project_day_totals", *WORK_KEY),
        Index(
            "ix_project_day_totals_spent_on",
            "spent_on",
            postgresql_include=["project_id", "sprint_id", "user_id", "minutes"],
        ),
    )
    __mapper_args__: ClassVar = {"primary_key": list(WORK_KEY)}


class TagDayTotal(_WorkTotals, Base):
    """An entry counts once for each tag its task carries."""

    __tablename__ = "tag_day_totals"
    __table_args__ = (
        *_keys("tag_day_totals", "tag_id", *WORK_KEY),
        Index("ix_tag_day_totals_tag_id_spent_on", "tag_id", "spent_on"),
    )
    __mapper_args__: ClassVar = {"primary_key": ["tag_id", *WORK_KEY]}

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
