"""Tasks: create, read, list, edit with optimistic locking, move through statuses, delete."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    DESCRIPTION_MAX,
    UNSET,
    Status,
    Unset,
    check_transition,
    clean_text,
    clean_title,
    estimate_minutes,
    format_duration,
    search_text,
)
from sprintsync.errors import Conflict, PermissionDenied, ValidationError
from sprintsync.models import Task, TaskEvent, TimeEntry, Timer, User
from sprintsync.services.common import acting_user, audit, check_id, page_number
from sprintsync.services.task_rows import (
    changeable_task,
    check_assignee,
    load_view,
    owned_by,
    readable_task,
    task_query,
    task_view,
)
from sprintsync.services.views import Actor, Page, TaskEventView, TaskView

PER_PAGE_MAX = 500


def create_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    estimate: str | int | None = None,
    assignee_id: int | Unset | None = UNSET,
) -> TaskView:
    """A new to-do task, assigned to the creator unless a manager or admin names someone."""
    title = clean_title(title)
    description = clean_text(description, field="Description", max_len=DESCRIPTION_MAX)
    minutes = estimate_minutes(estimate)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        assignee = check_assignee(s, me, me.id if assignee_id is UNSET else assignee_id)
        task_id = s.execute(
            insert(Task)
            .values(
                title=title,
                description=description,
                estimate_minutes=minutes,
                assignee_id=assignee,
                created_by_id=me.id,
            )
            .returning(Task.id)
        ).scalar_one()
        s.execute(insert(TaskEvent).values(task_id=task_id, to_status="todo", actor_id=me.id))
        audit(s, me, "task.create", f"task:{task_id}", title=title, assignee_id=assignee)
        view = load_view(s, task_id)
        uow.commit()
        return view


def get_task(uow: UnitOfWork, *, actor: Actor, task_id: int) -> TaskView:
    with uow:
        s = uow.session
        readable_task(s, acting_user(s, actor), task_id)
        return load_view(s, task_id)


def _listing(
    s: Session,
    actor: Actor,
    *,
    status: Status | str | Iterable[Status | str] | None,
    assignee_id: int | None,
    search: str | None,
    everyone: bool,
) -> Select[Task, str, str]:
    """The tasks these filters match, as the actor may see them, most recently changed first."""
    me = acting_user(s, actor)
    query = task_query()
    if everyone or (assignee_id is not None and assignee_id != me.id):
        if not me.sees_everyone:
            raise PermissionDenied("Only managers and admins can list other people's tasks.")
    else:
        query = query.where(owned_by(me.id))
    if assignee_id is not None:
        query = query.where(Task.assignee_id == check_id(assignee_id, "User"))
    if status:
        wanted = [status] if isinstance(status, str | Status) else list(status)
        query = query.where(Task.status.in_([Status.parse(x).value for x in wanted]))
    search = search_text(search)
    if search:
        pattern = "%" + _escape_like(search) + "%"
        query = query.where(
            or_(
                Task.title.ilike(pattern, escape="\\"),
                Task.description.ilike(pattern, escape="\\"),
            )
        )
    return query.order_by(Task.updated_at.desc(), Task.id.desc())


def list_tasks(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: Status | str | Iterable[Status | str] | None = None,
    assignee_id: int | None = None,
    search: str | None = None,
    everyone: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page[TaskView]:
    """Own tasks, or with everyone=True (managers and admins) the whole team's; newest first."""
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationError(f"Page size must be between 1 and {PER_PAGE_MAX}.")
    page = page_number(page)
    with uow:
        s = uow.session
        query = _listing(
            s, actor, status=status, assignee_id=assignee_id, search=search, everyone=everyone
        )
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        rows = s.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
        return Page([task_view(*row) for row in rows], int(total or 0), page, per_page)


def all_tasks(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: Status | str | Iterable[Status | str] | None = None,
    assignee_id: int | None = None,
    search: str | None = None,
    everyone: bool = False,
) -> list[TaskView]:
    """Every task list_tasks would page through, read at once (exports, the CLI): one query,
    so a task changed meanwhile is neither missed nor listed twice, as it could be between
    pages."""
    with uow:
        s = uow.session
        query = _listing(
            s, actor, status=status, assignee_id=assignee_id, search=search, everyone=everyone
        )
        return [task_view(*row) for row in s.execute(query).all()]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def update_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    task_id: int,
    expected_version: int,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    estimate: str | int | Unset | None = UNSET,
    assignee_id: int | Unset | None = UNSET,
) -> TaskView:
    """Edit fields if nobody saved since `expected_version`; otherwise Conflict, nothing saved."""
    values: dict[str, object] = {}
    if title is not UNSET:
        values["title"] = clean_title(title)
    if description is not UNSET:
        values["description"] = clean_text(
            description,
            field="Description",
            max_len=DESCRIPTION_MAX,
        )
    if estimate is not UNSET:
        values["estimate_minutes"] = estimate_minutes(estimate)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        if assignee_id is not UNSET:
            values["assignee_id"] = check_assignee(s, me, assignee_id)
        if task.version != expected_version:
            raise Conflict(
                f"Task #{task_id} was changed by someone else after you opened it, "
                "so nothing was saved. Reload it to see their changes, then apply yours."
            )
        changed = {k: v for k, v in values.items() if getattr(task, k) != v}
        if changed:
            s.execute(
                update(Task)
                .where(Task.id == task_id, Task.version == expected_version)
                .values(**changed, version=Task.version + 1, updated_at=func.now())
            )
            audit(
                s,
                me,
                "task.update",
                f"task:{task_id}",
                fields=sorted(changed),
                **({"title": changed["title"]} if "title" in changed else {}),
            )
        view = load_view(s, task_id)
        uow.commit()
        return view


