"""Tags: free labels on tasks, made the first time someone puts one on a task."""

from __future__ import annotations

from sqlalchemy import func, select

from sprintsync.db import UnitOfWork
from sprintsync.errors import NotFound
from sprintsync.models import Tag, TaskTag
from sprintsync.planning import clean_tag
from sprintsync.services.common import operator_or_user
from sprintsync.services.views import Actor, TagView


def list_tags(uow: UnitOfWork, *, actor: Actor) -> list[TagView]:
    """Every tag with how many tasks carry it, by name: what filters offer. Names only, so
    members may see them all (like project keys)."""
    with uow:
        s = uow.session
        operator_or_user(s, actor)
        rows = s.execute(
            select(Tag.id, Tag.name, func.count(TaskTag.task_id))
            .outerjoin(TaskTag, TaskTag.tag_id == Tag.id)
            .group_by(Tag.id)
            .order_by(func.lower(Tag.name))
        ).all()
        return [TagView(int(i), name, int(n)) for i, name, n in rows]


def find_tag(uow: UnitOfWork, *, actor: Actor, name: str) -> TagView:
    """The tag of this name (any case)."""
    wanted = clean_tag(name)
    with uow:
        s = uow.session
        operator_or_user(s, actor)
        row = s.execute(
            select(Tag.id, Tag.name, func.count(TaskTag.task_id))
            .outerjoin(TaskTag, TaskTag.tag_id == Tag.id)
            .where(func.lower(Tag.name) == wanted.lower())
            .group_by(Tag.id)
        ).one_or_none()
        if row is None:
            raise NotFound(f"No tag named {wanted!r}.")
        return TagView(int(row[0]), row[1], int(row[2]))
