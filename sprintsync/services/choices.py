"""What the task forms and filters offer, read once for a page: the active projects, their
sprints and every tag name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sprintsync import clock
from sprintsync.db import UnitOfWork
from sprintsync.models import Project, Tag
from sprintsync.services import sprints
from sprintsync.services.common import operator_or_user
from sprintsync.services.views import Actor, SprintView


@dataclass(frozen=True, slots=True)
class ProjectChoice:
    """An active project as a form or filter offers it (no tallies: those scan its tasks)."""

    id: int
    key: str
    name: str
    is_default: bool


@dataclass(frozen=True, slots=True)
class PlanningChoices:
    """What task forms and filters offer: active projects (the default first, then by key),
    their sprints (by project, then start) and every tag name (by name, any case)."""

    projects: tuple[ProjectChoice, ...]
    sprints: tuple[SprintView, ...]
    tags: tuple[str, ...]


def planning_choices(uow: UnitOfWork, *, actor: Actor) -> PlanningChoices:
    """One read-only transaction instead of one per list (My tasks offers them twice: in the
    New task form and in the filters). Names only, so members may see them all."""
    with uow:
        s = uow.session
        operator_or_user(s, actor)
        projects = s.execute(
            select(Project.id, Project.key, Project.name, Project.is_default)
            .where(Project.archived.is_(False))
            .order_by(Project.is_default.desc(), Project.key)
        ).all()
        return PlanningChoices(
            projects=tuple(ProjectChoice(*row) for row in projects),
            sprints=tuple(sprints.of_active_projects(s, clock.today())),
            tags=tuple(s.scalars(select(Tag.name).order_by(func.lower(Tag.name)))),
        )
