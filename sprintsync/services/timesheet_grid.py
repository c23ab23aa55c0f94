"""Saving a week grid: what each typed cell (a task on a day) becomes in time entries, in one
transaction for the whole grid.

A cell shows the sum of the person's entries on that task that day. Saving it:
- unchanged (what was typed reads as the minutes shown): nothing happens;
- empty before, time now: one new entry without times and without a note;
- more than before: the newest entry without times grows by the difference (its note kept);
  if there is none (or it would pass 24 hours), a new entry holds the difference;
- less than before, not empty: entries without times shrink, newest first, and one shrunk
  to nothing is removed (its note is reported back and kept in the audit log); entries with
  start and end times are never cut by the grid: if the rest cannot absorb the cut, the save
  is refused and says so;
- emptied (or 0): every entry of the cell is removed, timed ones included (notes reported).

Each cell carries the minutes the grid showed when it was drawn: if the cell holds anything
else now (time logged or changed elsewhere meanwhile), the whole save is a Conflict and
nothing is saved, so the page keeps what was typed. Cells nobody changed are not compared:
time logged elsewhere on another cell does not conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import MINUTES_PER_ENTRY_MAX, format_duration, parse_duration, shorten
from sprintsync.errors import Conflict, NotFound, ValidationError
from sprintsync.models import Task, TimeEntry
from sprintsync.services.common import acting_user, audit, check_id
from sprintsync.services.task_fields import check_open_for_work
from sprintsync.services.task_query import changeable_task
from sprintsync.services.timelog import check_day_total, lock_time_of
from sprintsync.services.timesheet_views import GridCell, GridSaved
from sprintsync.services.views import Actor
from sprintsync.services.week_lock import refuse_locked_weeks, withdraw_submissions
from sprintsync.workweek import WEEKDAYS, week_days, week_of

CELLS_MAX = 7 * 200  # a week of 200 rows
ERRORS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class _Wanted:
    task_id: int
    day: dt.date
    minutes: int
    drawn: int | None


def cell_minutes(typed: str | int | None) -> int:
    """What a cell holds in minutes: empty and 0 are nothing; at most a day."""
    if typed is None or (isinstance(typed, str) and not typed.strip()):
        return 0
    minutes = parse_duration(typed)
    if minutes < 0:
        raise ValidationError("A cell cannot hold negative time.")
    if minutes > MINUTES_PER_ENTRY_MAX:
        raise ValidationError(f"{shorten(format_duration(minutes))} is more than a day.")
    return minutes


def _read_cells(monday: dt.date, cells: Iterable[GridCell]) -> list[_Wanted]:
    days = week_days(monday)
    wanted: dict[tuple[int, int], _Wanted] = {}
    problems: list[str] = []
    for n, cell in enumerate(cells):
        if n >= CELLS_MAX:
            raise ValidationError(f"A week grid holds at most {CELLS_MAX} cells.")
        if not 0 <= cell.day <= 6:
            raise ValidationError(f"Day {cell.day} is not a day of the week (0 to 6).")
        key = (check_id(cell.task_id, "Task"), cell.day)
        where = f"task #{cell.task_id} on {WEEKDAYS[cell.day].title()} {days[cell.day]:%d %b}"
        if key in wanted:
            raise ValidationError(f"The grid names {where} twice.")
        try:
            minutes = cell_minutes(cell.typed)
        except ValidationError as error:
            problems.append(f"{where}: {error.message}")
            continue
        wanted[key] = _Wanted(cell.task_id, days[cell.day], minutes, cell.drawn)
    if problems:
        more = len(problems) - ERRORS_SHOWN
        raise ValidationError(
            "Nothing was saved. "
            + " ".join(problems[:ERRORS_SHOWN])
            + (f" (and {more} more)" if more > 0 else "")
        )
    return sorted(wanted.values(), key=lambda w: (w.task_id, w.day))


def _entries(
    session: Session, user_id: int, monday: dt.date
) -> dict[tuple[int, dt.date], list[TimeEntry]]:
    found: dict[tuple[int, dt.date], list[TimeEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(TimeEntry)
        .where(
            TimeEntry.user_id == user_id,
            TimeEntry.spent_on.between(monday, monday + dt.timedelta(days=6)),
        )
        .order_by(TimeEntry.id)
        .execution_options(populate_existing=True)
    ):
        found[(entry.task_id, entry.spent_on)].append(entry)
    return found


class _Tally:
    def __init__(self) -> None:
        self.added = self.changed = self.removed = 0
        self.notes: list[str] = []


def _grow(
    session: Session,
    me: Actor,
    task_id: int,
    day: dt.date,
    entries: list[TimeEntry],
    more: int,
    tally: _Tally,
) -> None:
    plain = [e for e in entries if e.start_minute is None]
    if plain and plain[-1].minutes + more <= MINUTES_PER_ENTRY_MAX:
        newest = plain[-1]
        session.execute(
            update(TimeEntry).where(TimeEntry.id == newest.id).values(minutes=newest.minutes + more)
        )
        tally.changed += 1
        return
    session.execute(
        insert(TimeEntry).values(task_id=task_id, user_id=me.id, minutes=more, spent_on=day)
    )
    tally.added += 1


def _cut(
    session: Session,
    entries: list[TimeEntry],
    less: int,
    where: str,
    tally: _Tally,
    *,
    everything: bool,
) -> None:
    if everything:
        session.execute(delete(TimeEntry).where(TimeEntry.id.in_([e.id for e in entries])))
        tally.removed += len(entries)
        tally.notes += [e.note for e in entries if e.note]
        return
    plain = [e for e in entries if e.start_minute is None]
    if sum(e.minutes for e in plain) < less:
        timed = sum(e.minutes for e in entries) - sum(e.minutes for e in plain)
        raise ValidationError(
            f"Nothing was saved: {format_duration(timed)} of {where} is in entries with start "
            "and end times, which the grid does not cut. Change those on the task's time "
            "entries, or empty the cell to remove them all."
        )
    for entry in reversed(plain):
        if less <= 0:
            break
        take = min(entry.minutes, less)
        less -= take
        if take == entry.minutes:
            session.execute(delete(TimeEntry).where(TimeEntry.id == entry.id))
            tally.removed += 1
            if entry.note:
                tally.notes.append(entry.note)
        else:
            session.execute(
                update(TimeEntry)
                .where(TimeEntry.id == entry.id)
                .values(minutes=entry.minutes - take)
            )
            tally.changed += 1


def save_grid(
    uow: UnitOfWork, *, actor: Actor, week_start: dt.date, cells: Iterable[GridCell]
) -> GridSaved:
    """Save your week grid (see the module's doc for what each cell does) in one transaction:
    all of it, or nothing (a refused cell, a conflict, a full day or an approved week)."""
    monday = week_of(week_start)
    wanted = _read_cells(monday, cells)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        lock_time_of(s, me.id)
        refuse_locked_weeks(s, me, me.id, [monday])
        current = _entries(s, me.id, monday)
        held = {key: sum(e.minutes for e in entries) for key, entries in current.items()}
        changes = [w for w in wanted if w.minutes != held.get((w.task_id, w.day), 0)]
        # Changed elsewhere since drawn, and not to what was typed here.
        stale = [
            w for w in changes if w.drawn is not None and w.drawn != held.get((w.task_id, w.day), 0)
        ]
        if stale:
            raise Conflict(
                "Time in this week was changed elsewhere after the grid was drawn ("
                + "; ".join(
                    f"task #{w.task_id} on {w.day:%a %d %b}: now "
                    f"{format_duration(held.get((w.task_id, w.day), 0))}, the grid showed "
                    f"{format_duration(w.drawn)}"
                    for w in stale[:ERRORS_SHOWN]
                )
                + "), so nothing was saved. What you typed is kept: reload the week to see "
                "the change, then save again."
            )
        if not changes:
            return GridSaved(monday, 0, 0, 0, 0)
        for task_id in sorted({w.task_id for w in changes}):  # task locks in id order
            if any(
                w.minutes > held.get((w.task_id, w.day), 0) for w in changes if w.task_id == task_id
            ):
                check_open_for_work(s, changeable_task(s, me, task_id).project_id)
            elif s.scalar(select(Task.id).where(Task.id == task_id).with_for_update()) is None:
                raise NotFound(f"Task #{task_id} does not exist.")
        by_day: dict[dt.date, tuple[int, int]] = {}
        for w in changes:
            adding, replacing = by_day.get(w.day, (0, 0))
            by_day[w.day] = (adding + w.minutes, replacing + held.get((w.task_id, w.day), 0))
        for day, (adding, replacing) in sorted(by_day.items()):
            check_day_total(s, me.id, day, adding, replacing)
        tally = _Tally()
        for w in changes:
            key = (w.task_id, w.day)
            before = held.get(key, 0)
            where = f"task #{w.task_id} on {w.day:%a %d %b}"
            if w.minutes > before:
                _grow(s, me, w.task_id, w.day, current.get(key, []), w.minutes - before, tally)
            else:
                _cut(s, current[key], before - w.minutes, where, tally, everything=not w.minutes)
            s.execute(
                update(Task)
                .where(Task.id == w.task_id)
                .values(total_minutes=Task.total_minutes + (w.minutes - before))
            )
        audit(
            s,
            me,
            "timesheet.save",
            f"user:{me.id}",
            week=monday.isoformat(),
            cells=[
                {
                    "task_id": w.task_id,
                    "day": w.day.isoformat(),
                    "from": held.get((w.task_id, w.day), 0),
                    "to": w.minutes,
                }
                for w in changes
            ],
            added=tally.added,
            changed=tally.changed,
            removed=tally.removed,
            removed_notes=tally.notes,
        )
        withdrawn = withdraw_submissions(s, me, me.id, [monday])
        uow.commit()
        return GridSaved(
            monday,
            len(changes),
            tally.added,
            tally.changed,
            tally.removed,
            tuple(tally.notes),
            bool(withdrawn),
        )
