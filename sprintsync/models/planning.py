"""Projects, sprints and what they held over time, tags, and the time rollups by project,
sprint and tag (migration 0006)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sprintsync.models.base import Base, Timestamp
from sprintsync.models.core import WEEK_OF_SPENT_ON


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


def _keys(table: str, *keys: str) -> tuple[UniqueConstraint, Index]:
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
    __mapper_args__ = {"primary_key": list(WORK_KEY)}  # noqa: RUF012  (SQLAlchemy reads it once)


class TagDayTotal(_WorkTotals, Base):
    """An entry counts once for each tag its task carries."""

    __tablename__ = "tag_day_totals"
    __table_args__ = (
        *_keys("tag_day_totals", "tag_id", *WORK_KEY),
        Index("ix_tag_day_totals_tag_id_spent_on", "tag_id", "spent_on"),
    )
    __mapper_args__ = {"primary_key": ["tag_id", *WORK_KEY]}  # noqa: RUF012

    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