def move_task(uow: UnitOfWork, *, actor: Actor, task_id: int, to_status: Status | str) -> TaskView:
    """Move along todo -> in_progress -> done (and back: in_progress -> todo, done -> reopen)."""
    target = Status.parse(to_status)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        current = Status(task.status)
        check_transition(current, target)
        # The time the move happened is read now that the row is locked, not now() (when the
        # transaction began): moves then stamp in the order they took the lock, and a stale
        # tab's reopen cannot be dated before the finish it undoes.
        at = s.scalar(select(func.clock_timestamp()))
        stamps: dict[str, object] = {}
        if target == Status.IN_PROGRESS:
            stamps = {"started_at": func.coalesce(Task.started_at, at), "done_at": None}
        elif target == Status.DONE:
            stamps = {"done_at": at}
        elif target == Status.TODO:
            stamps = {"started_at": None}
        s.execute(
            update(Task)
            .where(Task.id == task_id)
            .values(status=target.value, version=Task.version + 1, updated_at=at, **stamps)
        )
        s.execute(
            insert(TaskEvent).values(
                task_id=task_id,
                from_status=current.value,
                to_status=target.value,
                actor_id=me.id,
                at=at,
            )
        )
        audit(s, me, "task.move", f"task:{task_id}", **{"from": current.value, "to": target.value})
        view = load_view(s, task_id)
        uow.commit()
        return view


def delete_task(
    uow: UnitOfWork, *, actor: Actor, task_id: int, delete_entries: bool = False
) -> None:
    """Delete a task. If time was logged on it, the caller must confirm deleting those entries
    too (delete_entries=True); otherwise Conflict and nothing changes. Time other people logged
    is theirs: only an admin may delete a task that holds it."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        _refuse_while_timed(s, me, task_id)
        if not me.is_admin:
            others = s.scalars(
                select(User.username)
                .join(TimeEntry, TimeEntry.user_id == User.id)
                .where(TimeEntry.task_id == task_id, TimeEntry.user_id != me.id)
                .group_by(User.username)
                .order_by(User.username)
            ).all()
            if others:
                raise PermissionDenied(
                    f"Task #{task_id} holds time logged by {', '.join(others)}; only an admin "
                    "can delete other people's time. Move the task to done instead."
                )
        count, minutes = s.execute(
            select(func.count(), func.coalesce(func.sum(TimeEntry.minutes), 0)).where(
                TimeEntry.task_id == task_id
            )
        ).one()
        if count and not delete_entries:
            raise Conflict(
                f"Task #{task_id} has {count} time "
                f"entr{'y' if count == 1 else 'ies'} ({format_duration(minutes)}). "
                "Confirm to delete them together with the task."
            )
        s.execute(delete(TimeEntry).where(TimeEntry.task_id == task_id))
        s.execute(delete(Task).where(Task.id == task_id))
        audit(
            s,
            me,
            "task.delete",
            f"task:{task_id}",
            title=task.title,
            entries_deleted=int(count),
            minutes_deleted=int(minutes),
        )
        uow.commit()


def _refuse_while_timed(session: Session, me: Actor, task_id: int) -> None:
    """A running timer is time someone is tracking: the task stays until it is stopped (which
    keeps the time as an entry) or discarded by its owner. Timers start under the task's
    lock, which the caller holds, so none can start meanwhile."""
    timing = session.execute(
        select(Timer.user_id, User.username)
        .join(User, User.id == Timer.user_id)
        .where(Timer.task_id == task_id)
        .order_by(User.username)
    ).all()
    if not timing:
        return
    if [user_id for user_id, _ in timing] == [me.id]:
        raise Conflict(
            f"Your timer is running on task #{task_id}: stop it (to keep the time) or discard "
            "it, then delete the task."
        )
    names = ", ".join(name for _, name in timing)
    raise Conflict(
        f"A timer is running on task #{task_id} ({names}): the task can be deleted once it is "
        "stopped, so the time being tracked is not lost. Move the task to done instead."
    )


def task_history(uow: UnitOfWork, *, actor: Actor, task_id: int) -> list[TaskEventView]:
    with uow:
        s = uow.session
        readable_task(s, acting_user(s, actor), task_id)
        rows = s.execute(
            select(TaskEvent, User.username)
            .outerjoin(User, User.id == TaskEvent.actor_id)
            .where(TaskEvent.task_id == task_id)
            .order_by(TaskEvent.at, TaskEvent.id)
        ).all()
        return [
            TaskEventView(
                e.task_id,
                Status(e.from_status) if e.from_status else None,
                Status(e.to_status),
                name,
                e.at,
            )
            for e, name in rows
        ]
