"""analytics: per-user daily totals and per-task status times, kept by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Grouping a year of raw time entries (a million rows) takes over a second; the same figures
from one row per user per day take milliseconds. Likewise the time a task spent in each status
needs a window over its events; task_flow keeps the answer per task. Both are kept by
statement-level triggers with transition tables, so every writer (services, COPY in demo seed,
deletes with a task) keeps them right in its own transaction, and a bulk COPY costs one grouped
statement rather than one per row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Old rows are subtracted first and new rows added after, so an edit that moves an entry to
# another day lands right; days left with no entries are dropped. Inserts are sorted so
# concurrent writers lock rows in the same order. (An upsert cannot carry a negative delta:
# CHECK constraints are tested on the proposed row before the conflict is found.)
DAY_TOTALS_APPLY = """
CREATE FUNCTION user_day_totals_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE user_day_totals t
        SET minutes = t.minutes - d.minutes, entries = t.entries - d.entries
        FROM (
            SELECT user_id, spent_on, sum(minutes) AS minutes, count(*) AS entries
            FROM old_rows GROUP BY 1, 2
        ) d
        WHERE t.user_id = d.user_id AND t.spent_on = d.spent_on;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO user_day_totals AS t (user_id, spent_on, minutes, entries)
        SELECT user_id, spent_on, sum(minutes), count(*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (user_id, spent_on) DO UPDATE
            SET minutes = t.minutes + excluded.minutes, entries = t.entries + excluded.entries;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM user_day_totals t
        USING (SELECT DISTINCT user_id, spent_on FROM old_rows) o
        WHERE t.user_id = o.user_id AND t.spent_on = o.spent_on AND t.entries = 0;
    END IF;
    RETURN NULL;
END
$$
"""

# DELETE, not TRUNCATE: `TRUNCATE users, time_entries CASCADE` has already emptied the totals
# in the same statement, and truncating them again there is refused as "in use".
DAY_TOTALS_TRUNCATE = """
CREATE FUNCTION user_day_totals_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM user_day_totals;
    RETURN NULL;
END
$$
"""

# A task's flow from all its events: when it first started, the seconds spent in each status
# between one event and the next (the latest event's status is still running), and when it
# was finished if its latest event is the move to done (span is NULL only on the latest).
FLOW_OF_TASKS = """
SELECT task_id,
       min(at) FILTER (WHERE to_status = 'in_progress'),
       coalesce(sum(span) FILTER (WHERE to_status = 'todo'), 0),
       coalesce(sum(span) FILTER (WHERE to_status = 'in_progress'), 0),
       coalesce(sum(span) FILTER (WHERE to_status = 'done'), 0),
       max(at) FILTER (WHERE span IS NULL AND to_status = 'done')
FROM (
    SELECT e.task_id, e.to_status, e.at,
           extract(epoch FROM lead(e.at) OVER (PARTITION BY e.task_id ORDER BY e.at, e.id)
                              - e.at)::double precision AS span
    FROM task_events e {only}
) spans
GROUP BY task_id
"""
FLOW_COLUMNS = (
    "(task_id, first_started_at, todo_seconds, in_progress_seconds, done_seconds, finished_at)"
)

# Recomputed from the task's events rather than incremented, so events arriving out of order
# (or deleted) still give the right answer. Moves lock their task, so one task's flow is never
# written by two transactions at once.
FLOW_REFRESH = f"""
CREATE FUNCTION task_flow_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids integer[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT task_id) INTO ids FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT task_id) INTO ids FROM new_rows;
    END IF;
    INSERT INTO task_flow AS f {FLOW_COLUMNS}
    {FLOW_OF_TASKS.format(only="JOIN unnest(ids) AS touched(task_id) USING (task_id)")}
    ORDER BY task_id
    ON CONFLICT (task_id) DO UPDATE SET
        first_started_at = excluded.first_started_at,
        todo_seconds = excluded.todo_seconds,
        in_progress_seconds = excluded.in_progress_seconds,
        done_seconds = excluded.done_seconds,
        finished_at = excluded.finished_at;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM task_flow f
        WHERE f.task_id = ANY(ids)
          AND NOT EXISTS (SELECT FROM task_events e WHERE e.task_id = f.task_id);
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 (built from the constants above, no input)

