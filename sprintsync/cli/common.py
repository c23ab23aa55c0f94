"""What every command shares: getting the database ready, acting as someone, printing."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from sprintsync import startup
from sprintsync.domain import parse_day
from sprintsync.errors import ValidationError
from sprintsync.services import unit_of_work, users
from sprintsync.services.views import Actor


def ready() -> None:
    """Migrate (under the advisory lock) and bootstrap the first admin, once per process."""
    startup.prepare_database()


def acting_as(username: str) -> Actor:
    ready()
    return users.actor_for(unit_of_work(), username=username)


as_option = click.option(
    "--as", "as_user", required=True, metavar="NAME", help="Act as this user (their permissions)."
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def print_json(items: Iterable[dict[str, Any]]) -> None:
    click.echo(json.dumps([{k: _plain(v) for k, v in item.items()} for item in items], indent=2))


def print_json_object(item: dict[str, Any]) -> None:
    click.echo(json.dumps({k: _plain(v) for k, v in item.items()}, indent=2))


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths))


def read_password_stdin() -> str:
    data = sys.stdin.readline()
    return data.rstrip("\r\n")


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValidationError as error:
        raise click.BadParameter(error.message) from None
