"""/api/v1/tasks: list with the app's filters, create, read, update (with the version read),
move through statuses, move to a sprint, delete; a task's time entries and history."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from sprintsync.api import bodies, pagination, schemas
from sprintsync.api.deps import Reader, Writer
from sprintsync.domain import UNSET
from sprintsync.services import tasks, timelog

router = APIRouter(prefix="/tasks", tags=["tasks"])

Sort = Literal["changed", "newest", "oldest", "priority", "due", "title"]
Ids = Annotated[list[int] | None, Query(max_length=50)]


@router.get("", response_model=schemas.Listing[schemas.Task])
def list_tasks(
    caller: Reader,
    status: Annotated[list[bodies.Status] | None, Query(max_length=3)] = None,
    project_id: Ids = None,
    sprint_id: Ids = None,
    assignee_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    priority: Annotated[list[bodies.Priority] | None, Query(max_length=4)] = None,
    due: Literal["overdue", "this_week"] | None = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
    everyone: bool = False,
    sort: Sort = "changed",
    limit: Annotated[int, Query(ge=1, le=pagination.LIMIT_MAX)] = 50,
    cursor: Annotated[str | None, Query(max_length=pagination.CURSOR_MAX)] = None,
) -> dict[str, Any]:
    """Your tasks (with everyone=true or another assignee_id, managers and admins see the
    team's), filtered as on My tasks, in the order `sort` names."""
    filters: dict[str, Any] = {
        "status": status,
        "project_id": project_id,
        "sprint_id": sprint_id,
        "assignee_id": assignee_id,
        "tag": tag,
        "priority": priority,
        "due": due,
        "search": search,
        "everyone": everyone,
        "sort": sort,
    }
    offset = pagination.decode(cursor, {**filters, "limit": limit})
    page = tasks.list_tasks(
        caller.uow(),
        actor=caller.actor,
        **filters,
        page=offset // limit + 1,
        per_page=limit,
    )
    return {
        "items": page.items,
        "next_cursor": pagination.next_cursor(
            offset, len(page.items), page.total, {**filters, "limit": limit}
        ),
    }


@router.post("", response_model=schemas.Task, status_code=201)
def create_task(caller: Writer, body: bodies.NewTask) -> object:
    """A new to-do task: yours unless a manager or admin names an assignee; filed in the
    default project unless project_id says otherwise."""
    return tasks.create_task(
        caller.uow(),
        actor=caller.actor,
        title=body.title,
        description=body.description,
        estimate=body.estimate,
        assignee_id=body.assignee_id if "assignee_id" in body.model_fields_set else UNSET,
        project_id=body.project_id,
        sprint_id=body.sprint_id,
        priority=body.priority,
        due=body.due,
        tags=body.tags,
    )


@router.get("/{task_id}", response_model=schemas.Task)
def get_task(caller: Reader, task_id: int) -> object:
    return tasks.get_task(caller.uow(), actor=caller.actor, task_id=task_id)


@router.patch("/{task_id}", response_model=schemas.Task)
def update_task(caller: Writer, task_id: int, body: bodies.TaskChanges) -> object:
    """Change the fields sent (null clears estimate, assignee, sprint, due). `version` is the
    one you read: if someone saved since, 409 and nothing is saved."""
    sent = body.model_fields_set - {"version"}
    changes = {name: getattr(body, name) for name in sent}
    # null means "none" for estimate, assignee, sprint, due and tags; the rest cannot be none.
    for required in ("title", "description", "project_id", "priority"):
        if required in changes and changes[required] is None:
            changes.pop(required)
    return tasks.update_task(
        caller.uow(),
        actor=caller.actor,
        task_id=task_id,
        expected_version=body.version,
        **changes,
    )


@router.post("/{task_id}/move", response_model=schemas.Task)
def move_task(caller: Writer, task_id: int, body: bodies.TaskMove) -> object:
    """todo -> in_progress -> done, and back (in_progress -> todo, done -> in_progress)."""
    return tasks.move_task(caller.uow(), actor=caller.actor, task_id=task_id, to_status=body.status)


@router.put("/{task_id}/sprint", response_model=schemas.Task)
def move_to_sprint(caller: Writer, task_id: int, body: bodies.TaskSprint) -> object:
    """Put the task in a sprint of its project that is not closed, or (null) out of any."""
    return tasks.move_to_sprint(
        caller.uow(), actor=caller.actor, task_id=task_id, sprint_id=body.sprint_id
    )


@router.delete("/{task_id}", status_code=204)
def delete_task(caller: Writer, task_id: int, delete_entries: bool = False) -> Response:
    """Delete the task; if time was logged on it, only with delete_entries=true (else 409)."""
    tasks.delete_task(
        caller.uow(), actor=caller.actor, task_id=task_id, delete_entries=delete_entries
    )
    return Response(status_code=204)


@router.get("/{task_id}/time-entries", response_model=list[schemas.TimeEntry])
def task_entries(caller: Reader, task_id: int) -> object:
    return timelog.task_entries(caller.uow(), actor=caller.actor, task_id=task_id)
