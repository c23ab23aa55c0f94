"""Reading task rows for the services: the query behind every task view, and the access rules
(who may see a task, who may change it, who may be given one)."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import ColumnElement

from sprintsync.domain import Status
from sprintsync.errors import NotFound, PermissionDenied, ValidationError
from sprintsync.models import Task, User
from sprintsync.services.common import check_id
from sprintsync.services.views import Actor, TaskView

_assignee = aliased(User, name="assignee")
_creator = aliased(User, name="creator")


def task_query() -> Select[Task, str, str]:
    return (
        select(Task, _assignee.username, _creator.username)
        .outerjoin(_assignee, _assignee.id == Task.assignee_id)
        .join(_creator, _creator.id == Task.created_by_id)
    )


def task_view(task: Task, assignee: str | None, creator: str) -> TaskView:
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


def owned_by(user_id: int) -> ColumnElement[bool]:
    """SQL for `Task.owner_id == user_id`, spelt out so the planner can use the assignee
    index for most of it (a coalesce() hides the column from every index)."""
    return or_(
        Task.assignee_id == user_id,
        (Task.assignee_id.is_(None) & (Task.created_by_id == user_id)),
    )


def load_view(session: Session, task_id: int) -> TaskView:
    row = session.execute(
        task_query().where(Task.id == task_id).execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Task #{task_id} does not exist.")
    return task_view(*row)


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


def check_assignee(session: Session, me: Actor, assignee_id: int | None) -> int | None:
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
