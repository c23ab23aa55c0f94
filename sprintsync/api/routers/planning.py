"""/api/v1/projects and /api/v1/sprints: read for everyone, write for managers and admins
(the services say who may)."""

from __future__ import annotations

from fastapi import APIRouter

from sprintsync.api import bodies, schemas
from sprintsync.api.deps import Reader, Writer
from sprintsync.services import projects, sprints

router = APIRouter(tags=["projects"])


def _changes(body: bodies.Body) -> dict[str, object]:
    return {k: getattr(body, k) for k in body.model_fields_set - {"version"}}


@router.get("/projects", response_model=list[schemas.Project])
def list_projects(caller: Reader, include_archived: bool = False) -> object:
    """Active projects (archived ones too for managers and admins, with include_archived)."""
    return projects.list_projects(
        caller.uow(), actor=caller.actor, include_archived=include_archived
    )


@router.post("/projects", response_model=schemas.Project, status_code=201)
def create_project(caller: Writer, body: bodies.NewProject) -> object:
    return projects.create_project(
        caller.uow(),
        actor=caller.actor,
        key=body.key,
        name=body.name,
        description=body.description,
        budget=body.budget,
    )


@router.get("/projects/{project_id}", response_model=schemas.Project)
def get_project(caller: Reader, project_id: int) -> object:
    return projects.get_project(caller.uow(), actor=caller.actor, project_id=project_id)


@router.patch("/projects/{project_id}", response_model=schemas.Project)
def update_project(caller: Writer, project_id: int, body: bodies.ProjectChanges) -> object:
    changes = _changes(body)
    for required in ("name", "description"):
        if changes.get(required, "") is None:
            changes.pop(required)
    return projects.update_project(
        caller.uow(),
        actor=caller.actor,
        project_id=project_id,
        expected_version=body.version,
        **changes,  # type: ignore[arg-type]
    )


@router.post("/projects/{project_id}/archive", response_model=schemas.Project)
def archive_project(caller: Writer, project_id: int, body: bodies.ProjectArchive) -> object:
    """Archive the project (archived=false makes it active again)."""
    return projects.archive_project(
        caller.uow(), actor=caller.actor, project_id=project_id, archived=body.archived
    )


@router.get("/projects/{project_id}/sprints", response_model=list[schemas.Sprint])
def list_sprints(caller: Reader, project_id: int) -> object:
    return sprints.list_sprints(caller.uow(), actor=caller.actor, project_id=project_id)


@router.post("/projects/{project_id}/sprints", response_model=schemas.Sprint, status_code=201)
def create_sprint(caller: Writer, project_id: int, body: bodies.NewSprint) -> object:
    return sprints.create_sprint(
        caller.uow(),
        actor=caller.actor,
        project_id=project_id,
        name=body.name,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        goal=body.goal,
    )


@router.get("/sprints/{sprint_id}", response_model=schemas.Sprint)
def get_sprint(caller: Reader, sprint_id: int) -> object:
    return sprints.get_sprint(caller.uow(), actor=caller.actor, sprint_id=sprint_id)


@router.patch("/sprints/{sprint_id}", response_model=schemas.Sprint)
def update_sprint(caller: Writer, sprint_id: int, body: bodies.SprintChanges) -> object:
    changes = {k: v for k, v in _changes(body).items() if v is not None}
    return sprints.update_sprint(
        caller.uow(),
        actor=caller.actor,
        sprint_id=sprint_id,
        expected_version=body.version,
        **changes,  # type: ignore[arg-type]
    )
