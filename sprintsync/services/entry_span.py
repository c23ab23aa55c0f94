"""An entry's optional start and end time of day: read, checked against its duration, and
never overlapping another timed entry of the same person on the same day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintsync.domain import entry_minutes, format_duration
from sprintsync.errors import ValidationError
from sprintsync.models import Task, TimeEntry
from sprintsync.workweek import format_time_of_day, parse_time_of_day


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # minutes after midnight
    end: int  # up to 1440 (24:00)

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{format_time_of_day(self.start)}–{format_time_of_day(self.end)}"


def read_span(start: str | None, end: str | None) -> Span | None:
    """Both times, or neither (None); the end after the start, on the same day."""
    first = parse_time_of_day(start, "The start time")
    last = parse_time_of_day(end, "The end time", end=True)
    if first is None and last is None:
        return None
    if first is None or last is None:
        raise ValidationError("Give both a start and an end time, or neither.")
    if last <= first:
        raise ValidationError(
            f"The end time ({format_time_of_day(last)}) must be after the start time "
            f"({format_time_of_day(first)}); split time past midnight into two entries."
        )
    return Span(first, last)


def minutes_and_span(
    duration: str | int | None, start: str | None, end: str | None
) -> tuple[int, Span | None]:
    """An entry's minutes: from its times when given (a duration given too must agree),
    otherwise from the duration."""
    span = read_span(start, end)
    if span is None:
        return entry_minutes("" if duration is None else duration), None
    typed = None if duration is None or duration == "" else entry_minutes(duration)
    if typed is not None and typed != span.minutes:
        raise ValidationError(
            f"{span} is {format_duration(span.minutes)}, not {format_duration(typed)}; give "
            "the times or the duration, or make them agree."
        )
    return span.minutes, span


def moved_span(span: Span, minutes: int) -> Span:
    """A timed entry given a new duration keeps its start; its end follows."""
    if span.start + minutes > 24 * 60:
        raise ValidationError(
            f"Starting at {format_time_of_day(span.start)}, {format_duration(minutes)} would run "
            "past midnight; split it into two entries."
        )
    return Span(span.start, span.start + minutes)


def check_overlap(
    session: Session, user_id: int, day: dt.date, span: Span, except_id: int | None = None
) -> None:
    """Refuse a span that overlaps another timed entry of the person that day. Exact for
    callers holding the person's time lock; the exclusion constraint backs it."""
    query = (
        select(TimeEntry.id, TimeEntry.start_minute, TimeEntry.end_minute, Task.id, Task.title)
        .join(Task, Task.id == TimeEntry.task_id)
        .where(
            TimeEntry.user_id == user_id,
            TimeEntry.spent_on == day,
            TimeEntry.start_minute < span.end,
            TimeEntry.end_minute > span.start,
        )
        .order_by(TimeEntry.start_minute)
        .limit(1)
    )
    if except_id is not None:
        query = query.where(TimeEntry.id != except_id)
    clash = session.execute(query).first()
    if clash is not None:
        _, first, last, task_id, title = clash
        assert first is not None
        assert last is not None
        raise ValidationError(
            f"{span} on {day:%a %d %b} overlaps {Span(first, last)} on task #{task_id} "
            f"({title[:60]}); one person's timed entries cannot overlap."
        )
