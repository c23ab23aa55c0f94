"""`sprintsync users ...`: the operator's account management (trusted like an admin)."""

from __future__ import annotations

import click

from sprintsync.cli.common import print_json, print_table, read_password_stdin, ready
from sprintsync.domain import Role, format_duration
from sprintsync.services import unit_of_work, users, weeks
from sprintsync.services.views import CONSOLE

ROLE = click.Choice([r.value for r in Role])


@click.group("users")
def group() -> None:
    """Create and manage user accounts."""


@group.command("add")
@click.argument("name")
@click.option("--role", type=ROLE, default="member", show_default=True, help="The account's role.")
@click.option("--full-name", default="", help="Display name.")
@click.option("--email", default=None, help="Email address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(name: str, role: str, full_name: str, email: str | None, password_stdin: bool) -> None:
    """Create a user NAME; without --password-stdin a password is generated and printed once."""
    password = read_password_stdin() if password_stdin else None
    ready()
    created = users.create_user(
        unit_of_work(),
        actor=CONSOLE,
        username=name,
        role=role,
        password=password,
        full_name=full_name,
        email=email,
    )
    click.echo(f"Created {created.user.role.value} {created.user.username}.")
    if not password_stdin:
        click.echo(f"Password (shown once): {created.password}")


@group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(as_json: bool) -> None:
    """List every user with role, status and time logged."""
    ready()
    everyone = users.list_users(unit_of_work(), actor=CONSOLE)
    if as_json:
        print_json(u.as_json() for u in everyone)
        return
    print_table(
        [
            (
                u.username,
                u.full_name,
                u.role.value,
                "yes" if u.is_active else "no",
                format_duration(u.total_minutes),
            )
            for u in everyone
        ],
        ["username", "full name", "role", "active", "logged"],
    )


@group.command("set-role")
@click.argument("name")
@click.argument("role", type=ROLE)
def set_role(name: str, role: str) -> None:
    """Give user NAME the role ROLE."""
    ready()
    user = users.set_role(unit_of_work(), actor=CONSOLE, username=name, role=role)
    click.echo(f"{user.username} is now {user.role.value}.")


@group.command("deactivate")
@click.argument("name")
def deactivate(name: str) -> None:
    """Stop user NAME from signing in (their sessions end; their data stays)."""
    ready()
    user = users.set_active(unit_of_work(), actor=CONSOLE, username=name, active=False)
    click.echo(f"{user.username} is deactivated.")


@group.command("reactivate")
@click.argument("name")
def reactivate(name: str) -> None:
    """Let a deactivated user NAME sign in again."""
    ready()
    user = users.set_active(unit_of_work(), actor=CONSOLE, username=name, active=True)
    click.echo(f"{user.username} is active again.")


@group.command("reset-password")
@click.argument("name")
def reset_password(name: str) -> None:
    """Give user NAME a new temporary password, printed once."""
    ready()
    creds = users.reset_password(unit_of_work(), actor=CONSOLE, username=name)
    click.echo(f"Temporary password for {creds.user.username} (shown once): {creds.password}")


@group.command("unlock")
@click.argument("name")
def unlock(name: str) -> None:
    """Lift a sign-in lockout of NAME now (five wrong passwords lock a name for 15 minutes)."""
    ready()
    user = users.unlock(unit_of_work(), actor=CONSOLE, username=name)
    click.echo(f"{user.username} can sign in again.")


@group.command("hours")
@click.argument("name")
@click.argument("hours")
def hours(name: str, hours: str) -> None:
    """Set NAME's expected HOURS a week (e.g. 20h, 37.5h; `default` for the workspace's)."""
    ready()
    week = weeks.set_expected_hours(
        unit_of_work(),
        actor=CONSOLE,
        username=name,
        hours=None if hours.strip().lower() == "default" else hours,
    )
    click.echo(
        f"{week.username} is expected to log {format_duration(week.expected_minutes)} a week."
    )
