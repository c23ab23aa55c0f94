"""The command tree."""

from __future__ import annotations

import click

from sprintsync import __version__, startup
from sprintsync.cli import (
    ai,
    api,
    database,
    demo,
    projects,
    report,
    serve,
    tasks,
    timesheet,
    tokens,
    users,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sprintsync")
def cli() -> None:
    """SprintSync from the command line: same services and permissions as the app.

    Exit codes: 0 ok, 2 bad input, 3 not found, 4 permission denied, 5 conflict, 1 other.
    """
    # Every command refuses settings unfit for their environment (a weak secret in prod...).
    startup.check_settings()


for module in (database, users, projects, tasks, timesheet, report, demo, ai, tokens):
    cli.add_command(module.group)
cli.add_command(projects.sprints_group)
cli.add_command(serve.serve)
cli.add_command(timesheet.remind)
cli.add_command(api.api)
