"""`sprintsync timesheet ...` and `sprintsync remind`: weeks from the console, with the
permissions of the user named by --as (reminders are the console operator's)."""

from __future__ import annotations

import datetime as dt

import click

from sprintsync import mail
from sprintsync.cli.common import acting_as, parse_date, print_json_object, print_table, ready
from sprintsync.domain import counted, format_duration
from sprintsync.services import reminders as reminding
from sprintsync.services import timesheets, unit_of_work, users, weeks
from sprintsync.services.timesheet_grid import save_grid
from sprintsync.services.timesheet_views import GridCell
from sprintsync.services.views import CONSOLE
from sprintsync.workweek import WEEKDAYS, parse_weekday

week_option = click.option(
    "--week",
    "week",
    callback=parse_date,
    required=True,
    metavar="YYYY-MM-DD",
    help="Any day of the week (weeks run Monday to Sunday).",
)
as_user = click.option(
    "--as", "as_user", required=True, metavar="NAME", help="Act as this user (their permissions)."
)


def _user_id(username: str) -> int:
    return users.get_user(unit_of_work(), actor=CONSOLE, username=username).id


@click.group("timesheet")
def group() -> None:
    """Show, fill in, submit, approve, send back and reopen weekly timesheets."""


@group.command("show")
@as_user
@week_option
@click.option("--user", "username", default=None, metavar="NAME", help="Someone else's (leads).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")
def show(as_user: str, week: dt.date, username: str | None, as_json: bool) -> None:
    """A week's grid (tasks by days) and its state."""
    actor = acting_as(as_user)
    user_id = _user_id(username) if username else None
    sheet = timesheets.weekly_timesheet(
        unit_of_work(), actor=actor, week_start=week, user_id=user_id
    )
    status = weeks.week_status(unit_of_work(), actor=actor, week_start=week, user_id=user_id)
    if as_json:
        print_json_object(
            status.as_json()
            | {
                "days": [d.isoformat() for d in sheet.days],
                "rows": [
                    {"task_id": r.task_id, "title": r.title, "minutes": list(r.minutes)}
                    for r in sheet.rows
                ],
                "day_totals": list(sheet.day_totals),
                "total_minutes": sheet.total,
            }
        )
        return
    click.echo(f"{status.username}, {sheet.week_start:%a %d %b %Y}: {weeks.describe(status)}")
    cells = [
        (r.task_id, r.title, *(format_duration(m) if m else "" for m in r.minutes))
        for r in sheet.rows
    ]
    cells.append(("", "Total", *(format_duration(m) for m in sheet.day_totals)))
    print_table(cells, ["id", "task", *WEEKDAYS])


@group.command("set")
@as_user
@week_option
@click.argument("task_id", type=int)
@click.argument("day")
@click.argument("duration")
def set_(as_user: str, week: dt.date, task_id: int, day: str, duration: str) -> None:
    """Set the time on TASK_ID on DAY (mon..sun) of the week to DURATION (0 empties it)."""
    actor = acting_as(as_user)
    saved = save_grid(
        unit_of_work(),
        actor=actor,
        week_start=week,
        cells=[GridCell(task_id, parse_weekday(day), duration)],
    )
    click.echo(saved.summary)


@group.command("submit")
@as_user
@week_option
def submit(as_user: str, week: dt.date) -> None:
    """Submit your week for approval."""
    status = weeks.submit_week(unit_of_work(), actor=acting_as(as_user), week_start=week)
    click.echo(f"Submitted the week of {status.week_start:%a %d %b %Y}: {weeks.describe(status)}")


def _decide(verb: str, as_user: str, username: str, week: dt.date, comment: str) -> None:
    actor = acting_as(as_user)
    call = weeks.approve_week if verb == "approve" else weeks.return_week
    status = call(
        unit_of_work(), actor=actor, user_id=_user_id(username), week_start=week, comment=comment
    )
    click.echo(f"{status.username}, {status.week_start:%a %d %b %Y}: {weeks.describe(status)}")


comment_option = click.option("--comment", default="", help="What to tell them.")


@group.command("approve")
@as_user
@click.argument("username", metavar="USER")
@week_option
@comment_option
def approve(as_user: str, username: str, week: dt.date, comment: str) -> None:
    """Approve USER's submitted week (managers and admins): its time is locked."""
    _decide("approve", as_user, username, week, comment)


@group.command("return")
@as_user
@click.argument("username", metavar="USER")
@week_option
@comment_option
def return_(as_user: str, username: str, week: dt.date, comment: str) -> None:
    """Send USER's submitted week back with a --comment saying what to fix."""
    _decide("return", as_user, username, week, comment)


@group.command("reopen")
@as_user
@click.argument("username", metavar="USER")
@week_option
@click.option("--reason", required=True, help="Why it is reopened (kept in the audit log).")
def reopen(as_user: str, username: str, week: dt.date, reason: str) -> None:
    """Reopen USER's approved week (admins), with a reason."""
    status = weeks.reopen_week(
        unit_of_work(),
        actor=acting_as(as_user),
        user_id=_user_id(username),
        week_start=week,
        reason=reason,
    )
    click.echo(f"Reopened {status.username}'s week of {status.week_start:%a %d %b %Y}.")


@group.command("team")
@week_option
def team(week: dt.date) -> None:
    """Everyone's week: state, logged against expected (the console's view)."""
    ready()
    found = weeks.team_weeks(unit_of_work(), actor=CONSOLE, week_start=week)
    print_table(
        [
            (
                w.username,
                w.state.label,
                format_duration(w.logged_minutes),
                format_duration(w.expected_minutes),
                "short" if w.short else "",
            )
            for w in found
        ],
        ["user", "state", "logged", "expected", ""],
    )


@click.command("remind")
@week_option
def remind(week: dt.date) -> None:
    """Remind everyone whose week is missing or short (in the app; by e-mail with SMTP set).
    Meant for cron or a Kubernetes CronJob; exits 1 if an e-mail could not be sent."""
    ready()
    reminded = reminding.remind_week(unit_of_work(), actor=CONSOLE, week_start=week)
    click.echo(f"Recorded {counted(len(reminded), 'reminder')} for the week of {week:%a %d %b %Y}.")
    for r in reminded:
        click.echo(
            f"  {r.username}: {format_duration(r.logged_minutes)} of "
            f"{format_duration(r.expected_minutes)}"
        )
    outcome = mail.send_reminders(reminded)
    if not outcome.configured:
        click.echo("E-mail: not configured (SPRINTSYNC_SMTP_HOST), none sent.")
        return
    click.echo(
        f"E-mail: sent {len(outcome.sent)}, failed {len(outcome.failed)}, "
        f"without an address {len(outcome.without_address)}."
    )
    if outcome.failed:
        click.echo(
            f"Error: e-mail to {', '.join(outcome.failed)} could not be sent"
            + (f" ({outcome.error})" if outcome.error else "")
            + "; the in-app reminders were recorded.",
            err=True,
        )
        raise click.exceptions.Exit(1)
