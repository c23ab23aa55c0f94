"""A task's planning fields: the project it is filed in, its sprint and its tags, checked
against the rows they name and written. Used inside the tasks' and time's transactions."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from sprintsync import clock
from sprintsync.domain import UNSET
from sprintsync.errors import NotFound, PermissionDenied, ValidationError
from sprintsync.models import Project, Sprint, Tag, Task, TaskTag, User
from sprintsync.planning import SprintState, clean_tags, sprint_state
from sprintsync.services.common import check_id
from sprintsync.services.views import Actor


def archived_refusal(key: str) -> str:
    return f"Project {key} is archived: nobody files tasks or logs time in it."


def filing_project(session: Session, project_id: int | None) -> Project:
    """The project new work goes to (the default project when None), read FOR SHARE: an
    archive waits for this transaction, and this one, after waiting for an archive, sees it."""
    query = select(Project).with_for_update(read=True)
    if project_id is None:
        query = query.where(Project.is_default)
    else:
        query = query.where(Project.id == check_id(project_id, "Project"))
    project = session.scalars(query).one_or_none()
    if project is None:
        missing = "a default project" if project_id is None else f"project #{project_id}"
        raise NotFound(f"There is no {missing}.")
    if project.archived:
        raise ValidationError(archived_refusal(project.key))
    return project


def check_open_for_work(session: Session, project_id: int) -> None:
    """Refuse time on a task whose project is archived (stopping a running timer is not new
    work, and never refused)."""
    filing_project(session, project_id)


def planned_sprint(session: Session, sprint_id: int, project: Project) -> Sprint:
    """The sprint a task is moved into: one of the task's project, not closed (a closed
    sprint's scope stays as it was at its end). Read FOR SHARE, so its dates cannot be
    edited to close it meanwhile."""
    sprint = session.scalars(
        select(Sprint).where(Sprint.id == check_id(sprint_id, "Sprint")).with_for_update(read=True)
    ).one_or_none()
    if sprint is None:
        raise NotFound(f"Sprint #{sprint_id} does not exist.")
    if sprint.project_id != project.id:
        raise ValidationError(
            f"Sprint {sprint.name!r} belongs to another project; a task's sprint must be one "
            f"of its own project's ({project.key})."
        )
    if sprint_state(sprint.starts_on, sprint.ends_on, clock.today()) == SprintState.CLOSED:
        raise ValidationError(
            f"Sprint {sprint.name!r} is closed (it ended on {sprint.ends_on:%Y-%m-%d}); what "
            "it held stays as it was. Choose an active or a planned sprint."
        )
    return sprint


def tag_names(session: Session, task_id: int) -> tuple[str, ...]:
    names = session.scalars(
        select(Tag.name).join(TaskTag, TaskTag.tag_id == Tag.id).where(TaskTag.task_id == task_id)
    ).all()
    return tuple(sorted(names, key=str.lower))


def same_tags(a: Iterable[str], b: Iterable[str]) -> bool:
    return {t.lower() for t in a} == {t.lower() for t in b}


def set_tags(session: Session, task_id: int, tags: Iterable[str] | str | None) -> tuple[str, ...]:
    """Give the task exactly these tags, making the new ones; returns them as stored (a tag
    already known keeps its first spelling)."""
    names = clean_tags(tags)
    ids: list[int] = []
    if names:
        # Sorted, so two transactions making the same new tags take their locks in one order.
        new = sorted(names, key=str.lower)
        session.execute(
            pg_insert(Tag)
            .values([{"name": n} for n in new])
            .on_conflict_do_nothing(index_elements=[func.lower(Tag.name)])
        )
        ids = list(
            session.scalars(
                select(Tag.id).where(func.lower(Tag.name).in_([n.lower() for n in new]))
            )
        )
    session.execute(
        delete(TaskTag).where(TaskTag.task_id == task_id, TaskTag.tag_id.not_in(ids or [0]))
    )
    if ids:
        session.execute(
            pg_insert(TaskTag)
            .values([{"task_id": task_id, "tag_id": i} for i in sorted(ids)])
            .on_conflict_do_nothing()
        )
    return tag_names(session, task_id)


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


def placement(s: Session, task: Task, project_id: object, sprint_id: object) -> dict[str, object]:
    """project_id and sprint_id after an edit that names either (UNSET: not named). A new
    project must take work and leaves the old project's sprint; a sprint must be the (new)
    project's and not closed. Leaving a sprint, closed or not, never rewrites what that
    sprint held (see sprint_changes)."""
    moving = project_id is not UNSET and project_id != task.project_id
    target = project_id if moving else task.project_id
    if sprint_id is UNSET or sprint_id is None:
        if moving:
            filing_project(s, target)  # type: ignore[arg-type]
        elif sprint_id is UNSET:
            return {}
        return {"project_id": target, "sprint_id": None}
    if sprint_id == task.sprint_id and not moving:
        return {}
    project = filing_project(s, target)  # type: ignore[arg-type]
    return {"project_id": project.id, "sprint_id": planned_sprint(s, sprint_id, project).id}  # type: ignore[arg-type]
