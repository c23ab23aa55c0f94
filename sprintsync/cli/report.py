"""`sprintsync report ...`: the analytics service's figures for scripts and spreadsheets."""

from __future__ import annotations

import datetime as dt
import json

import click

from sprintsync.cli.common import parse_date, print_table, ready
from sprintsync.clock import today
from sprintsync.exports import csv_text
from sprintsync.services import analytics, unit_of_work
from sprintsync.services.analytics.logged import Grouping
from sprintsync.services.views import CONSOLE


@click.group("report")
def group() -> None:
    """Reports on logged time."""


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
    type=click.Choice(["user", "day", "week"]),
    default="user",
    show_default=True,
    help="Group the minutes by this.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def minutes(start: dt.date | None, end: dt.date | None, by: Grouping, fmt: str) -> None:
    """Minutes logged per user, day or week."""
    ready()
    end = end or today()
    start = start or analytics.default_start(end)
    frame = analytics.minutes_by(unit_of_work(), actor=CONSOLE, start=start, end=end, by=by)
    if by != "user":
        frame[by] = frame[by].map(lambda d: d.isoformat())
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), indent=2))
    elif fmt == "csv":
        click.echo(csv_text(frame), nl=False)
    else:
        print_table(list(frame.itertuples(index=False)), [by, "minutes"])
