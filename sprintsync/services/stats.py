"""Workspace-wide counts for the ops dashboard (the business gauges on /metrics)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sprintsync.db import UnitOfWork
from sprintsync.domain import Role, Status
from sprintsync.models import Task, User, UserDayTotal
from sprintsync.services.common import require_lead
from sprintsync.services.views import Actor


@dataclass(frozen=True, slots=True)
class WorkspaceTotals:
    """Every status and every (role, active) pair is present, zero when empty, so a series
    drops to 0 instead of vanishing from Prometheus."""

    tasks_by_status: tuple[tuple[Status, int], ...]
    users_by_role: tuple[tuple[Role, bool, int], ...]
    minutes_logged: int


def workspace_totals(uow: UnitOfWork, *, actor: Actor) -> WorkspaceTotals:
    """Counts over everyone's data: for managers, admins and the process itself (CONSOLE)."""
    with uow:
        s = uow.session
        require_lead(s, actor, "Only managers and admins can see workspace totals.")
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
