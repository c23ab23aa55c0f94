"""What the timesheet services return: weeks and their states, a saved grid, reminders, the
detailed time report. Frozen values, like everything in views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sprintsync.domain import counted
from sprintsync.workweek import WeekState, format_time_of_day


@dataclass(frozen=True, slots=True)
class WeekView:
    """One person's week: its state, who decided it and why, and the time in it."""

    user_id: int
    username: str
    full_name: str
    week_start: dt.date
    state: WeekState
    logged_minutes: int
    expected_minutes: int
    comment: str = ""
    submitted_at: dt.datetime | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    version: int = 0  # 0: the week has no row yet

    @property
    def short(self) -> bool:
        """Less logged than expected (a week expected to hold nothing is never short)."""
        return self.logged_minutes < self.expected_minutes

    @property
    def locked(self) -> bool:
        return self.state == WeekState.APPROVED

    def as_json(self) -> dict[str, Any]:
        return {
            "user": self.username,
            "week": self.week_start.isoformat(),
            "state": self.state.value,
            "logged_minutes": self.logged_minutes,
            "expected_minutes": self.expected_minutes,
            "short": self.short,
            "comment": self.comment,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


@dataclass(frozen=True, slots=True)
class GridCell:
    """One cell of a week grid as saved: the task, the day (0 Monday .. 6 Sunday), what was
    typed, and the minutes the grid showed when it was drawn (None: do not check)."""

    task_id: int
    day: int
    typed: str | int | None
    drawn: int | None = None


@dataclass(frozen=True, slots=True)
class GridSaved:
    """What one save of a week grid did to the entries underneath."""

    week_start: dt.date
    cells_changed: int
    entries_added: int
    entries_changed: int
    entries_removed: int
    removed_notes: tuple[str, ...] = ()
    withdrew_submission: bool = False

    @property
    def summary(self) -> str:
        if not self.cells_changed:
            return "Nothing changed, so nothing was saved."
        parts = [f"Saved {counted(self.cells_changed, 'cell')}"]
        counts = [
            (self.entries_added, "added"),
            (self.entries_changed, "changed"),
            (self.entries_removed, "removed"),
        ]
        done = [f"{n} {what}" for n, what in counts if n]
        message = parts[0] + (f" (entries: {', '.join(done)})" if done else "") + "."
        if self.removed_notes:
            message += " Removed notes: " + "; ".join(repr(n) for n in self.removed_notes) + "."
        if self.withdrew_submission:
            message += " The week had been submitted: submit it again when you are done."
        return message


@dataclass(frozen=True, slots=True)
class ReminderView:
    id: int
    user_id: int
    username: str
    full_name: str
    email: str | None
    week_start: dt.date
    logged_minutes: int
    expected_minutes: int
    times: int


@dataclass(frozen=True, slots=True)
class EntryRow:
    """One time entry in the detailed report."""

    entry_id: int
    username: str
    full_name: str
    project_key: str
    sprint: str | None
    task_id: int
    task_title: str
    spent_on: dt.date
    start_minute: int | None
    end_minute: int | None
    minutes: int
    note: str
    week_state: WeekState

    @property
    def start(self) -> str:
        return format_time_of_day(self.start_minute)

    @property
    def end(self) -> str:
        return format_time_of_day(self.end_minute)


@dataclass(frozen=True, slots=True)
class EntryReport:
    start: dt.date
    end: dt.date
    rows: tuple[EntryRow, ...]

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.rows)
