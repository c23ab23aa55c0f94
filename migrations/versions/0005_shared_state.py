"""shared state: sign-in failures, rate limits and the AI cache in PostgreSQL; timers keep tasks

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-01

What several app replicas must agree on moves out of process memory: failed sign-ins per
name (real accounts and unknown names alike, so the lockout cannot reveal which exist; this
replaces users.failed_logins and users.locked_until, whose locks are carried over), the
moving-window rate limits and the AI answer cache. A running timer no longer disappears
with its task: the foreign key restricts instead of cascading.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timer_task_key(ondelete: str) -> None:
    op.drop_constraint(op.f("fk_timers_task_id_tasks"), "timers", type_="foreignkey")
    op.create_foreign_key(
        op.f("fk_timers_task_id_tasks"), "timers", "tasks", ["task_id"], ["id"], ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("name_key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("failures > 0", name=op.f("ck_sign_in_failures_failures")),
        sa.PrimaryKeyConstraint("name_key", name=op.f("pk_sign_in_failures")),
    )
    op.create_index(
        op.f("ix_sign_in_failures_last_failed_at"), "sign_in_failures", ["last_failed_at"]
    )
    op.create_table(
        "rate_hits",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("bucket", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_hits")),
    )
    op.create_index(op.f("ix_rate_hits_bucket_at"), "rate_hits", ["bucket", "at"])
    op.create_index(op.f("ix_rate_hits_at"), "rate_hits", ["at"])
    op.create_table(
        "ai_cache",
        sa.Column("key", sa.LargeBinary(length=32), nullable=False),
        sa.Column("suggestion", sa.dialects.postgresql.JSONB(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ai_cache")),
    )
    op.create_index(op.f("ix_ai_cache_expires_at"), "ai_cache", ["expires_at"])
    # Failures still counting towards a lock, and locks still running, carry over.
    op.execute(
        """
        INSERT INTO sign_in_failures (name_key, failures, last_failed_at, locked_until)
        SELECT sha256(convert_to(lower(username), 'UTF8')), failed_logins, now(),
               CASE WHEN locked_until > now() THEN locked_until END
        FROM users WHERE failed_logins > 0 OR locked_until > now()
        """
    )
    op.drop_constraint(op.f("ck_users_failed_logins"), "users", type_="check")
    op.drop_column("users", "failed_logins")
    op.drop_column("users", "locked_until")
    _timer_task_key("RESTRICT")


def downgrade() -> None:
    _timer_task_key("CASCADE")
    op.add_column(
        "users",
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f("ck_users_failed_logins"), "users", "failed_logins >= 0")
    op.execute(
        """
        UPDATE users u SET failed_logins = f.failures, locked_until = f.locked_until
        FROM sign_in_failures f WHERE f.name_key = sha256(convert_to(lower(u.username), 'UTF8'))
        """
    )
    op.drop_index(op.f("ix_ai_cache_expires_at"), table_name="ai_cache")
    op.drop_table("ai_cache")
    op.drop_index(op.f("ix_rate_hits_at"), table_name="rate_hits")
    op.drop_index(op.f("ix_rate_hits_bucket_at"), table_name="rate_hits")
    op.drop_table("rate_hits")
    op.drop_index(op.f("ix_sign_in_failures_last_failed_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
