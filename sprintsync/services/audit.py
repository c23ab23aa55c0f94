"""Reading the audit trail (writing it is common.audit, inside each change's transaction)."""

from __future__ import annotations

from sqlalchemy import func, select

from sprintsync.db import UnitOfWork
from sprintsync.domain import search_text
from sprintsync.errors import ValidationError
from sprintsync.models import AuditLog, User
from sprintsync.services.common import page_number, require_admin
from sprintsync.services.views import Actor, AuditEntry, Page


def list_audit(
    uow: UnitOfWork,
    *,
    actor: Actor,
    by_username: str | None = None,
    action: str | None = None,
    page: int = 1,
    per_page: int = 100,
) -> Page[AuditEntry]:
    """Newest first; filter by who acted and by action (a prefix such as `task.` works)."""
    if not 1 <= per_page <= 1000:
        raise ValidationError("Page size must be between 1 and 1000.")
    page = page_number(page)
    with uow:
        s = uow.session
        require_admin(s, actor)
        query = select(AuditLog, User.username).outerjoin(User, User.id == AuditLog.actor_id)
        by_username = search_text(by_username)
        action = search_text(action)
        if by_username:
            query = query.where(func.lower(User.username) == by_username.lower())
        if action:
            query = query.where(AuditLog.action.startswith(action, autoescape=True))
        total = s.scalar(select(func.count()).select_from(query.subquery()))
        rows = s.execute(
            query.order_by(AuditLog.at.desc(), AuditLog.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        items = [
            AuditEntry(a.id, a.actor_id, name, a.action, a.target, dict(a.details or {}), a.at)
            for a, name in rows
        ]
        return Page(items, int(total or 0), page, per_page)


def actions(uow: UnitOfWork, *, actor: Actor) -> list[str]:
    """The distinct actions recorded so far, for a filter's choices."""
    with uow:
        s = uow.session
        require_admin(s, actor)
        return list(s.scalars(select(AuditLog.action).distinct().order_by(AuditLog.action)))
