"""`sprintsync ai ...`: the AI helpers from a terminal (Gemini with a key, offline without)."""

from __future__ import annotations

import click

from sprintsync.cli.common import acting_as, as_option, print_json_object
from sprintsync.services import ai, unit_of_work
from sprintsync.services.ai import outcomes

json_option = click.option("--json", "as_json", is_flag=True, help="Print a JSON object.")


@click.group("ai")
def group() -> None:
    """Draft tasks and plan your day (Gemini with a key; history and rules without)."""


@group.command("draft")
@as_option
@click.argument("title")
@click.option("--context", default="", help="A sentence or two of background for the draft.")
@json_option
def draft(as_user: str, title: str, context: str, as_json: bool) -> None:
    """Draft a description (goal, steps, acceptance criteria) and estimate for TITLE."""
    suggestion = ai.draft_task(
        unit_of_work(), actor=acting_as(as_user), title=title, context=context
    )
    _show(suggestion, as_json)


@group.command("plan")
@as_option
@json_option
def plan(as_user: str, as_json: bool) -> None:
    """Plan today from your open tasks, within SPRINTSYNC_FOCUS_HOURS."""
    _show(ai.plan_day(unit_of_work(), actor=acting_as(as_user)), as_json)


@group.command("drafts")
@as_option
@click.option("--limit", default=20, show_default=True, help="How many of the newest drafts.")
@json_option
def drafts(as_user: str, limit: int, as_json: bool) -> None:
    """Your recent drafts and what became of each: open, kept, edited or discarded."""
    found = outcomes.my_drafts(unit_of_work(), actor=acting_as(as_user), limit=limit)
    if as_json:
        print_json_object({"drafts": [d.as_json() for d in found]})
        return
    for d in found:
        task = f" -> task #{d.task_id}" if d.task_id else ""
        click.echo(f"#{d.id} {d.outcome:<9} {d.source:<7} {d.kind:<14} {d.title}{task}")
    if not found:
        click.echo("No drafts yet.")


def _show(suggestion: ai.Suggestion, as_json: bool) -> None:
    if as_json:
        print_json_object(suggestion.as_json())
    else:
        click.echo(suggestion.as_text())
