"""task listing index: tasks by last change, as every task list sorts them by default

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Team (every task, most recently changed first, 25 a page) sorted all 100k tasks of the
benchmark database for each page: 83 ms. With the index, the page is read in index order.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tasks_updated_at_id", "tasks", ["updated_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tasks_updated_at_id", table_name="tasks")
