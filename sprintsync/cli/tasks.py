"""`sprintsync tasks ...`: tasks and time, acting as a named user with their permissions."""

from __future__ import annotations

import datetime as dt

import click

from sprintsync.cli.common import acting_as, as_option, parse_date, print_json, print_table
from sprintsync.domain import UNSET, Status, Unset, format_duration
from sprintsync.planning import DueFilter, Priority, TaskSort
from sprintsync.services import projects, sprints, tasks, timelog, unit_of_work, users
from sprintsync.services.views import CONSOLE

STATUS = click.Choice([s.value for s in Status])
PRIORITY = click.Choice([p.value for p in Priority])


def placement(key: str | None, sprint: str | None) -> tuple[int | None, int | None]:
    """(project id, sprint id) for a project KEY and a sprint NAME of it. Looked up as the
    console: a key names a project whoever asks; the service then says what they may do."""
    if sprint is not None and key is None:
        raise click.UsageError("--sprint needs --project (sprint names are per project).")
    if key is None:
        return None, None
    project_id = projects.find_project(unit_of_work(), actor=CONSOLE, key=key).id
    if sprint is None:
        return project_id, None
    found = sprints.find_sprint(unit_of_work(), actor=CONSOLE, project_id=project_id, name=sprint)
    return project_id, found.id


@click.group("tasks")
def group() -> None:
    """Create, list, move tasks and log time on them."""


@group.command("add")
@as_option
@click.argument("title")
@click.option("--description", default="", help="Longer text.")
@click.option("--estimate", default=None, metavar="DURATION", help="e.g. 2h, 90m, 1.5h.")
@click.option("--assignee", default=None, metavar="NAME", help="Assign to someone (managers).")
@click.option("--project", "key", required=True, metavar="KEY", help="The project to file it in.")
@click.option("--sprint", default=None, metavar="NAME", help="A sprint of that project.")
@click.option("--priority", type=PRIORITY, default="normal", show_default=True, help="Priority.")
@click.option("--due", callback=parse_date, default=None, metavar="YYYY-MM-DD", help="Due date.")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (repeat for more).")
def add(
    as_user: str,
    title: str,
    description: str,
    estimate: str | None,
    assignee: str | None,
    key: str,
    sprint: str | None,
    priority: str,
    due: dt.date | None,
    tags: tuple[str, ...],
) -> None:
    """Create a task titled TITLE in a project."""
    actor = acting_as(as_user)
    assignee_id: int | Unset = UNSET
    if assignee:
        assignee_id = users.get_user(unit_of_work(), actor=CONSOLE, username=assignee).id
    project_id, sprint_id = placement(key, sprint)
    task = tasks.create_task(
        unit_of_work(),
        actor=actor,
        title=title,
        description=description,
        estimate=estimate,
        assignee_id=assignee_id,
        project_id=project_id,
        sprint_id=sprint_id,
        priority=priority,
        due=due,
        tags=tags,
    )
    click.echo(f"Created task #{task.id}: {task.title}")


@group.command("list")
@as_option
@click.option("--status", type=STATUS, default=None, help="Only tasks in this status.")
@click.option("--all", "everyone", is_flag=True, help="Everyone's tasks (managers and admins).")
@click.option("--search", default=None, help="Text to look for in title or description.")
@click.option("--project", "key", default=None, metavar="KEY", help="Only this project's tasks.")
@click.option("--sprint", default=None, metavar="NAME", help="Only this sprint's (with --project).")
@click.option("--tag", default=None, metavar="TAG", help="Only tasks with this tag.")
@click.option("--priority", type=PRIORITY, default=None, help="Only tasks of this priority.")
@click.option("--due", type=click.Choice([d.value for d in DueFilter]), default=None, help="Due.")
@click.option(
    "--sort",
    type=click.Choice([s.value for s in TaskSort]),
    default="changed",
    show_default=True,
    help="Order: recently changed, priority, or due date.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(
    as_user: str,
    status: str | None,
    everyone: bool,
    search: str | None,
    key: str | None,
    sprint: str | None,
    tag: str | None,
    priority: str | None,
    due: str | None,
    sort: str,
    as_json: bool,
) -> None:
    """List your tasks (or everyone's with --all), most recently changed first."""
    actor = acting_as(as_user)
    project_id, sprint_id = placement(key, sprint)
    found = tasks.all_tasks(
        unit_of_work(),
        actor=actor,
        status=status,
        everyone=everyone,
        search=search,
        project_id=project_id,
        sprint_id=sprint_id,
        tag=tag,
        priority=priority,
        due=due,
        sort=sort,
    )
    if as_json:
        print_json(t.as_json() for t in found)
        return
    print_table(
        [
            (
                t.id,
                t.project_key,
                t.status.value,
                t.priority.value,
                t.assignee or "-",
                t.due_date or "",
                format_duration(t.estimate_minutes),
                format_duration(t.total_minutes),
                t.title,
            )
            for t in found
        ],
        ["id", "project", "status", "priority", "assignee", "due", "estimate", "logged", "title"],
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
@click.option("--start", default=None, metavar="HH:MM", help="Start time of day (with --end).")
@click.option("--end", default=None, metavar="HH:MM", help="End time of day (with --start).")
def log(
    as_user: str,
    task_id: int,
    duration: str,
    spent_on: dt.date | None,
    note: str,
    start: str | None,
    end: str | None,
) -> None:
    """Log DURATION (90, 45m, 1h30m, 1.5h; or - with --start and --end) on task TASK_ID.
    Refused (exit 5) in an approved week."""
    entry = timelog.log_time(
        unit_of_work(),
        actor=acting_as(as_user),
        task_id=task_id,
        duration=None if duration == "-" else duration,
        spent_on=spent_on,
        note=note,
        start=start,
        end=end,
    )
    total = tasks.get_task(unit_of_work(), actor=acting_as(as_user), task_id=task_id)
    click.echo(
        f"Logged {format_duration(entry.minutes)} on task #{task_id} for {entry.spent_on}; "
        f"total {format_duration(total.total_minutes)}."
    )
