"""Planning: priorities, project keys and budgets, sprint names, dates and states, tags, and
the rules for typing them. Every parser bounds its input's length before looking at it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from enum import StrEnum

from sprintsync.domain import check_day, clean_line, clean_text, shorten
from sprintsync.errors import ValidationError

PROJECT_NAME_MAX = 120
PROJECT_DESCRIPTION_MAX = 5_000
SPRINT_NAME_MAX = 80
SPRINT_GOAL_MAX = 1_000
# A sprint is a time box of weeks; a quarter is the longest that still reads as one.
SPRINT_MAX_DAYS = 92
TAG_MAX = 40
TAGS_PER_TASK_MAX = 20
BUDGET_MAX_HOURS = 100_000
BUDGET_WARNING_SHARE = 0.8  # the Projects page warns from here, and again over 100%
DEFAULT_PROJECT_KEY = "GEN"  # the project migration 0006 made, where unfiled tasks go

_KEY_RE = re.compile(r"[A-Z]{2,10}", re.ASCII)
_BUDGET_RE = re.compile(r"(\d{1,6})(?:[.,](\d{1,2}))?\s*(h|hrs?|hours?)?", re.ASCII | re.IGNORECASE)
_SPACES_RE = re.compile(r"\s+")


class Priority(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @classmethod
    def parse(cls, value: str | Priority) -> Priority:
        try:
            return cls(str(value).strip().lower()[:20])
        except ValueError:
            choices = ", ".join(p.value for p in cls)
            raise ValidationError(
                f"Unknown priority {shorten(str(value))!r}; choose one of {choices}."
            ) from None

    @property
    def rank(self) -> int:
        """0 for the most pressing: what sorting by priority orders by."""
        return list(Priority).index(self)

    @property
    def label(self) -> str:
        return self.value.title()


class SprintState(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.title()


def sprint_state(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> SprintState:
    """A sprint's state follows its dates (both inclusive) and the workspace's today."""
    if today < starts_on:
        return SprintState.PLANNED
    return SprintState.ACTIVE if today <= ends_on else SprintState.CLOSED


class DueFilter(StrEnum):
    OVERDUE = "overdue"  # due before today and not done
    THIS_WEEK = "this_week"  # due Monday to Sunday of this week

    @classmethod
    def parse(cls, value: str | DueFilter) -> DueFilter:
        try:
            return cls(str(value).strip().lower().replace(" ", "_").replace("-", "_")[:20])
        except ValueError:
            raise ValidationError("Filter due dates by overdue or this_week.") from None


class TaskSort(StrEnum):
    """Orders a task list can take. A list shown to people keeps a stable order (newest
    first) so the task just moved does not jump; "changed" is for what moved lately."""

    NEWEST = "newest"  # most recently created first
    OLDEST = "oldest"
    CHANGED = "changed"  # most recently changed first
    PRIORITY = "priority"  # most pressing first, then most recently changed
    DUE = "due"  # soonest due first, tasks without a due date last
    TITLE = "title"  # A to Z

    @classmethod
    def parse(cls, value: str | TaskSort) -> TaskSort:
        try:
            return cls(str(value).strip().lower()[:20])
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValidationError(f"Unknown order; choose one of {choices}.") from None


def clean_project_key(value: str | None) -> str:
    """2 to 10 capital letters; typed in lower case, it is read as capitals."""
    key = (value or "").strip()[:11].upper()
    if not _KEY_RE.fullmatch(key):
        raise ValidationError(
            "A project key is 2 to 10 letters A to Z (e.g. WEB), "
            f"not {shorten((value or '').strip(), 20)!r}."
        )
    return key


def clean_project_name(value: str | None) -> str:
    return clean_line(value, field="Project name", max_len=PROJECT_NAME_MAX, required=True)


def clean_project_description(value: str | None) -> str:
    return clean_text(value, field="Description", max_len=PROJECT_DESCRIPTION_MAX)


def parse_budget(value: str | int | None) -> int | None:
    """A budget in hours (`120`, `120h`, `37.5h`), as minutes; None or blank: no budget."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        hours_minutes = value * 60
    else:
        text = str(value).strip()
        if not text:
            return None
        match = _BUDGET_RE.fullmatch(text[:24])
        if len(text) > 24 or match is None:
            raise ValidationError(
                f"Could not read {shorten(text, 30)!r} as a budget; give hours, e.g. 120h."
            )
        whole, fraction = int(match.group(1)), match.group(2) or "0"
        hours_minutes = whole * 60 + round(int(fraction.ljust(2, "0")) * 60 / 100)
    if not 60 <= hours_minutes <= BUDGET_MAX_HOURS * 60:
        raise ValidationError(f"A budget must be between 1 and {BUDGET_MAX_HOURS:,} hours.")
    return hours_minutes


def clean_sprint_name(value: str | None) -> str:
    return clean_line(value, field="Sprint name", max_len=SPRINT_NAME_MAX, required=True)


def clean_sprint_goal(value: str | None) -> str:
    return clean_text(value, field="Sprint goal", max_len=SPRINT_GOAL_MAX)


def parse_day(value: dt.date | str | None, what: str) -> dt.date | None:
    """A calendar date from a date or YYYY-MM-DD text; None or blank stays None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text[:10]) if len(text) == 10 else None
        except ValueError:
            value = None
        if value is None:
            raise ValidationError(f"{what} {shorten(text, 20)!r} is not a date; use YYYY-MM-DD.")
    if not isinstance(value, dt.date):
        raise ValidationError(f"{what} must be a calendar date (YYYY-MM-DD).")
    return check_day(value, what)


def check_sprint_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    check_day(starts_on, "The start date")
    check_day(ends_on, "The end date")
    if ends_on < starts_on:
        raise ValidationError("A sprint cannot end before it starts.")
    if (ends_on - starts_on).days >= SPRINT_MAX_DAYS:
        raise ValidationError(f"A sprint lasts at most {SPRINT_MAX_DAYS} days.")


def clean_tag(value: str | None) -> str:
    """A free label: one line of 1 to 40 characters without commas (so a list of them can be
    typed with commas), runs of spaces read as one."""
    text = _SPACES_RE.sub(" ", (value or "")[: TAG_MAX * 4].strip())
    text = clean_line(text, field="A tag", max_len=TAG_MAX, required=True)
    if "," in text:
        raise ValidationError(f"A tag cannot contain a comma ({shorten(text, 20)!r}).")
    return text


def clean_tags(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Distinct tags (case does not make two tags), in the order first given; a text is read
    as a comma-separated list."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values[: TAGS_PER_TASK_MAX * (TAG_MAX + 2)].split(",")
        values = [v for v in values if v.strip()]
    seen: dict[str, str] = {}
    for count, value in enumerate(values):
        if count >= TAGS_PER_TASK_MAX * 2:
            raise ValidationError(f"A task can carry at most {TAGS_PER_TASK_MAX} tags.")
        tag = clean_tag(value)
        seen.setdefault(tag.lower(), tag)
    if len(seen) > TAGS_PER_TASK_MAX:
        raise ValidationError(f"A task can carry at most {TAGS_PER_TASK_MAX} tags.")
    return tuple(seen.values())
