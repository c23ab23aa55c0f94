"""`sprintsync projects ...` and `sprintsync sprints ...`: planning from the console.

Creating, archiving and planning are the console operator's (trusted like an admin, audited
as "(console)"), or a named manager's with `--as NAME` (their permissions, their name in the
audit log). Listing is the operator's.
"""

from __future__ import annotations

import datetime as dt

import click

from sprintsync.cli.common import acting_as, parse_date, print_json, print_table, ready
from sprintsync.domain import format_duration
from sprintsync.services import projects, sprints, unit_of_work
from sprintsync.services.views import CONSOLE, Actor

as_manager = click.option(
    "--as",
    "as_user",
    default=None,
    metavar="NAME",
    help="Act as this manager or admin (default: the console operator).",
)


def operator(as_user: str | None) -> Actor:
    if as_user:
        return acting_as(as_user)
    ready()
    return CONSOLE


def project_id(key: str) -> int:
    return projects.find_project(unit_of_work(), actor=CONSOLE, key=key).id


@click.group("projects")
def group() -> None:
    """Create, list and archive projects."""


@group.command("add")
@click.argument("key")
@click.argument("name")
@click.option("--budget", default=None, metavar="HOURS", help="Budget in hours, e.g. 120h.")
@click.option("--description", default="", help="What the project is for.")
@as_manager
def add(key: str, name: str, budget: str | None, description: str, as_user: str | None) -> None:
    """Create a project KEY (2 to 10 capitals) named NAME."""
    project = projects.create_project(
        unit_of_work(),
        actor=operator(as_user),
        key=key,
        name=name,
        budget=budget,
        description=description,
    )
    click.echo(f"Created project {project.key}: {project.name}")


@group.command("list")
@click.option("--all", "everything", is_flag=True, help="Archived projects too.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(everything: bool, as_json: bool) -> None:
    """List projects with the time logged on them against their budget."""
    ready()
    found = projects.list_projects(unit_of_work(), actor=CONSOLE, include_archived=everything)
    if as_json:
        print_json(p.as_json() for p in found)
        return
    print_table(
        [
            (
                p.key,
                p.name,
                format_duration(p.used_minutes),
                format_duration(p.budget_minutes),
                "-" if p.budget_used is None else f"{p.budget_used:.0%}",
                "archived" if p.archived else "default" if p.is_default else "",
            )
            for p in found
        ],
        ["key", "name", "logged", "budget", "used", ""],
    )


@group.command("archive")
@click.argument("key")
@as_manager
def archive(key: str, as_user: str | None) -> None:
    """Archive project KEY: no new tasks or time in it; everything in it stays."""
    actor = operator(as_user)
    project = projects.archive_project(unit_of_work(), actor=actor, project_id=project_id(key))
    click.echo(f"Project {project.key} is archived.")


@group.command("restore")
@click.argument("key")
@as_manager
def restore(key: str, as_user: str | None) -> None:
    """Make archived project KEY active again."""
    actor = operator(as_user)
    project = projects.archive_project(
        unit_of_work(), actor=actor, project_id=project_id(key), archived=False
    )
    click.echo(f"Project {project.key} is active again.")


@click.group("sprints")
def sprints_group() -> None:
    """Plan and list a project's sprints."""


project_option = click.option("--project", "key", required=True, metavar="KEY", help="Project.")


@sprints_group.command("add")
@project_option
@click.argument("name")
@click.option(
    "--start", callback=parse_date, required=True, metavar="YYYY-MM-DD", help="First day."
)
@click.option("--end", callback=parse_date, required=True, metavar="YYYY-MM-DD", help="Last day.")
@click.option("--goal", default="", help="What the sprint is for.")
@as_manager
def add_sprint(
    key: str, name: str, start: dt.date, end: dt.date, goal: str, as_user: str | None
) -> None:
    """Add sprint NAME to a project, from --start to --end (both included)."""
    actor = operator(as_user)
    sprint = sprints.create_sprint(
        unit_of_work(),
        actor=actor,
        project_id=project_id(key),
        name=name,
        starts_on=start,
        ends_on=end,
        goal=goal,
    )
    click.echo(f"Added sprint {sprint.name!r} to {sprint.project_key} ({sprint.state.value}).")


@sprints_group.command("list")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_sprints(key: str, as_json: bool) -> None:
    """List a project's sprints, earliest first, with their state."""
    ready()
    found = sprints.list_sprints(unit_of_work(), actor=CONSOLE, project_id=project_id(key))
    if as_json:
        print_json(s.as_json() for s in found)
        return
    print_table(
        [(s.name, s.starts_on, s.ends_on, s.state.value, s.goal) for s in found],
        ["name", "start", "end", "state", "goal"],
    )
