"""Tasks: create, read, list, edit with optimistic locking, move through statuses, delete."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    DESCRIPTION_MAX,
    UNSET,
    Status,
    check_transition,
    clean_text,
    clean_title,
    estimate_minutes,
    format_duration,
    search_text,
)
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError
from sprintsync.models import Task, TaskEvent, TimeEntry, User
from sprintsync.services.common import acting_user, audit, check_id, page_number, task_order
from sprintsync.services.views import Actor, Page, TaskEventView, TaskView

PER_PAGE_MAX = 500

_assignee = aliased(User, name="assignee")
_creator = aliased(User, name="creator")


def _task_query() -> Select:
    return (
        select(Task, _assignee.username, _creator.username)
        .outerjoin(_assignee, _assignee.id == Task.assignee_id)
        .join(_creator, _creator.id == Task.created_by_id)
    )


def _view(task: Task, assignee: str | None, creator: str) -> TaskView:
    return TaskView(
        id=task.id,
        title=task.title,
        description=task.description,
        status=Status(task.status),
        assignee_id=task.assignee_id,
        assignee=assignee,
        created_by_id=task.created_by_id,
        created_by=creator,
        estimate_minutes=task.estimate_minutes,
        total_minutes=task.total_minutes,
        version=task.version,
        created_at=task.created_at,
        updated_at=task.updated_at,
        started_at=task.started_at,
        done_at=task.done_at,
    )


def _owned_by(user_id: int):
    """SQL for `Task.owner_id == user_id`, spelt out so the planner can use the assignee
    index for most of it (a coalesce() hides the column from every index)."""
    return or_(
        Task.assignee_id == user_id,
        (Task.assignee_id.is_(None) & (Task.created_by_id == user_id)),
    )


def load_view(session: Session, task_id: int) -> TaskView:
    row = session.execute(
        _task_query().where(Task.id == task_id).execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Task #{task_id} does not exist.")
    return _view(*row)


def readable_task(session: Session, me: Actor, task_id: int, *, lock: bool = False) -> Task:
    """The task if `me` may see it: their own, or anyone's for managers and admins."""
    query = select(Task).where(Task.id == check_id(task_id, "Task"))
    task = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if task is None:
        raise NotFound(f"Task #{task_id} does not exist.")
    if not me.sees_everyone and task.owner_id != me.id:
        raise PermissionDenied("You can only see your own tasks.")
    return task


def changeable_task(session: Session, me: Actor, task_id: int) -> Task:
    """The task, locked, if `me` may change it: their own, or any task for admins."""
    task = readable_task(session, me, task_id, lock=True)
    if not me.is_admin and task.owner_id != me.id:
        raise PermissionDenied("You can only change your own tasks.")
    return task


def _check_assignee(session: Session, me: Actor, assignee_id: int | None) -> int | None:
    if assignee_id is None or assignee_id == me.id:
        return assignee_id
    if not me.sees_everyone:
        raise PermissionDenied("Only managers and admins can assign tasks to others.")
    check_id(assignee_id, "User")
    active = session.scalar(select(User.is_active).where(User.id == assignee_id))
    if active is None:
        raise NotFound(f"User #{assignee_id} does not exist.")
    if not active:
        raise ValidationError("Tasks cannot be assigned to a deactivated user.")
    return assignee_id


def create_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    estimate: str | int | None = None,
    assignee_id: int | object | None = UNSET,
) -> TaskView:
    """A new to-do task, assigned to the creator unless a manager or admin names someone."""
    title = clean_title(title)
    description = clean_text(description, field="Description", max_len=DESCRIPTION_MAX)
    minutes = estimate_minutes(estimate)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        assignee = _check_assignee(s, me, me.id if assignee_id is UNSET else assignee_id)
        task_id = s.scalar(
            insert(Task)
            .values(
                title=title,
                description=description,
                estimate_minutes=minutes,
                assignee_id=assignee,
                created_by_id=me.id,
            )
            .returning(Task.id)
        )
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
) -> Select:
    """The tasks these filters match, as the actor may see them, most recently changed first."""
    me = acting_user(s, actor)
    query = _task_query()
    if everyone or (assignee_id is not None and assignee_id != me.id):
        if not me.sees_everyone:
            raise PermissionDenied("Only managers and admins can list other people's tasks.")
    else:
        query = query.where(_owned_by(me.id))
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
    order: str = "changed",
) -> Page[TaskView]:
    """Own tasks, or everyone's (managers, admins); in `order` (common.TASK_ORDERS)."""
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationError(f"Page size must be between 1 and {PER_PAGE_MAX}.")
    page = page_number(page)
    with uow:
        s = uow.session
        query = _listing(
            s, actor, status=status, assignee_id=assignee_id, search=search, everyone=everyone
        )
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
        ordered = query.order_by(None).order_by(*task_order(order))
        rows = s.execute(ordered.limit(per_page).offset((page - 1) * per_page)).all()
        return Page([_view(*row) for row in rows], int(total or 0), page, per_page)


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
        return [_view(*row) for row in s.execute(query).all()]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def update_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    task_id: int,
    expected_version: int,
    title: str | object = UNSET,
    description: str | object = UNSET,
    estimate: str | int | object | None = UNSET,
    assignee_id: int | object | None = UNSET,
) -> TaskView:
    """Edit fields if nobody saved since `expected_version`; otherwise Conflict, nothing saved."""
    values: dict[str, object] = {}
    if title is not UNSET:
        values["title"] = clean_title(title)  # type: ignore[arg-type]
    if description is not UNSET:
        values["description"] = clean_text(
            description,  # type: ignore[arg-type]
            field="Description",
            max_len=DESCRIPTION_MAX,
        )
    if estimate is not UNSET:
        values["estimate_minutes"] = estimate_minutes(estimate)  # type: ignore[arg-type]
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        if assignee_id is not UNSET:
            values["assignee_id"] = _check_assignee(s, me, assignee_id)  # type: ignore[arg-type]
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
