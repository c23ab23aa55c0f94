"""Time entries: log, edit and delete, keeping each task's total_minutes equal to their sum."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.orm import Session

from sprintsync.clock import today
from sprintsync.db import UnitOfWork
from sprintsync.domain import DATE_MIN, NOTE_MAX, UNSET, check_range, clean_text, entry_minutes
from sprintsync.errors import NotFound, PermissionDenied, ValidationError
from sprintsync.models import Task, TimeEntry, User
from sprintsync.services.common import acting_user, audit, check_id, whose
from sprintsync.services.task_fields import check_open_for_work
from sprintsync.services.tasks import changeable_task, readable_task
from sprintsync.services.views import Actor, TimeEntryView

EARLIEST = DATE_MIN


def clean_spent_on(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                f"{value.strip()[:40]!r} is not a date; use YYYY-MM-DD."
            ) from None
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


def _entry_query() -> Select:
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


def add_entry(
    session: Session, me: Actor, task_id: int, minutes: int, spent_on: dt.date, note: str
) -> int:
    """Insert an entry and count it into its task (for callers holding a checked task)."""
    entry_id = session.scalar(
        insert(TimeEntry)
        .values(task_id=task_id, user_id=me.id, minutes=minutes, spent_on=spent_on, note=note)
        .returning(TimeEntry.id)
    )
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
    duration: str | int,
    spent_on: dt.date | str | None = None,
    note: str = "",
) -> TimeEntryView:
    """Log time on one of your tasks: `90`, `45m`, `1h30m`, `1.5h`; today unless a date is given."""
    minutes = entry_minutes(duration)
    day = clean_spent_on(spent_on)
    note = clean_note(note)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        check_open_for_work(s, changeable_task(s, me, task_id).project_id)
        entry_id = add_entry(s, me, task_id, minutes, day, note)
        view = load_entry(s, entry_id)
        uow.commit()
        return view


def _own_entry(session: Session, me: Actor, entry_id: int) -> TimeEntry:
    """The entry, locked after its task (always task first, so no two writers deadlock)."""
    task_id = session.scalar(
        select(TimeEntry.task_id).where(TimeEntry.id == check_id(entry_id, "Time entry"))
    )
    if task_id is None:
        raise NotFound(f"Time entry #{entry_id} does not exist.")
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
    duration: str | int | object = UNSET,
    spent_on: dt.date | str | object = UNSET,
    note: str | object = UNSET,
) -> TimeEntryView:
    values: dict[str, object] = {}
    if duration is not UNSET:
        values["minutes"] = entry_minutes(duration)  # type: ignore[arg-type]
    if spent_on is not UNSET:
        values["spent_on"] = clean_spent_on(spent_on)  # type: ignore[arg-type]
    if note is not UNSET:
        values["note"] = clean_note(note)  # type: ignore[arg-type]
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        entry = _own_entry(s, me, entry_id)
        changed = {k: v for k, v in values.items() if getattr(entry, k) != v}
        if changed:
            delta = int(changed.get("minutes", entry.minutes)) - entry.minutes  # type: ignore[call-overload]
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
        view = load_entry(s, entry_id)
        uow.commit()
        return view


def delete_entry(uow: UnitOfWork, *, actor: Actor, entry_id: int) -> None:
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        entry = _own_entry(s, me, entry_id)
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
