"""planning: projects, sprints, tags, priority and due dates; the sprint ledger and the
per-project and per-tag time rollups, kept by triggers

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01

Every task gets a project (existing ones go to "General", key GEN, the default project);
sprints are a project's non-overlapping time boxes. sprint_changes records, whenever a task's
sprint, estimate or done-ness changes, its state in the sprints concerned, so a sprint's scope
at any instant (its start, its end, each day of a burndown) is read back exactly and a closed
sprint's figures never move, whatever happens to its tasks later. project_day_totals and
tag_day_totals hold logged minutes per project, sprint, user and day (and per tag), by each
entry's task as it is now: statement-level triggers move the minutes when entries change,
when a task changes project or sprint, and when a task's tags change.
"""

# SQL here is built from the constants of this file only, never from input.
# ruff: noqa: S608

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WEEK = "(date_trunc('week'::text, (spent_on)::timestamp without time zone))::date"
WORK_KEY = "project_id, sprint_id, user_id, spent_on"


def upsert(table: str, key: str, deltas: str) -> str:
    """Add the signed (key..., minutes, n) rows of `deltas` to `table`, then drop rows left
    without entries. One statement, netted per key and sorted, so concurrent writers lock
    rollup rows in one order. (No CHECK on the rollups: an upsert's proposed row carries a
    negative delta, and CHECKs are tested on it before the conflict is found.)"""
    return f"""
    INSERT INTO {table} AS r ({key}, minutes, entries)
    SELECT {key}, sum(minutes), sum(n) FROM ({deltas}) deltas
    GROUP BY {key} HAVING sum(minutes) <> 0 OR sum(n) <> 0 ORDER BY {key}
    ON CONFLICT ({key}) DO UPDATE
        SET minutes = r.minutes + excluded.minutes, entries = r.entries + excluded.entries;
    DELETE FROM {table} WHERE entries = 0;
    """


def signed_entries(op_: str) -> str:
    """The entries a statement on time_entries removed (negative) and added (positive)."""
    old = "SELECT task_id, user_id, spent_on, -minutes AS minutes, -1 AS n FROM old_rows"
    new = "SELECT task_id, user_id, spent_on, minutes, 1 AS n FROM new_rows"
    return {"INSERT": new, "DELETE": old, "UPDATE": f"{old} UNION ALL {new}"}[op_]


def entries_function(op_: str) -> str:
    e = signed_entries(op_)
    project = (
        f"SELECT t.project_id, t.sprint_id, e.user_id, e.spent_on, e.minutes, e.n "
        f"FROM ({e}) e JOIN tasks t ON t.id = e.task_id"
    )
    tag = (
        f"SELECT g.tag_id, t.project_id, t.sprint_id, e.user_id, e.spent_on, e.minutes, e.n "
        f"FROM ({e}) e JOIN tasks t ON t.id = e.task_id JOIN task_tags g ON g.task_id = e.task_id"
    )
    return f"""
CREATE FUNCTION work_totals_entries_{op_.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {upsert("project_day_totals", WORK_KEY, project)}
    {upsert("tag_day_totals", "tag_id, " + WORK_KEY, tag)}
    RETURN NULL;
END
$$
"""


# Tasks that changed project or sprint take their entries' minutes along (old key minus,
# new key plus). Most updates of tasks (totals, statuses, titles) match no row here.
MOVED = (
    "FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN time_entries e ON e.task_id = o.id {tags}"
    " WHERE (o.project_id, o.sprint_id) IS DISTINCT FROM (w.project_id, w.sprint_id)"
)


def moved(tags: bool) -> str:
    join, tag = ("JOIN task_tags g ON g.task_id = o.id", "g.tag_id, ") if tags else ("", "")
    source = MOVED.format(tags=join)
    return (
        f"SELECT {tag}o.project_id, o.sprint_id, e.user_id, e.spent_on, -e.minutes AS minutes, "
        f"-1 AS n {source} UNION ALL "
        f"SELECT {tag}w.project_id, w.sprint_id, e.user_id, e.spent_on, e.minutes, 1 {source}"
    )


FOLLOW_TASKS = f"""
CREATE FUNCTION work_totals_follow_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {upsert("project_day_totals", WORK_KEY, moved(tags=False))}
    {upsert("tag_day_totals", "tag_id, " + WORK_KEY, moved(tags=True))}
    RETURN NULL;
END
$$
"""


