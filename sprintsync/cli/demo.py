"""`sprintsync demo ...`: a demo workspace, or large data sets for benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import click

from sprintsync.cli.common import read_password_stdin, ready
from sprintsync.services import demo, unit_of_work


@click.group("demo")
def group() -> None:
    """Demo and benchmark data."""


@group.command("seed")
@click.option("--users", type=int, default=None, help="Generate N users (default: the demo team).")
@click.option("--tasks", type=int, default=120, show_default=True, help="Number of tasks.")
@click.option("--entries", type=int, default=None, help="Number of time entries.")
@click.option("--weeks", type=int, default=8, show_default=True, help="Weeks of history.")
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option("--password-stdin", is_flag=True, help="Read the demo password from stdin.")
@click.option("--force", is_flag=True, help="Add demo data even if the database has users.")
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) if the database has users.")
@click.option(
    "--logins-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the demo logins to this file (mode 600).",
)
def seed(
    users: int | None,
    tasks: int,
    entries: int | None,
    weeks: int,
    seed: int,
    password_stdin: bool,
    force: bool,
    if_empty: bool,
    logins_file: Path | None,
) -> None:
    """Build a demo workspace (8 people, 120 tasks in 3 projects, 8 weeks of time); print logins."""
    password = read_password_stdin() if password_stdin else None
    ready()
    if if_empty and demo.has_users(unit_of_work()):
        click.echo("The database already has users; not seeding demo data.")
        return
    report = demo.seed(
        unit_of_work(),
        users=users,
        tasks=tasks,
        entries=entries,
        weeks=weeks,
        seed=seed,
        password=password,
        force=force,
    )
    click.echo(
        f"Seeded {report.users} users, {report.tasks} tasks and {report.entries} time "
        f"entries in {report.seconds:.1f}s."
    )
    click.echo(
        f"Planned {report.projects} projects with {report.sprints} sprints, and {report.tags} tags."
    )
    if logins_file:
        write_private(logins_file, report.logins_text() + "\n")
        click.echo(f"Demo logins saved to {logins_file}.")
    else:
        click.echo(report.logins_text())


def write_private(path: Path, text: str) -> None:
    """Write `text` to a file only its owner can read: made so before a byte is written, also
    when the file was already there (touch(mode=...) only applies to new files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
