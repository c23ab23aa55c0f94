"""Time entries: log, edit and delete, keeping each task's total_minutes equal to their sum."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.orm import Session

from sprintsync.clock import today
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    DATE_MIN,
    NOTE_MAX,
    UNSET,
    Unset,
    check_range,
    clean_text,
    entry_minutes,
    format_duration,
    parse_day,
)
from sprintsync.errors import NotFound, PermissionDenied, ValidationError
from sprintsync.models import Task, TimeEntry, User, UserDayTotal
from sprintsync.services.common import acting_user, audit, check_id, whose
from sprintsync.services.entry_span import Span, check_overlap, minutes_and_span, moved_span
from sprintsync.services.task_fields import check_open_for_work
from sprintsync.services.task_query import changeable_task, readable_task
from sprintsync.services.views import Actor, TimeEntryView
from sprintsync.services.week_lock import refuse_locked_weeks, withdraw_submissions

EARLIEST = DATE_MIN


def clean_spent_on(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        value = parse_day(value)
    if not isinstance(value, dt.date):
        raise ValidationError("The date must be a calendar date (YYYY-MM-DD).")
    latest = today() + dt.timedelta(days=1)  # one day of slack for people ahead of our zone
    if not EARLIEST <= value <= latest:
        raise ValidationError(
            f"Time can be logged from {EARLIEST:%Y-%m-%d} up to today, not on {value:%Y-%m-%d}."
        )
    return value


def clean_note(note: str | None) -> str:
    return clean_text(note, field="Note", max_len=NOTE_MAX)


def _entry_query() -> Select[TimeEntry, str, str]:
    return (
        select(TimeEntry, Task.title, User.username)
        .join(Task, Task.id == TimeEntry.task_id)
        .join(User, User.id == TimeEntry.user_id)
    )


def _view(entry: TimeEntry, title: str, username: str) -> TimeEntryView:
    return TimeEntryView(
        id=entry.id,
        task_id=entry.task_id,
        task_title=title,
        user_id=entry.user_id,
        username=username,
        minutes=entry.minutes,
        spent_on=entry.spent_on,
        note=entry.note,
        created_at=entry.created_at,
        start_minute=entry.start_minute,
        end_minute=entry.end_minute,
    )


def load_entry(session: Session, entry_id: int) -> TimeEntryView:
    row = session.execute(
        _entry_query().where(TimeEntry.id == entry_id).execution_options(populate_existing=True)
    ).one()
    return _view(*row)


def _add_to_total(session: Session, task_id: int, minutes: int) -> None:
    session.execute(
        update(Task).where(Task.id == task_id).values(total_minutes=Task.total_minutes + minutes)
    )


def lock_time_of(session: Session, user_id: int) -> None:
    """Serialise changes to one person's time (their row, FOR NO KEY UPDATE, which leaves
    foreign-key checks of inserts that reference them alone). Taken before any task lock, as
    the timers take it, so writers never wait on each other in a circle."""
    session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))


def day_cap() -> int:
    """SPRINTSYNC_MAX_DAY_HOURS (16 by default) in minutes: the most one person logs a day."""
    return get_settings().max_day_minutes


def check_day_total(
    session: Session, user_id: int, day: dt.date, adding: int, replacing: int = 0
) -> None:
    """Refuse time that would give one person more than the daily cap on one day (entries are
    each at most a day, but three of them made 72 hours). `replacing` is what an edit takes
    away from that day. Exact under concurrency for callers holding lock_time_of: two tabs
    logging at once take turns on the person's row."""
    logged = session.execute(
        select(func.coalesce(func.sum(UserDayTotal.minutes), 0)).where(
            UserDayTotal.user_id == user_id, UserDayTotal.spent_on == day
        )
    ).scalar_one()
    already = int(logged) - replacing
    cap = day_cap()
    if already + adding > cap:
        raise ValidationError(
            f"{day:%a %d %b %Y} already has {format_duration(already)} logged; "
            f"{format_duration(adding)} more would make it more than {format_duration(cap)}, "
            "the most one person logs a day."
        )


