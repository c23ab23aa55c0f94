"""The detailed time report: every entry with its person, project, sprint, task, day, times,
duration, note and week state, filtered by dates, people, projects and tags. For managers,
admins and the console; files are made from it by sprintsync/exports.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, func, select

from sprintsync.db import UnitOfWork
from sprintsync.domain import check_range, clean_line
from sprintsync.errors import ValidationError
from sprintsync.models import Project, Sprint, Tag, Task, TaskTag, TimeEntry, TimesheetWeek, User
from sprintsync.planning import TAG_MAX, clean_tag
from sprintsync.services.common import check_id, require_lead
from sprintsync.services.timesheet_views import EntryReport, EntryRow
from sprintsync.services.views import Actor
from sprintsync.workweek import WeekState

ROWS_MAX = 200_000
FILTER_MAX = 500


def _ids(values: Iterable[int] | None, what: str) -> list[int] | None:
    if values is None:
        return None
    found = [check_id(int(v), what) for v in values]
    if len(found) > FILTER_MAX:
        raise ValidationError(f"Choose at most {FILTER_MAX} {what.lower()}s.")
    return found or None


def _tag_filter(text: str) -> str:
    # clean_tag reads a tag as it would be stored, cutting a long run of spaces away; a filter
    # longer than any tag could be is refused whole instead, so none is quietly read as "1".
    return clean_tag(clean_line(text, field="A tag", max_len=TAG_MAX, required=True)).lower()


def time_entries_report(
    uow: UnitOfWork,
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    user_ids: Iterable[int] | None = None,
    project_ids: Iterable[int] | None = None,
    tags: Iterable[str] | None = None,
) -> EntryReport:
    """Every entry from start to end (inclusive, at most a year) of the chosen people, on
    tasks of the chosen projects carrying any of the chosen tags (None: no filter), by day,
    person and start."""
    check_range(start, end, max_days=367, span="one year")
    people, projects = _ids(user_ids, "Person"), _ids(project_ids, "Project")
    chosen = None if tags is None else list(tags)[: FILTER_MAX + 1]
    if chosen is not None and len(chosen) > FILTER_MAX:
        raise ValidationError(f"Choose at most {FILTER_MAX} tags.")
    names = None if chosen is None else sorted({_tag_filter(t) for t in chosen})
    with uow:
        s = uow.session
        require_lead(s, actor, "Only managers and admins can see the detailed time report.")
        week = func.date_trunc("week", TimeEntry.spent_on).cast(TimesheetWeek.week.type)
        query = (
            select(
                TimeEntry,
                User.username,
                User.full_name,
                Project.key,
                Sprint.name,
                Task.title,
                TimesheetWeek.state,
            )
            .join(User, User.id == TimeEntry.user_id)
            .join(Task, Task.id == TimeEntry.task_id)
            .join(Project, Project.id == Task.project_id)
            .outerjoin(Sprint, Sprint.id == Task.sprint_id)
            .outerjoin(
                TimesheetWeek,
                and_(TimesheetWeek.user_id == TimeEntry.user_id, TimesheetWeek.week == week),
            )
            .where(TimeEntry.spent_on.between(start, end))
            .order_by(
                TimeEntry.spent_on, func.lower(User.username), TimeEntry.start_minute, TimeEntry.id
            )
        )
        if people:
            query = query.where(TimeEntry.user_id.in_(people))
        if projects:
            query = query.where(Task.project_id.in_(projects))
        if names:
            tagged = (
                select(TaskTag.task_id)
                .join(Tag, Tag.id == TaskTag.tag_id)
                .where(func.lower(Tag.name).in_(names))
            )
            query = query.where(TimeEntry.task_id.in_(tagged))
        rows = s.execute(query.limit(ROWS_MAX + 1)).all()
        if len(rows) > ROWS_MAX:
            raise ValidationError(
                f"That is more than {ROWS_MAX:,} entries; choose fewer days, people or projects."
            )
        return EntryReport(
            start,
            end,
            tuple(
                EntryRow(
                    entry_id=e.id,
                    username=name,
                    full_name=full,
                    project_key=key,
                    sprint=sprint,
                    task_id=e.task_id,
                    task_title=title,
                    spent_on=e.spent_on,
                    start_minute=e.start_minute,
                    end_minute=e.end_minute,
                    minutes=e.minutes,
                    note=e.note,
                    week_state=WeekState(state) if state else WeekState.DRAFT,
                )
                for e, name, full, key, sprint, title, state in rows
            ),
        )
