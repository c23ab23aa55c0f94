"""Sprints: a project's time boxes. Their state follows their dates (planned before the
start, active to the end, closed after it, in the workspace's time zone). Everyone who sees
the project sees its sprints; managers and admins (and the console operator) create and edit
them. A closed sprint keeps its dates, and what it held stays as it was at its end."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from sprintsync import clock
from sprintsync.db import UnitOfWork
from sprintsync.domain import UNSET, Unset
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError
from sprintsync.models import Project, Sprint
from sprintsync.planning import (
    SprintState,
    check_sprint_dates,
    clean_sprint_goal,
    clean_sprint_name,
    parse_day,
    sprint_state,
)
from sprintsync.services.common import audit, check_id, operator_or_user, require_lead
from sprintsync.services.projects import ARCHIVED_FOR_LEADS
from sprintsync.services.task_fields import archived_refusal
from sprintsync.services.views import Actor, SprintView

LEADS_PLAN = "Only managers and admins can create or change sprints."


def sprint_view(sprint: Sprint, project_key: str, today: dt.date | None = None) -> SprintView:
    return SprintView(
        id=sprint.id,
        project_id=sprint.project_id,
        project_key=project_key,
        name=sprint.name,
        starts_on=sprint.starts_on,
        ends_on=sprint.ends_on,
        goal=sprint.goal,
        version=sprint.version,
        state=sprint_state(sprint.starts_on, sprint.ends_on, today or clock.today()),
    )


def visible_project(session: Session, me: Actor, project_id: int, *, lock: bool = False) -> Project:
    query = select(Project).where(Project.id == check_id(project_id, "Project"))
    project = session.scalars(query.with_for_update(read=True) if lock else query).one_or_none()
    if project is None:
        raise NotFound(f"Project #{project_id} does not exist.")
    if project.archived and not me.sees_everyone:
        raise PermissionDenied(ARCHIVED_FOR_LEADS)
    return project


def load_sprint(session: Session, sprint_id: int) -> SprintView:
    row = session.execute(
        select(Sprint, Project.key)
        .join(Project, Project.id == Sprint.project_id)
        .where(Sprint.id == sprint_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise NotFound(f"Sprint #{sprint_id} does not exist.")
    return sprint_view(*row)


def list_sprints(uow: UnitOfWork, *, actor: Actor, project_id: int) -> list[SprintView]:
    """A project's sprints, earliest first."""
    with uow:
        s = uow.session
        project = visible_project(s, operator_or_user(s, actor), project_id)
        sprints = s.scalars(
            select(Sprint).where(Sprint.project_id == project.id).order_by(Sprint.starts_on)
        ).all()
        today = clock.today()
        return [sprint_view(sprint, project.key, today) for sprint in sprints]


def active_projects_sprints(
    uow: UnitOfWork, *, actor: Actor, include_closed: bool = True
) -> list[SprintView]:
    """Every sprint of the active projects in one read, by project key then start: what task
    forms and filters offer (without closed ones, include_closed=False: what takes work)."""
    with uow:
        s = uow.session
        operator_or_user(s, actor)
        return of_active_projects(s, clock.today(), include_closed=include_closed)


def of_active_projects(
    session: Session, today: dt.date, *, include_closed: bool = True
) -> list[SprintView]:
    query = (
        select(Sprint, Project.key)
        .join(Project, Project.id == Sprint.project_id)
        .where(Project.archived.is_(False))
        .order_by(Project.is_default.desc(), Project.key, Sprint.starts_on)
    )
    if not include_closed:
        query = query.where(Sprint.ends_on >= today)
    return [sprint_view(sprint, key, today) for sprint, key in session.execute(query).all()]


def get_sprint(uow: UnitOfWork, *, actor: Actor, sprint_id: int) -> SprintView:
    with uow:
        s = uow.session
        me = operator_or_user(s, actor)
        sprint = load_sprint(s, check_id(sprint_id, "Sprint"))
        visible_project(s, me, sprint.project_id)
        return sprint


def find_sprint(uow: UnitOfWork, *, actor: Actor, project_id: int, name: str) -> SprintView:
    """The project's sprint of this name (any case)."""
    wanted = clean_sprint_name(name)
    with uow:
        s = uow.session
        project = visible_project(s, operator_or_user(s, actor), project_id)
        sprint = s.scalars(
            select(Sprint).where(
                Sprint.project_id == project.id, func.lower(Sprint.name) == wanted.lower()
            )
        ).one_or_none()
        if sprint is None:
            raise NotFound(f"Project {project.key} has no sprint named {wanted!r}.")
        return sprint_view(sprint, project.key)


def _overlapping(
    session: Session, project_id: int, start: dt.date, end: dt.date, other_than: int = 0
) -> Sprint | None:
    return session.scalars(
        select(Sprint)
        .where(
            Sprint.project_id == project_id,
            Sprint.id != other_than,
            Sprint.starts_on <= end,
            Sprint.ends_on >= start,
        )
        .limit(1)
    ).one_or_none()