def add_entry(
    session: Session,
    me: Actor,
    task_id: int,
    minutes: int,
    spent_on: dt.date,
    note: str,
    span: Span | None = None,
) -> int:
    """Insert an entry and count it into its task (for callers holding a checked task)."""
    times = {"start_minute": span.start, "end_minute": span.end} if span else {}
    entry_id = session.execute(
        insert(TimeEntry)
        .values(
            task_id=task_id, user_id=me.id, minutes=minutes, spent_on=spent_on, note=note, **times
        )
        .returning(TimeEntry.id)
    ).scalar_one()
    _add_to_total(session, task_id, minutes)
    audit(
        session,
        me,
        "time.log",
        f"task:{task_id}",
        entry_id=entry_id,
        minutes=minutes,
        spent_on=spent_on.isoformat(),
    )
    return int(entry_id)


def log_time(
    uow: UnitOfWork,
    *,
    actor: Actor,
    task_id: int,
    duration: str | int | None = None,
    spent_on: dt.date | str | None = None,
    note: str = "",
    start: str | None = None,
    end: str | None = None,
) -> TimeEntryView:
    """Log time on one of your tasks: `90`, `45m`, `1h30m`, `1.5h`, or a start and end time
    of day (`09:00` to `10:30`, never overlapping your other timed entries); today unless a
    date is given. Refused in an approved week (WeekLocked)."""
    minutes, span = minutes_and_span(duration, start, end)
    day = clean_spent_on(spent_on)
    note = clean_note(note)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        lock_time_of(s, me.id)
        refuse_locked_weeks(s, me, me.id, [day])
        check_open_for_work(s, changeable_task(s, me, task_id).project_id)
        check_day_total(s, me.id, day, minutes)
        if span is not None:
            check_overlap(s, me.id, day, span)
        entry_id = add_entry(s, me, task_id, minutes, day, note, span)
        withdraw_submissions(s, me, me.id, [day])
        view = load_entry(s, entry_id)
        uow.commit()
        return view


def _own_entry(session: Session, me: Actor, entry_id: int) -> TimeEntry:
    """The entry, locked after its owner's time and its task (always in that order, so no two
    writers deadlock)."""
    found = session.execute(
        select(TimeEntry.task_id, TimeEntry.user_id).where(
            TimeEntry.id == check_id(entry_id, "Time entry")
        )
    ).one_or_none()
    if found is None:
        raise NotFound(f"Time entry #{entry_id} does not exist.")
    task_id, owner_id = found
    lock_time_of(session, owner_id)
    session.execute(select(Task.id).where(Task.id == task_id).with_for_update())
    entry = session.scalars(
        select(TimeEntry).where(TimeEntry.id == entry_id).with_for_update()
    ).one_or_none()
    if entry is None:
        raise NotFound(f"Time entry #{entry_id} does not exist.")
    if entry.user_id != me.id and not me.is_admin:
        raise PermissionDenied("You can only change your own time entries.")
    return entry


