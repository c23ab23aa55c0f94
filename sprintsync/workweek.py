"""Timesheet weeks: their states, the days of a week as people name them, times of day, and
the rules for comments and reasons. Input is bounded before it is read, and read without
regular expressions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sprintsync.domain import check_day, clean_text, monday_of, shorten
from sprintsync.errors import ValidationError

COMMENT_MAX = 2_000
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
TIME_INPUT_MAX = 16


class WeekState(StrEnum):
    """Where a person's week is. MISSING: nothing logged and never submitted (no row)."""

    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    WeekState.MISSING: "Missing",
    WeekState.DRAFT: "Draft",
    WeekState.SUBMITTED: "Submitted",
    WeekState.APPROVED: "Approved",
    WeekState.RETURNED: "Sent back",
}
# What a row of timesheet_weeks may hold (MISSING is the absence of a row).
STORED_STATES = ("draft", "submitted", "approved", "returned")


def week_of(day: dt.date, what: str = "The week") -> dt.date:
    """The Monday of the week holding `day`, which must lie in the calendar we keep."""
    return monday_of(check_day(day, what))


def week_days(monday: dt.date) -> tuple[dt.date, ...]:
    return tuple(monday + dt.timedelta(days=i) for i in range(7))


def parse_weekday(value: str) -> int:
    """0 (Monday) to 6 (Sunday) from `mon`..`sun` (any case, or the whole name)."""
    text = str(value)[:TIME_INPUT_MAX].strip().lower()
    for index, name in enumerate(WEEKDAYS):
        if text in (name, dt.date(2024, 1, 1 + index).strftime("%A").lower()):
            return index
    raise ValidationError(
        f"{shorten(str(value))!r} is not a day of the week; use one of {', '.join(WEEKDAYS)}."
    )


def parse_time_of_day(value: str | None, what: str, *, end: bool = False) -> int | None:
    """Minutes after midnight from `9`, `09`, `9:30` or `09:30` (and `24:00` for an end);
    None for an empty field."""
    text = (value or "")[: TIME_INPUT_MAX + 1]
    if len(text) > TIME_INPUT_MAX:
        raise ValidationError(f"{what} is too long to be a time of day; use HH:MM.")
    text = text.strip()
    if not text:
        return None
    hours, colon, minutes = text.partition(":")
    refusal = ValidationError(f"{what} {shorten(text)!r} is not a time of day; use HH:MM.")
    if not (hours.isascii() and hours.isdigit() and 1 <= len(hours) <= 2):
        raise refusal
    if colon and not (minutes.isascii() and minutes.isdigit() and len(minutes) == 2):
        raise refusal
    total = int(hours) * 60 + (int(minutes) if colon else 0)
    if (colon and int(minutes) >= 60) or total > DAY_MINUTES or (total == DAY_MINUTES and not end):
        raise refusal
    return total


def format_time_of_day(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def clean_comment(value: str | None, *, field: str = "Comment", required: bool = False) -> str:
    return clean_text(value, field=field, max_len=COMMENT_MAX, required=required)


def week_label(monday: dt.date) -> str:
    return f"week of {monday:%a %d %b %Y}"


def submittable(monday: dt.date, today: dt.date) -> None:
    """A week can be submitted once it has begun."""
    if monday > today:
        raise ValidationError(f"The {week_label(monday)} has not begun yet; submit it once it has.")
