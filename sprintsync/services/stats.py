"""Workspace-wide counts for the ops dashboard (the business gauges on /metrics)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sprintsync.db import UnitOfWork
from sprintsync.domain import Role, Status
from sprintsync.errors import PermissionDenied
from sprintsync.models import Task, User, UserDayTotal
from sprintsync.services.common import acting_user
from sprintsync.services.views import Actor


@dataclass(frozen=True, slots=True)
class WorkspaceTotals:
    """Every status and every (role, active) pair is present, zero when empty, so a series
    drops to 0 instead of vanishing from Prometheus."""

    tasks_by_status: tuple[tuple[Status, int], ...]
    users_by_role: tuple[tuple[Role, bool, int], ...]
    minutes_logged: int


def workspace_totals(uow: UnitOfWork, *, actor: Actor | None) -> WorkspaceTotals:
    """Counts over everyone's data: the system (actor None), managers and admins only."""
    with uow:
        s = uow.session
        if actor is not None and not acting_user(s, actor).sees_everyone:
            raise PermissionDenied("Only managers and admins can see workspace totals.")
        tasks = dict(s.execute(select(Task.status, func.count()).group_by(Task.status)).all())
        users = {
            (role, active): n
            for role, active, n in s.execute(
                select(User.role, User.is_active, func.count()).group_by(User.role, User.is_active)
            ).all()
        }
        # The per-day rollup holds the same sum in a few rows per person instead of one per
        # entry: a scrape every 15 s must not read a million entries.
        minutes = s.scalar(select(func.coalesce(func.sum(UserDayTotal.minutes), 0)))
    return WorkspaceTotals(
        tasks_by_status=tuple((st, tasks.get(st.value, 0)) for st in Status),
        users_by_role=tuple(
            (role, active, users.get((role.value, active), 0))
            for role in Role
            for active in (True, False)
        ),
        minutes_logged=int(minutes or 0),
    )
