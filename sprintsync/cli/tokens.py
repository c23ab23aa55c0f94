"""`sprintsync tokens ...`: personal access tokens for the HTTP API, as their owner."""

from __future__ import annotations

import datetime as dt

import click

from sprintsync.cli.common import acting_as, as_option, parse_date, print_table
from sprintsync.clock import utcnow
from sprintsync.services import tokens, unit_of_work


@click.group("tokens")
def group() -> None:
    """Create, list and revoke your API tokens (see docs/API.md)."""


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@group.command("add")
@as_option
@click.argument("name")
@click.option(
    "--scope",
    type=click.Choice(tokens.SCOPES),
    default="read",
    show_default=True,
    help="read: read-only; write: read and change.",
)
@click.option(
    "--expires",
    "expires_on",
    callback=parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Last day it works (default: until revoked).",
)
def add(as_user: str, name: str, scope: str, expires_on: dt.date | None) -> None:
    """Create a token called NAME; its secret is printed once, on the last line."""
    made = tokens.create_token(
        unit_of_work(), actor=acting_as(as_user), name=name, scope=scope, expires_on=expires_on
    )
    click.echo(f"Created token #{made.token.id} ({made.token.scope}): {made.token.name}", err=True)
    click.echo("Copy it now: it is not shown again.", err=True)
    click.echo(made.secret)


@group.command("list")
@as_option
def list_(as_user: str) -> None:
    """Your tokens (never their secrets), newest first."""
    now = utcnow()
    rows = [
        (
            t.id,
            t.name,
            t.prefix + "…",
            t.scope,
            t.state_at(now),
            _when(t.expires_at),
            _when(t.last_used_at),
        )
        for t in tokens.list_tokens(unit_of_work(), actor=acting_as(as_user))
    ]
    print_table(rows, ["id", "name", "prefix", "scope", "state", "expires", "last used"])


@group.command("revoke")
@as_option
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1), metavar="ID")
def revoke(as_user: str, token_id: int) -> None:
    """Revoke token ID: refused from its next request on."""
    token = tokens.revoke_token(unit_of_work(), actor=acting_as(as_user), token_id=token_id)
    click.echo(f"Revoked token #{token.id}: {token.name}")
