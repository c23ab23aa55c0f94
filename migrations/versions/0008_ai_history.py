"""ai history: drafts and what became of them, full-text search over tasks, focus hours

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08

The AI helpers ground their drafts in the team's finished work: a GIN index over each task's
title and description (ix_tasks_search, the expression in models.core.SEARCH_DOCUMENT) finds
the tasks like a new title. ai_drafts records each draft shown and whether a task was made
from it as drafted (kept), changed first (edited), or not at all (discarded), so estimates
can be compared with the time logged once the task is done. users.focus_minutes is each
person's focus time for the day plan (NULL: SPRINTSYNC_FOCUS_HOURS). Nothing existing is
rewritten: a column without a default, a new table, an index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Kept here as written when this revision was made (models.core.SEARCH_DOCUMENT may move on).
SEARCH_DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, (title)::text), 'A'::\"char\") || "
    "setweight(to_tsvector('english'::regconfig, \"left\"(description, 4000)), 'B'::\"char\"))"
)


def upgrade() -> None:
    op.add_column("users", sa.Column("focus_minutes", sa.Integer(), nullable=True))
    op.create_check_constraint(
        op.f("ck_users_focus_minutes"),
        "users",
        "focus_minutes IS NULL OR focus_minutes BETWEEN 30 AND 960",
    )
    op.create_index(
        "ix_tasks_search", "tasks", [sa.literal_column(SEARCH_DOCUMENT)], postgresql_using="gin"
    )
    op.create_table(
        "ai_drafts",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("estimate_minutes", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=10), server_default="open", nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "source IN ('gemini', 'history', 'rules')", name=op.f("ck_ai_drafts_source")
        ),
        sa.CheckConstraint(
            "outcome IN ('open', 'kept', 'edited', 'discarded')", name=op.f("ck_ai_drafts_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ai_drafts_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_ai_drafts_task_id_tasks"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_drafts")),
    )
    op.create_index("ix_ai_drafts_user_id_created_at", "ai_drafts", ["user_id", "created_at"])
    op.create_index("uq_ai_drafts_task_id", "ai_drafts", ["task_id"], unique=True)


def downgrade() -> None:
    op.drop_table("ai_drafts")
    op.drop_index("ix_tasks_search", table_name="tasks")
    op.drop_constraint(op.f("ck_users_focus_minutes"), "users", type_="check")
    op.drop_column("users", "focus_minutes")