ON_INSERT = "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows"
ON_UPDATE = "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
ON_DELETE = "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows"
TRIGGERS = {  # name: (table, when, function)
    "user_day_totals_on_insert": ("time_entries", ON_INSERT, "user_day_totals_apply"),
    "user_day_totals_on_update": ("time_entries", ON_UPDATE, "user_day_totals_apply"),
    "user_day_totals_on_delete": ("time_entries", ON_DELETE, "user_day_totals_apply"),
    "user_day_totals_on_truncate": (
        "time_entries",
        "AFTER TRUNCATE ON {table}",
        "user_day_totals_truncate",
    ),
    "task_flow_on_insert": ("task_events", ON_INSERT, "task_flow_refresh"),
    "task_flow_on_update": ("task_events", ON_UPDATE, "task_flow_refresh"),
    "task_flow_on_delete": ("task_events", ON_DELETE, "task_flow_refresh"),
}
FUNCTIONS = {
    "user_day_totals_apply": DAY_TOTALS_APPLY,
    "user_day_totals_truncate": DAY_TOTALS_TRUNCATE,
    "task_flow_refresh": FLOW_REFRESH,
}


def upgrade() -> None:
    # Writers wait from here until the triggers exist (the mode CREATE TRIGGER takes anyway;
    # reads go on). Otherwise a row written by a replica still on the old code between the
    # backfill's snapshot and CREATE TRIGGER would be counted by neither.
    op.execute("LOCK TABLE time_entries, task_events IN SHARE ROW EXCLUSIVE MODE")
    op.create_table(
        "user_day_totals",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column(
            "week",
            sa.Date(),
            sa.Computed(
                "(date_trunc('week'::text, (spent_on)::timestamp without time zone))::date",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes >= 0", name=op.f("ck_user_day_totals_minutes")),
        sa.CheckConstraint("entries >= 0", name=op.f("ck_user_day_totals_entries")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_day_totals_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "spent_on", name=op.f("pk_user_day_totals")),
    )
    op.create_index(
        "ix_user_day_totals_spent_on",
        "user_day_totals",
        ["spent_on"],
        unique=False,
        postgresql_include=["user_id", "minutes"],
    )
    op.create_table(
        "task_flow",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("first_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("todo_seconds", sa.Double(), nullable=False),
        sa.Column("in_progress_seconds", sa.Double(), nullable=False),
        sa.Column("done_seconds", sa.Double(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_flow_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_task_flow")),
    )
    op.create_index(
        "ix_task_flow_finished_at",
        "task_flow",
        ["finished_at"],
        unique=False,
        postgresql_where=sa.text("finished_at IS NOT NULL"),
    )
    op.create_index(
        "ix_tasks_done_at",
        "tasks",
        ["done_at"],
        unique=False,
        postgresql_where=sa.text("status = 'done'"),
    )
    op.create_index(
        "ix_tasks_open_status",
        "tasks",
        ["status"],
        unique=False,
        postgresql_where=sa.text("status <> 'done'"),
    )
    op.execute(
        "INSERT INTO user_day_totals (user_id, spent_on, minutes, entries) "
        "SELECT user_id, spent_on, sum(minutes), count(*) FROM time_entries GROUP BY 1, 2"
    )
    op.execute(f"INSERT INTO task_flow {FLOW_COLUMNS} {FLOW_OF_TASKS.format(only='')}")
    # Fresh statistics, or the first queries plan for empty tables.
    op.execute("ANALYZE user_day_totals, task_flow")
    for sql in FUNCTIONS.values():
        op.execute(sql)
    for name, (table, when, function) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when.format(table=table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    for name, (table, _, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for name in FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}()")
    op.drop_index("ix_tasks_open_status", table_name="tasks")
    op.drop_index("ix_tasks_done_at", table_name="tasks")
    op.drop_index("ix_task_flow_finished_at", table_name="task_flow")
    op.drop_table("task_flow")
    op.drop_index("ix_user_day_totals_spent_on", table_name="user_day_totals")
    op.drop_table("user_day_totals")