def tags_function(op_: str) -> str:
    """Tags put on (or taken off) a task add (or remove) its entries under those tags."""
    rows = {"INSERT": [("new_rows", "")], "DELETE": [("old_rows", "-")]}.get(
        op_, [("old_rows", "-"), ("new_rows", "")]
    )
    parts = [
        f"SELECT g.tag_id, t.project_id, t.sprint_id, e.user_id, e.spent_on, "
        f"{sign}e.minutes AS minutes, {sign}1 AS n FROM {table} g "
        f"JOIN tasks t ON t.id = g.task_id JOIN time_entries e ON e.task_id = g.task_id"
        for table, sign in rows
    ]
    return f"""
CREATE FUNCTION tag_totals_tags_{op_.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {upsert("tag_day_totals", "tag_id, " + WORK_KEY, " UNION ALL ".join(parts))}
    RETURN NULL;
END
$$
"""


# DELETE, not TRUNCATE: a `TRUNCATE ... CASCADE` has emptied them already in the same
# statement, and truncating them again there is refused as "in use".
TRUNCATE_FUNCTIONS = {
    "work_totals_truncate": "DELETE FROM project_day_totals; DELETE FROM tag_day_totals;",
    "tag_totals_truncate": "DELETE FROM tag_day_totals;",
}

# The sprint ledger: a row per (sprint, task) whose state changed, dated by the clock when
# the change was written (after the task's row lock was taken, so a task's rows are in the
# order its changes happened).
LEDGER_COLUMNS = "(sprint_id, task_id, at, in_sprint, estimate_minutes, done)"
LEDGER = {
    "INSERT": """
        SELECT sprint_id, id, clock_timestamp(), true, estimate_minutes, status = 'done'
        FROM new_rows WHERE sprint_id IS NOT NULL""",
    "DELETE": """
        SELECT sprint_id, id, clock_timestamp(), false, estimate_minutes, status = 'done'
        FROM old_rows WHERE sprint_id IS NOT NULL""",
    "UPDATE": """
        SELECT o.sprint_id, o.id, clock_timestamp(), false, w.estimate_minutes,
               w.status = 'done'
        FROM old_rows o JOIN new_rows w ON w.id = o.id
        WHERE o.sprint_id IS NOT NULL AND o.sprint_id IS DISTINCT FROM w.sprint_id
        UNION ALL
        SELECT w.sprint_id, w.id, clock_timestamp(), true, w.estimate_minutes,
               w.status = 'done'
        FROM old_rows o JOIN new_rows w ON w.id = o.id
        WHERE w.sprint_id IS NOT NULL
          AND (o.sprint_id IS DISTINCT FROM w.sprint_id
               OR o.estimate_minutes IS DISTINCT FROM w.estimate_minutes
               OR (o.status = 'done') <> (w.status = 'done'))""",
}


def ledger_function(op_: str) -> str:
    return f"""
CREATE FUNCTION sprint_changes_{op_.lower()}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sprint_changes {LEDGER_COLUMNS} {LEDGER[op_]} ORDER BY 2, 1;
    RETURN NULL;
END
$$
"""


DEFAULT_PROJECT = """
CREATE FUNCTION default_project_id() RETURNS integer LANGUAGE sql STABLE
AS $$ SELECT id FROM projects WHERE is_default $$
"""

ON = {
    "INSERT": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    "TRUNCATE": "AFTER TRUNCATE ON {table}",
}
OPS = ("INSERT", "UPDATE", "DELETE")
FUNCTIONS: dict[str, str] = {
    **{f"work_totals_entries_{o.lower()}": entries_function(o) for o in OPS},
    "work_totals_follow_tasks": FOLLOW_TASKS,
    **{f"tag_totals_tags_{o.lower()}": tags_function(o) for o in OPS},
    **{f"sprint_changes_{o.lower()}": ledger_function(o) for o in OPS},
    **{
        name: f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$"
        for name, body in TRUNCATE_FUNCTIONS.items()
    },
}
TRIGGERS = {  # name: (table, event, function)
    **{
        f"work_totals_on_{o.lower()}": ("time_entries", o, f"work_totals_entries_{o.lower()}")
        for o in OPS
    },
    "work_totals_on_truncate": ("time_entries", "TRUNCATE", "work_totals_truncate"),
    "work_totals_follow_tasks": ("tasks", "UPDATE", "work_totals_follow_tasks"),
    **{f"tag_totals_on_{o.lower()}": ("task_tags", o, f"tag_totals_tags_{o.lower()}") for o in OPS},
    "tag_totals_on_truncate": ("task_tags", "TRUNCATE", "tag_totals_truncate"),
    **{f"sprint_changes_on_{o.lower()}": ("tasks", o, f"sprint_changes_{o.lower()}") for o in OPS},
}


