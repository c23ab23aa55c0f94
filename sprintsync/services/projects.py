"""Projects: what tasks are filed under. Everyone sees the active ones, with the time logged
on them against their budget; managers and admins (and the console operator) create, edit,
archive and restore them. Archived projects take no new tasks or time; their history stays."""

from __future__ import annotations

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sprintsync.db import UnitOfWork
from sprintsync.domain import UNSET, Status, Unset
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError
from sprintsync.models import Project, Task
from sprintsync.planning import (
    clean_project_description,
    clean_project_key,
    clean_project_name,
    parse_budget,
)
from sprintsync.services.common import audit, check_id, operator_or_user, require_lead
from sprintsync.services.views import Actor, ProjectView

LEADS_ONLY = "Only managers and admins can create, edit or archive projects."
ARCHIVED_FOR_LEADS = "Archived projects are shown to managers and admins only."

_used = func.coalesce(func.sum(Task.total_minutes), 0)
_open = func.count(Task.id).filter(Task.status != Status.DONE.value)
_done = func.count(Task.id).filter(Task.status == Status.DONE.value)


def _query() -> Select[Project, int, int, int]:
    """Projects with the time logged on their tasks (tasks.total_minutes, always the sum of
    their entries) and their open and done tasks: one grouped pass over tasks."""
    return (
        select(Project, _used, _open, _done)
        .outerjoin(Task, Task.project_id == Project.id)
        .group_by(Project.id)
    )


def _view(project: Project, used: int = 0, open_: int = 0, done: int = 0) -> ProjectView:
    return ProjectView(
        id=project.id,
        key=project.key,
        name=project.name,
        description=project.description,
        budget_minutes=project.budget_minutes,
        archived=project.archived,
        is_default=project.is_default,
        version=project.version,
        created_at=project.created_at,
        used_minutes=int(used or 0),
        open_tasks=int(open_ or 0),
        done_tasks=int(done or 0),
    )


def load_project(session: Session, project_id: int) -> ProjectView:
    row = session.execute(
        _query().where(Project.id == project_id).execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Project #{project_id} does not exist.")
    return _view(*row)


def _visible(me: Actor, project: ProjectView) -> ProjectView:
    if project.archived and not me.sees_everyone:
        raise PermissionDenied(ARCHIVED_FOR_LEADS)
    return project


def list_projects(
    uow: UnitOfWork, *, actor: Actor, include_archived: bool = False
) -> list[ProjectView]:
    """Active projects by key, the default one first (archived ones too, for managers and
    admins, with include_archived), each with the time logged on it."""
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        if include_archived and not me.sees_everyone:
            raise PermissionDenied(ARCHIVED_FOR_LEADS)
        query = _query().order_by(Project.archived, Project.is_default.desc(), Project.key)
        if not include_archived:
            query = query.where(Project.archived.is_(False))
        return [_view(*row) for row in s.execute(query).all()]


def get_project(uow: UnitOfWork, *, actor: Actor, project_id: int) -> ProjectView:
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        return _visible(me, load_project(s, check_id(project_id, "Project")))


def find_project(uow: UnitOfWork, *, actor: Actor, key: str) -> ProjectView:
    """The project with this key (any case), as get_project shows it."""
    wanted = clean_project_key(key)
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        project_id = s.scalar(select(Project.id).where(Project.key == wanted))
        if project_id is None:
            raise NotFound(f"No project with key {wanted}.")
        return _visible(me, load_project(s, project_id))


def create_project(
    uow: UnitOfWork,
    *,
    actor: Actor,
    key: str,
    name: str,
    description: str = "",
    budget: str | int | None = None,
) -> ProjectView:
    """A new active project; `budget` in hours (`120h`), or None for no budget."""
    values = {
        "key": clean_project_key(key),
        "name": clean_project_name(name),
        "description": clean_project_description(description),
        "budget_minutes": parse_budget(budget),
    }
    with uow:
        s = uow.session
        me = require_lead(s, actor, LEADS_ONLY)
        try:
            with s.begin_nested():
                project_id = s.execute(
                    insert(Project).values(**values).returning(Project.id)
                ).scalar_one()
        except IntegrityError:
            raise Conflict(f"There is already a project with key {values['key']}.") from None
        audit(s, me, "project.create", f"project:{values['key']}", name=values["name"])
        view = load_project(s, project_id)
        uow.commit()
        return view


def _locked(session: Session, project_id: int) -> Project:
    project = session.scalars(
        select(Project).where(Project.id == check_id(project_id, "Project")).with_for_update()
    ).one_or_none()
    if project is None:
        raise NotFound(f"Project #{project_id} does not exist.")
    return project


def update_project(
    uow: UnitOfWork,
    *,
    actor: Actor,
    project_id: int,
    expected_version: int,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    budget: str | int | Unset | None = UNSET,
) -> ProjectView:
    """Edit name, description or budget if nobody saved since `expected_version` (else
    Conflict, nothing saved). The key stays: it names the project in scripts and reports."""
    values: dict[str, object] = {}
    if name is not UNSET:
        values["name"] = clean_project_name(name)
    if description is not UNSET:
        values["description"] = clean_project_description(description)
    if budget is not UNSET:
        values["budget_minutes"] = parse_budget(budget)
    with uow:
        s = uow.session
        me = require_lead(s, actor, LEADS_ONLY)
        project = _locked(s, project_id)
        if project.version != expected_version:
            raise Conflict(
                f"Project {project.key} was changed by someone else after you opened it, so "
                "nothing was saved. Reload it to see their changes, then apply yours."
            )
        changed = {k: v for k, v in values.items() if getattr(project, k) != v}
        if changed:
            s.execute(
                update(Project)
                .where(Project.id == project.id)
                .values(**changed, version=Project.version + 1, updated_at=func.now())
            )
            audit(s, me, "project.update", f"project:{project.key}", fields=sorted(changed))
        view = load_project(s, project.id)
        uow.commit()
        return view


def archive_project(
    uow: UnitOfWork, *, actor: Actor, project_id: int, archived: bool = True
) -> ProjectView:
    """Archive a project (no new tasks or time in it; everything in it stays), or with
    archived=False make it active again. The default project stays active."""
    with uow:
        s = uow.session
        me = require_lead(s, actor, LEADS_ONLY)
        project = _locked(s, project_id)
        if archived and project.is_default:
            raise ValidationError(
                f"{project.key} is the default project, where tasks filed without a project "
                "go; it cannot be archived."
            )
        if project.archived != archived:
            s.execute(
                update(Project)
                .where(Project.id == project.id)
                .values(archived=archived, version=Project.version + 1, updated_at=func.now())
            )
            action = "project.archive" if archived else "project.restore"
            audit(s, me, action, f"project:{project.key}")
        view = load_project(s, project.id)
        uow.commit()
        return view