def edit_entry(
    uow: UnitOfWork,
    *,
    actor: Actor,
    entry_id: int,
    duration: str | int | Unset = UNSET,
    spent_on: dt.date | str | Unset | None = UNSET,
    note: str | Unset = UNSET,
    start: str | Unset | None = UNSET,
    end: str | Unset | None = UNSET,
) -> TimeEntryView:
    """Change an entry's duration, day (a move, refused into or out of an approved week),
    note or times of day: new times set the duration; a new duration on a timed entry keeps
    its start and moves its end; empty times make it an entry without times."""
    values: dict[str, object] = {}
    given = None if duration is UNSET else duration
    first, last = (None if t is UNSET else t for t in (start, end))
    retimed = start is not UNSET or end is not UNSET
    untimed = retimed and not (first or "").strip() and not (last or "").strip()
    minutes, span = None, None
    if retimed and not untimed:
        minutes, span = minutes_and_span(given, first, last)
    elif given is not None:
        minutes = entry_minutes(given)
    if untimed:
        values["start_minute"] = values["end_minute"] = None
    if spent_on is not UNSET:
        values["spent_on"] = clean_spent_on(spent_on)
    if note is not UNSET:
        values["note"] = clean_note(note)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        entry = _own_entry(s, me, entry_id)
        if span is None and minutes is not None and not retimed and entry.start_minute is not None:
            span = moved_span(Span(entry.start_minute, entry.end_minute or 0), minutes)
        if span is not None:
            values |= {"start_minute": span.start, "end_minute": span.end}
        if minutes is not None:
            values["minutes"] = minutes
        changed = {k: v for k, v in values.items() if getattr(entry, k) != v}
        if changed:
            day = values["spent_on"] if "spent_on" in changed else entry.spent_on
            assert isinstance(day, dt.date)
            refuse_locked_weeks(s, me, entry.user_id, {entry.spent_on, day})
            new_minutes = entry.minutes if minutes is None else minutes
            moved = day != entry.spent_on
            check_day_total(
                s, entry.user_id, day, new_minutes, replacing=0 if moved else entry.minutes
            )
            if span is None and not untimed and entry.start_minute is not None:
                span = Span(entry.start_minute, entry.end_minute or 0)  # kept, maybe moved day
            if span is not None:
                check_overlap(s, entry.user_id, day, span, except_id=entry_id)
            delta = new_minutes - entry.minutes
            s.execute(update(TimeEntry).where(TimeEntry.id == entry_id).values(**changed))
            if delta:
                _add_to_total(s, entry.task_id, delta)
            audit(
                s,
                me,
                "time.edit",
                f"task:{entry.task_id}",
                entry_id=entry_id,
                fields=sorted(changed),
                minutes_delta=delta,
            )
            withdraw_submissions(s, me, entry.user_id, {entry.spent_on, day})
        view = load_entry(s, entry_id)
        uow.commit()
        return view


def delete_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> None:
    """Delete one of your entries (any, for admins); refused in an approved week."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        entry = _own_entry(s, me, entry_id)
        refuse_locked_weeks(s, me, entry.user_id, [entry.spent_on])
        s.execute(delete(TimeEntry).where(TimeEntry.id == entry_id))
        _add_to_total(s, entry.task_id, -entry.minutes)
        audit(
            s,
            me,
            "time.delete",
            f"task:{entry.task_id}",
            entry_id=entry_id,
            minutes=entry.minutes,
            spent_on=entry.spent_on.isoformat(),
        )
        withdraw_submissions(s, me, entry.user_id, [entry.spent_on])
        uow.commit()


def task_entries(uow: UnitOfWork, *, actor: Actor, task_id: int) -> list[TimeEntryView]:
    """A task's entries, newest first, for anyone who may see the task."""
    with uow:
        s = uow.session
        readable_task(s, acting_user(s, actor), task_id)
        rows = s.execute(
            _entry_query()
            .where(TimeEntry.task_id == task_id)
            .order_by(TimeEntry.spent_on.desc(), TimeEntry.id.desc())
        ).all()
        return [_view(*row) for row in rows]


def user_entries(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_id: int | None = None,
) -> list[TimeEntryView]:
    """One person's entries from start to end inclusive (yourself, or anyone for managers)."""
    check_range(start, end, max_days=367, span="one year")
    with uow:
        s = uow.session
        who = whose(acting_user(s, actor), user_id, "time entries")
        rows = s.execute(
            _entry_query()
            .where(TimeEntry.user_id == who, TimeEntry.spent_on.between(start, end))
            .order_by(TimeEntry.spent_on, TimeEntry.id)
        ).all()
        return [_view(*row) for row in rows]
