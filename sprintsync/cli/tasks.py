"""`sprintsync tasks ...`: tasks and time, acting as a named user with their permissions."""

from __future__ import annotations

import datetime as dt

import click

from sprintsync.cli.common import acting_as, as_option, parse_date, print_json, print_table
from sprintsync.domain import UNSET, Status, Unset, format_duration
from sprintsync.services import tasks, timelog, unit_of_work, users
from sprintsync.services.views import CONSOLE

STATUS = click.Choice([s.value for s in Status])


@click.group("tasks")
def group() -> None:
    """Create, list, move tasks and log time on them."""


@group.command("add")
@as_option
@click.argument("title")
@click.option("--description", default="", help="Longer text.")
@click.option("--estimate", default=None, metavar="DURATION", help="e.g. 2h, 90m, 1.5h.")
@click.option("--assignee", default=None, metavar="NAME", help="Assign to someone (managers).")
def add(
    as_user: str, title: str, description: str, estimate: str | None, assignee: str | None
) -> None:
    """Create a task titled TITLE."""
    actor = acting_as(as_user)
    assignee_id: int | Unset = UNSET
    if assignee:
        assignee_id = users.get_user(unit_of_work(), actor=CONSOLE, username=assignee).id
    task = tasks.create_task(
        unit_of_work(),
        actor=actor,
        title=title,
        description=description,
        estimate=estimate,
        assignee_id=assignee_id,
    )
    click.echo(f"Created task #{task.id}: {task.title}")


@group.command("list")
@as_option
@click.option("--status", type=STATUS, default=None, help="Only tasks in this status.")
@click.option("--all", "everyone", is_flag=True, help="Everyone's tasks (managers and admins).")
@click.option("--search", default=None, help="Text to look for in title or description.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(
    as_user: str, status: str | None, everyone: bool, search: str | None, as_json: bool
) -> None:
    """List your tasks (or everyone's with --all), most recently changed first."""
    found = tasks.all_tasks(
        unit_of_work(), actor=acting_as(as_user), status=status, everyone=everyone, search=search
    )
    if as_json:
        print_json(t.as_json() for t in found)
        return
    print_table(
        [
            (
                t.id,
                t.status.value,
                t.assignee or "-",
                format_duration(t.estimate_minutes),
                format_duration(t.total_minutes),
                t.title,
            )
            for t in found
        ],
        ["id", "status", "assignee", "estimate", "logged", "title"],
    )


@group.command("move")
@as_option
@click.argument("task_id", type=int)
@click.argument("status", type=STATUS)
def move(as_user: str, task_id: int, status: str) -> None:
    """Move task TASK_ID to STATUS (todo, in_progress, done)."""
    task = tasks.move_task(
        unit_of_work(), actor=acting_as(as_user), task_id=task_id, to_status=status
    )
    click.echo(f"Task #{task.id} is now {task.status.label.lower()}.")


@group.command("log")
@as_option
@click.argument("task_id", type=int)
@click.argument("duration")
@click.option(
    "--on",
    "spent_on",
    callback=parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="The day the time was spent (default today).",
)
@click.option("--note", default="", help="What the time went on.")
def log(as_user: str, task_id: int, duration: str, spent_on: dt.date | None, note: str) -> None:
    """Log DURATION (90, 45m, 1h30m, 1.5h) on task TASK_ID."""
    entry = timelog.log_time(
        unit_of_work(),
        actor=acting_as(as_user),
        task_id=task_id,
        duration=duration,
        spent_on=spent_on,
        note=note,
    )
    total = tasks.get_task(unit_of_work(), actor=acting_as(as_user), task_id=task_id)
    click.echo(
        f"Logged {format_duration(entry.minutes)} on task #{task_id} for {entry.spent_on}; "
        f"total {format_duration(total.total_minutes)}."
    )