def _save(
    session: Session,
    statement: Executable,
    project_id: int,
    start: dt.date,
    end: dt.date,
    skip: int = 0,
) -> int:
    """Run the insert or update; a name taken or dates overlapping (the constraints are the
    guarantee, under any race) become Conflict with what it collides with."""
    try:
        with session.begin_nested():
            return int(session.execute(statement).scalar_one())
    except IntegrityError as error:
        clash = _overlapping(session, project_id, start, end, skip)
        if clash is not None:
            raise Conflict(
                f"Those dates overlap sprint {clash.name!r} ({clash.starts_on:%Y-%m-%d} to "
                f"{clash.ends_on:%Y-%m-%d}); sprints of one project never overlap."
            ) from None
        if getattr(getattr(error.orig, "diag", None), "constraint_name", "").endswith("_name"):
            raise Conflict("This project already has a sprint with that name.") from None
        raise


def create_sprint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    project_id: int,
    name: str,
    starts_on: dt.date | str,
    ends_on: dt.date | str,
    goal: str = "",
) -> SprintView:
    """A new sprint of an active project, ending today or later (a sprint created closed
    could never hold a task)."""
    name, goal = clean_sprint_name(name), clean_sprint_goal(goal)
    start, end = parse_day(starts_on, "The start date"), parse_day(ends_on, "The end date")
    if start is None or end is None:
        raise ValidationError("A sprint needs a start and an end date.")
    check_sprint_dates(start, end)
    if end < clock.today():
        raise ValidationError("A new sprint cannot end in the past.")
    with uow:
        s = uow.session
        me = require_lead(s, actor, LEADS_PLAN)
        project = visible_project(s, me, project_id, lock=True)
        if project.archived:
            raise ValidationError(archived_refusal(project.key))
        statement = (
            insert(Sprint)
            .values(project_id=project.id, name=name, starts_on=start, ends_on=end, goal=goal)
            .returning(Sprint.id)
        )
        sprint_id = _save(s, statement, project.id, start, end)
        audit(
            s,
            me,
            "sprint.create",
            f"sprint:{sprint_id}",
            project=project.key,
            name=name,
            starts_on=start.isoformat(),
            ends_on=end.isoformat(),
        )
        view = load_sprint(s, sprint_id)
        uow.commit()
        return view


def _new_dates(
    sprint: Sprint, starts_on: dt.date | str | Unset, ends_on: dt.date | str | Unset, today: dt.date
) -> dict[str, dt.date]:
    """The dates an edit may set: a closed sprint keeps its dates, an active one its start;
    a sprint cannot be moved to start or end in the past."""
    start = sprint.starts_on if starts_on is UNSET else parse_day(starts_on, "The start date")
    end = sprint.ends_on if ends_on is UNSET else parse_day(ends_on, "The end date")
    if start is None or end is None:
        raise ValidationError("A sprint needs a start and an end date.")
    if (start, end) == (sprint.starts_on, sprint.ends_on):
        return {}
    state = sprint_state(sprint.starts_on, sprint.ends_on, today)
    if state == SprintState.CLOSED:
        raise ValidationError(
            f"Sprint {sprint.name!r} is closed; its dates stay, so its figures stay as they were."
        )
    if state == SprintState.ACTIVE and start != sprint.starts_on:
        raise ValidationError(f"Sprint {sprint.name!r} has started; its start date stays.")
    if state == SprintState.PLANNED and start < today:
        raise ValidationError("A planned sprint cannot be moved to start in the past.")
    if end < today:
        raise ValidationError("A sprint cannot be moved to end in the past.")
    check_sprint_dates(start, end)
    return {"starts_on": start, "ends_on": end}


def update_sprint(
    uow: UnitOfWork,
    *,
    actor: Actor,
    sprint_id: int,
    expected_version: int,
    name: str | Unset = UNSET,
    goal: str | Unset = UNSET,
    starts_on: dt.date | str | Unset = UNSET,
    ends_on: dt.date | str | Unset = UNSET,
) -> SprintView:
    """Rename, change the goal or move the dates if nobody saved since `expected_version`
    (else Conflict, nothing saved). Ending an active sprint early is setting its end to
    today."""
    values: dict[str, object] = {}
    if name is not UNSET:
        values["name"] = clean_sprint_name(name)
    if goal is not UNSET:
        values["goal"] = clean_sprint_goal(goal)
    with uow:
        s = uow.session
        me = require_lead(s, actor, LEADS_PLAN)
        sprint = s.scalars(
            select(Sprint).where(Sprint.id == check_id(sprint_id, "Sprint")).with_for_update()
        ).one_or_none()
        if sprint is None:
            raise NotFound(f"Sprint #{sprint_id} does not exist.")
        project = visible_project(s, me, sprint.project_id)
        if sprint.version != expected_version:
            raise Conflict(
                f"Sprint {sprint.name!r} was changed by someone else after you opened it, so "
                "nothing was saved. Reload it to see their changes, then apply yours."
            )
        values |= _new_dates(sprint, starts_on, ends_on, clock.today())
        changed = {k: v for k, v in values.items() if getattr(sprint, k) != v}
        if changed:
            start = changed.get("starts_on", sprint.starts_on)
            end = changed.get("ends_on", sprint.ends_on)
            statement = (
                update(Sprint)
                .where(Sprint.id == sprint.id)
                .values(**changed, version=Sprint.version + 1)
                .returning(Sprint.id)
            )
            _save(s, statement, project.id, start, end, sprint.id)  # type: ignore[arg-type]
            audit(s, me, "sprint.update", f"sprint:{sprint.id}", fields=sorted(changed))
        view = load_sprint(s, sprint.id)
        uow.commit()
        return view
