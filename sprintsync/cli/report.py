"""`sprintsync report ...`: the analytics service's figures for scripts and spreadsheets."""

from __future__ import annotations

import datetime as dt
import json

import click

from sprintsync.cli.common import parse_date, print_table, ready
from sprintsync.clock import today
from sprintsync.domain import format_duration
from sprintsync.exports import csv_bytes, csv_text, entries_frame, entries_xlsx
from sprintsync.services import (
    analytics,
    entry_report,
    projects,
    sprints,
    tags,
    unit_of_work,
    users,
)
from sprintsync.services.views import CONSOLE

FORMAT = click.Choice(["table", "csv", "json"])


@click.group("report")
def group() -> None:
    """Reports on logged time and on sprints."""


@group.command("minutes")
@click.option(
    "--from",
    "start",
    callback=parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="First day (default: Monday four weeks ago).",
)
@click.option(
    "--to",
    "end",
    callback=parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Last day, inclusive (default today).",
)
@click.option(
    "--by",
    type=click.Choice(["user", "day", "week", "project", "sprint", "tag"]),
    default="user",
    show_default=True,
    help="Group the minutes by this.",
)
@click.option("--project", "key", default=None, metavar="KEY", help="Only this project's time.")
@click.option("--tag", default=None, metavar="TAG", help="Only time on tasks with this tag.")
@click.option(
    "--format", "fmt", type=FORMAT, default="table", show_default=True, help="Output format."
)
def minutes(
    start: dt.date | None,
    end: dt.date | None,
    by: str,
    key: str | None,
    tag: str | None,
    fmt: str,
) -> None:
    """Minutes logged per user, day, week, project, sprint or tag."""
    ready()
    end = end or today()
    start = start or analytics.default_start(end)
    frame = analytics.minutes_by(
        unit_of_work(),
        actor=CONSOLE,
        start=start,
        end=end,
        by=by,  # type: ignore[arg-type]
        project_ids=[projects.find_project(unit_of_work(), actor=CONSOLE, key=key).id]
        if key
        else None,
        tag_id=tags.find_tag(unit_of_work(), actor=CONSOLE, name=tag).id if tag else None,
    )
    if by in ("day", "week"):
        frame[by] = frame[by].map(lambda d: d.isoformat())
    frame = frame.astype(object).where(frame.notna(), None)
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), indent=2))
    elif fmt == "csv":
        click.echo(csv_text(frame), nl=False)
    else:
        print_table(list(frame.itertuples(index=False)), list(frame.columns))


@group.command("sprint")
@click.option("--project", "key", required=True, metavar="KEY", help="The sprint's project.")
@click.argument("name")
@click.option(
    "--format",
    "fmt",
    type=FORMAT,
    default="table",
    show_default=True,
    help="Output format (csv: the burndown rows).",
)
def sprint(key: str, name: str, fmt: str) -> None:
    """How sprint NAME went: planned, done, added, carried over, and its burndown."""
    ready()
    project = projects.find_project(unit_of_work(), actor=CONSOLE, key=key)
    found = sprints.find_sprint(unit_of_work(), actor=CONSOLE, project_id=project.id, name=name)
    report = analytics.sprint_report(unit_of_work(), actor=CONSOLE, sprint_id=found.id)
    result = report.as_json()
    if fmt == "json":
        click.echo(json.dumps(result, indent=2))
        return
    burndown = report.burndown.astype(object).where(report.burndown.notna(), None)
    if fmt == "csv":
        click.echo(csv_text(burndown), nl=False)
        return
    click.echo(f"{project.key} {found.label}: {found.state.value}")
    print_table(
        [
            (what, result[what]["tasks"], format_duration(result[what]["minutes"]))
            for what in ("planned", "added", "removed", "done", "open", "carried")
        ],
        ["", "tasks", "estimate"],
    )
    click.echo("")
    print_table(list(burndown.itertuples(index=False)), list(burndown.columns))


@group.command("entries")
@click.option(
    "--from", "start", callback=parse_date, required=True, metavar="YYYY-MM-DD", help="First day."
)
@click.option(
    "--to",
    "end",
    callback=parse_date,
    required=True,
    metavar="YYYY-MM-DD",
    help="Last day, inclusive.",
)
@click.option("--user", "people", multiple=True, metavar="NAME", help="Only this person (repeat).")
@click.option("--project", "keys", multiple=True, metavar="KEY", help="Only this project (repeat).")
@click.option("--tag", "tag_names", multiple=True, metavar="TAG", help="Only this tag (repeat).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="File format.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="The file to write (- for standard output, CSV only).",
)
def entries(
    start: dt.date,
    end: dt.date,
    people: tuple[str, ...],
    keys: tuple[str, ...],
    tag_names: tuple[str, ...],
    fmt: str,
    output: str,
) -> None:
    """Every time entry (person, project, sprint, task, day, times, duration, note, week
    state) in the range, as a spreadsheet-safe CSV or XLSX with a totals row."""
    ready()
    report = entry_report.time_entries_report(
        unit_of_work(),
        actor=CONSOLE,
        start=start,
        end=end,
        user_ids=[users.get_user(unit_of_work(), actor=CONSOLE, username=p).id for p in people]
        or None,
        project_ids=[projects.find_project(unit_of_work(), actor=CONSOLE, key=k).id for k in keys]
        or None,
        tags=list(tag_names) or None,
    )
    data = entries_xlsx(report) if fmt == "xlsx" else csv_bytes(entries_frame(report))
    if output == "-":
        if fmt == "xlsx":
            raise click.UsageError("XLSX goes to a file: give --output FILE.")
        click.echo(data.decode("utf-8"), nl=False)
        return
    with open(output, "wb") as out:
        out.write(data)
    click.echo(
        f"Wrote {len(report.rows)} entries ({format_duration(report.total_minutes)}) to {output}.",
        err=True,
    )