def _work_totals_table(name: str, *prefix: sa.Column) -> None:
    keys = [c.name for c in prefix] + ["project_id", "sprint_id", "user_id", "spent_on"]
    op.create_table(
        name,
        *prefix,
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), sa.Computed(WEEK, persisted=True), nullable=False),
        sa.Column("minutes", sa.BigInteger(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        *[
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=f"fk_{name}_{column}_{target}", ondelete="CASCADE"
            )
            for column, target in [
                *[(c.name, "tags") for c in prefix],
                ("project_id", "projects"),
                ("sprint_id", "sprints"),
                ("user_id", "users"),
            ]
        ],
        sa.UniqueConstraint(*keys, name=f"uq_{name}_key", postgresql_nulls_not_distinct=True),
    )
    op.create_index(
        f"ix_{name}_emptied", name, ["user_id"], postgresql_where=sa.text("entries = 0")
    )


def upgrade() -> None:
    # Writers wait from here until the triggers exist (reads go on): otherwise an entry or a
    # task written by a replica still on the old code between the backfill and CREATE
    # TRIGGER would be counted by neither.
    op.execute("LOCK TABLE tasks, time_entries IN SHARE ROW EXCLUSIVE MODE")
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("budget_minutes", sa.Integer(), nullable=True),
        sa.Column("archived", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("is_default", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("key ~ '^[A-Z]{2,10}$'", name=op.f("ck_projects_key")),
        sa.CheckConstraint(
            "char_length(btrim(name)) BETWEEN 1 AND 120", name=op.f("ck_projects_name")
        ),
        sa.CheckConstraint(
            "budget_minutes IS NULL OR budget_minutes > 0", name=op.f("ck_projects_budget")
        ),
        sa.CheckConstraint(
            "NOT (is_default AND archived)", name=op.f("ck_projects_default_active")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("key", name=op.f("uq_projects_key")),
    )
    op.create_index(
        "uq_projects_is_default",
        "projects",
        ["is_default"],
        unique=True,
        postgresql_where=sa.text("is_default"),
    )
    op.execute(
        "INSERT INTO projects (key, name, description, is_default) "
        "VALUES ('GEN', 'General', 'Tasks filed without a project.', true)"
    )
    op.create_table(
        "sprints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("goal", sa.Text(), server_default="", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_sprints_dates")),
        sa.CheckConstraint("ends_on - starts_on < 92", name=op.f("ck_sprints_length")),
        sa.CheckConstraint(
            "char_length(btrim(name)) BETWEEN 1 AND 80", name=op.f("ck_sprints_name")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_sprints_project_id_projects"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sprints")),
        sa.UniqueConstraint("id", "project_id", name=op.f("uq_sprints_id_project_id")),
    )
    # GiST over two ranges: a one-point int4range stands for "same project", so this needs
    # no btree_gist (which not every PostgreSQL has, the embedded one included).
    op.execute(
        "ALTER TABLE sprints ADD CONSTRAINT ex_sprints_overlap EXCLUDE USING gist "
        "(int4range(project_id, project_id, '[]') WITH &&, daterange(starts_on, ends_on, '[]') WITH &&)"
    )
    op.create_index(
        "uq_sprints_project_id_name",
        "sprints",
        ["project_id", sa.literal_column("lower(name)")],
        unique=True,
    )
    op.create_index("ix_sprints_project_id_starts_on", "sprints", ["project_id", "starts_on"])
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.CheckConstraint(
            "char_length(name) BETWEEN 1 AND 40 AND name = btrim(name) AND strpos(name, ',') = 0",
            name=op.f("ck_tags_name"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
    )
    op.create_index("uq_tags_name_lower", "tags", [sa.literal_column("lower(name)")], unique=True)
    op.create_table(
        "task_tags",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_task_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_tags_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "tag_id", name=op.f("pk_task_tags")),
    )
    op.create_index("ix_task_tags_tag_id_task_id", "task_tags", ["tag_id", "task_id"])
    op.create_table(
        "sprint_changes",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("in_sprint", sa.Boolean(), nullable=False),
        sa.Column("estimate_minutes", sa.Integer(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sprint_id"],
            ["sprints.id"],
            name=op.f("fk_sprint_changes_sprint_id_sprints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sprint_changes")),
    )
    op.create_index("ix_sprint_changes_sprint_id_at", "sprint_changes", ["sprint_id", "at"])

    # The backfill, and what a writer that names no project gets (old replicas during a
    # rolling upgrade, tools): the default project. A stable default is evaluated once for
    # the rows already there and stored with the column, so the table is not rewritten.
    op.execute(DEFAULT_PROJECT)
    op.execute(
        "ALTER TABLE tasks ADD COLUMN project_id integer NOT NULL DEFAULT default_project_id()"
    )
    op.add_column("tasks", sa.Column("sprint_id", sa.Integer(), nullable=True))
    op.add_column(
        "tasks", sa.Column("priority", sa.String(length=8), server_default="normal", nullable=False)
    )
    op.add_column("tasks", sa.Column("due_date", sa.Date(), nullable=True))
    op.create_check_constraint(
        op.f("ck_tasks_priority"), "tasks", "priority IN ('urgent', 'high', 'normal', 'low')"
    )
    op.create_foreign_key(
        op.f("fk_tasks_project_id_projects"),
        "tasks",
        "projects",
        ["project_id"],
        ["id"],
        ondelete="RESTRICT",
    )
    op.create_foreign_key(
        "fk_tasks_sprint_id_sprints",
        "tasks",
        "sprints",
        ["sprint_id", "project_id"],
        ["id", "project_id"],
        ondelete="RESTRICT",
    )
    op.create_index("ix_tasks_project_id_status", "tasks", ["project_id", "status"])
    op.create_index(
        "ix_tasks_sprint_id",
        "tasks",
        ["sprint_id"],
        postgresql_where=sa.text("sprint_id IS NOT NULL"),
    )

    _work_totals_table("project_day_totals")
    op.create_index(
        "ix_project_day_totals_spent_on",
        "project_day_totals",
        ["spent_on"],
        postgresql_include=["project_id", "sprint_id", "user_id", "minutes"],
    )
    _work_totals_table("tag_day_totals", sa.Column("tag_id", sa.Integer(), nullable=False))
    op.create_index("ix_tag_day_totals_tag_id_spent_on", "tag_day_totals", ["tag_id", "spent_on"])
    op.execute(
        f"INSERT INTO project_day_totals ({WORK_KEY}, minutes, entries) "
        "SELECT t.project_id, t.sprint_id, e.user_id, e.spent_on, sum(e.minutes), count(*) "
        "FROM time_entries e JOIN tasks t ON t.id = e.task_id GROUP BY 1, 2, 3, 4"
    )
    op.execute("ANALYZE tasks, project_day_totals")
    for sql in FUNCTIONS.values():
        op.execute(sql)
    for name, (table, event, function) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {ON[event].format(table=table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    for name, (table, _, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    for name in FUNCTIONS:
        op.execute(f"DROP FUNCTION {name}()")
    op.drop_table("tag_day_totals")
    op.drop_table("project_day_totals")
    op.drop_index("ix_tasks_sprint_id", table_name="tasks")
    op.drop_index("ix_tasks_project_id_status", table_name="tasks")
    op.drop_constraint("fk_tasks_sprint_id_sprints", "tasks", type_="foreignkey")
    op.drop_constraint(op.f("fk_tasks_project_id_projects"), "tasks", type_="foreignkey")
    op.drop_constraint(op.f("ck_tasks_priority"), "tasks", type_="check")
    for column in ("due_date", "priority", "sprint_id", "project_id"):
        op.drop_column("tasks", column)
    op.execute("DROP FUNCTION default_project_id()")
    op.drop_table("sprint_changes")
    op.drop_table("task_tags")
    op.drop_table("tags")
    op.drop_table("sprints")
    op.drop_table("projects")
