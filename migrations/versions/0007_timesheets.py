"""timesheets: entries' start and end times (never overlapping per person), expected hours,
timesheet weeks (draft, submitted, approved, sent back) and reminders

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08

Existing entries keep no times (both columns NULL), so the exclusion constraint, which only
looks at timed entries, holds for them at once. Nothing is backfilled: a week without a row
is a draft if it holds time and missing otherwise, which is what every existing week is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPAN = (
    "(start_minute IS NULL AND end_minute IS NULL) OR (start_minute >= 0 "
    "AND end_minute <= 1440 AND start_minute < end_minute "
    "AND minutes = end_minute - start_minute)"
)


def _now(name: str) -> sa.Column:
    return sa.Column(
        name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
    )


def upgrade() -> None:
    op.add_column("time_entries", sa.Column("start_minute", sa.Integer(), nullable=True))
    op.add_column("time_entries", sa.Column("end_minute", sa.Integer(), nullable=True))
    op.create_check_constraint(op.f("ck_time_entries_span"), "time_entries", SPAN)
    # GiST over three ranges (one-point ranges stand for "same person" and "same day"), so
    # no btree_gist is needed; only timed entries take part.
    op.execute(
        "ALTER TABLE time_entries ADD CONSTRAINT ex_time_entries_overlap EXCLUDE USING gist "
        "(int4range(user_id, user_id, '[]') WITH &&, daterange(spent_on, spent_on, '[]') WITH &&, "
        "int4range(start_minute, end_minute) WITH &&) WHERE (start_minute IS NOT NULL)"
    )
    op.add_column("users", sa.Column("expected_week_minutes", sa.Integer(), nullable=True))
    op.create_check_constraint(
        op.f("ck_users_expected_week"),
        "users",
        "expected_week_minutes IS NULL OR expected_week_minutes BETWEEN 0 AND 10080",
    )
    op.create_table(
        "timesheet_weeks",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        _now("updated_at"),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved', 'returned')",
            name=op.f("ck_timesheet_weeks_state"),
        ),
        sa.CheckConstraint("extract(isodow FROM week) = 1", name=op.f("ck_timesheet_weeks_monday")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_timesheet_weeks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_timesheet_weeks_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", "week", name=op.f("pk_timesheet_weeks")),
    )
    op.create_index("ix_timesheet_weeks_week_state", "timesheet_weeks", ["week", "state"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("logged_minutes", sa.Integer(), nullable=False),
        sa.Column("expected_minutes", sa.Integer(), nullable=False),
        sa.Column("times", sa.Integer(), server_default="1", nullable=False),
        _now("created_at"),
        _now("reminded_at"),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "logged_minutes >= 0 AND expected_minutes >= 0", name=op.f("ck_reminders_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminders_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint("user_id", "week", name=op.f("uq_reminders_user_id_week")),
    )


def downgrade() -> None:
    op.drop_table("reminders")
    op.drop_index("ix_timesheet_weeks_week_state", table_name="timesheet_weeks")
    op.drop_table("timesheet_weeks")
    op.drop_constraint(op.f("ck_users_expected_week"), "users", type_="check")
    op.drop_column("users", "expected_week_minutes")
    op.execute("ALTER TABLE time_entries DROP CONSTRAINT ex_time_entries_overlap")
    op.drop_constraint(op.f("ck_time_entries_span"), "time_entries", type_="check")
    op.drop_column("time_entries", "end_minute")
    op.drop_column("time_entries", "start_minute")
