"""Tasks: create, read, list, edit with optimistic locking, move through statuses and
between sprints, delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select, update

from sprintsync.db import UnitOfWork
from sprintsync.domain import (
    DESCRIPTION_MAX,
    UNSET,
    Status,
    Unset,
    check_transition,
    clean_text,
    clean_title,
    estimate_minutes,
)
from sprintsync.errors import Conflict, ValidationError
from sprintsync.models import Task, TaskEvent, User
from sprintsync.planning import DueFilter, Priority, TaskSort, clean_tags, parse_day
from sprintsync.services.common import acting_user, audit, page_number
from sprintsync.services.task_deletion import delete_task
from sprintsync.services.task_fields import (
    check_assignee,
    filing_project,
    placement,
    planned_sprint,
    same_tags,
    set_tags,
    tag_names,
)
from sprintsync.services.task_query import (
    changeable_task,
    count_of,
    listing,
    load_view,
    readable_task,
    view,
)
from sprintsync.services.views import Actor, Page, TaskEventView, TaskView

# changeable_task and friends for timelog and timers; delete_task lives with its rules.
__all__ = ["changeable_task", "delete_task", "load_view", "readable_task"]

PER_PAGE_MAX = 500


def create_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    title: str,
    description: str = "",
    estimate: str | int | None = None,
    assignee_id: int | Unset | None = UNSET,
    project_id: int | None = None,
    sprint_id: int | None = None,
    priority: Priority | str = Priority.NORMAL,
    due: dt.date | str | None = None,
    tags: Iterable[str] | str | None = (),
    draft_id: int | None = None,
) -> TaskView:
    """A new to-do task, assigned to the creator unless a manager or admin names someone,
    filed in `project_id` (the default project when None), optionally in one of its sprints
    that is not closed; archived projects take no new tasks. `draft_id`: the AI draft it was
    written from, recorded in the same transaction as kept or edited."""
    title = clean_title(title)
    description = clean_text(description, field="Description", max_len=DESCRIPTION_MAX)
    minutes = estimate_minutes(estimate)
    level = Priority.parse(priority)
    due_date = parse_day(due, "The due date")
    names = clean_tags(tags)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        assignee = check_assignee(s, me, me.id if assignee_id is UNSET else assignee_id)
        project = filing_project(s, project_id)
        sprint = planned_sprint(s, sprint_id, project) if sprint_id is not None else None
        task_id = s.execute(
            insert(Task)
            .values(
                title=title,
                description=description,
                estimate_minutes=minutes,
                assignee_id=assignee,
                created_by_id=me.id,
                project_id=project.id,
                sprint_id=sprint.id if sprint else None,
                priority=level.value,
                due_date=due_date,
            )
            .returning(Task.id)
        ).scalar_one()
        if names:
            set_tags(s, task_id, names)
        if draft_id is not None:  # imported here: the AI package imports this module
            from sprintsync.services.ai.outcomes import link_draft

            link_draft(s, me, draft_id, task_id, title, description, minutes)
        s.execute(insert(TaskEvent).values(task_id=task_id, to_status="todo", actor_id=me.id))
        audit(
            s,
            me,
            "task.create",
            f"task:{task_id}",
            title=title,
            assignee_id=assignee,
            project=project.key,
            **({"sprint_id": sprint.id} if sprint else {}),
        )
        view_ = load_view(s, task_id)
        uow.commit()
        return view_


def get_task(uow: UnitOfWork, *, actor: Actor, task_id: int) -> TaskView:
    with uow:
        s = uow.session
        readable_task(s, acting_user(s, actor), task_id)
        return load_view(s, task_id)


# The filters and sort every task list takes (see task_query.listing).
FILTERS: tuple[str, ...] = ("status", "assignee_id", "search", "everyone", "project_id")
FILTERS += ("sprint_id", "tag", "priority", "due", "sort")


def list_tasks(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: Status | str | Iterable[Status | str] | None = None,
    assignee_id: int | None = None,
    search: str | None = None,
    everyone: bool = False,
    project_id: int | Sequence[int] | None = None,
    sprint_id: int | Sequence[int] | None = None,
    tag: str | None = None,
    priority: Priority | str | Iterable[Priority | str] | None = None,
    due: DueFilter | str | None = None,
    sort: TaskSort | str = TaskSort.CHANGED,
    page: int = 1,
    per_page: int = 50,
) -> Page[TaskView]:
    """Own tasks, or with everyone=True (managers and admins) the whole team's, filtered by
    status, assignee, text, project, sprint, tag, priority or due date (overdue, this
    week), in the order `sort` names (planning.TaskSort; most recently changed by default)."""
    if not 1 <= per_page <= PER_PAGE_MAX:
        raise ValidationError(f"Page size must be between 1 and {PER_PAGE_MAX}.")
    page = page_number(page)
    wanted = {name: value for name, value in locals().items() if name in FILTERS}
    with uow:
        s = uow.session
        query = listing(s, actor, **wanted)
        total = s.scalar(count_of(query))
        rows = s.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
        return Page([view(*row) for row in rows], int(total or 0), page, per_page)


def all_tasks(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: Status | str | Iterable[Status | str] | None = None,
    assignee_id: int | None = None,
    search: str | None = None,
    everyone: bool = False,
    project_id: int | Sequence[int] | None = None,
    sprint_id: int | Sequence[int] | None = None,
    tag: str | None = None,
    priority: Priority | str | Iterable[Priority | str] | None = None,
    due: DueFilter | str | None = None,
    sort: TaskSort | str = TaskSort.CHANGED,
) -> list[TaskView]:
    """Every task list_tasks would page through, read at once (exports, the CLI): one query,
    so a task changed meanwhile is neither missed nor listed twice, as it could be between
    pages."""
    wanted = {name: value for name, value in locals().items() if name in FILTERS}
    with uow:
        s = uow.session
        query = listing(s, actor, **wanted)
        return [view(*row) for row in s.execute(query).all()]


def update_task(
    uow: UnitOfWork,
    *,
    actor: Actor,
    task_id: int,
    expected_version: int,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    estimate: str | int | Unset | None = UNSET,
    assignee_id: int | Unset | None = UNSET,
    project_id: int | Unset = UNSET,
    sprint_id: int | Unset | None = UNSET,
    priority: Priority | str | Unset = UNSET,
    due: dt.date | str | Unset | None = UNSET,
    tags: Iterable[str] | str | Unset | None = UNSET,
) -> TaskView:
    """Edit fields if nobody saved since `expected_version`; otherwise Conflict, nothing saved.
    A task moved to another project leaves its sprint unless given one of the new project's."""
    values: dict[str, object] = {}
    if title is not UNSET:
        values["title"] = clean_title(title)
    if description is not UNSET:
        values["description"] = clean_text(
            description,
            field="Description",
            max_len=DESCRIPTION_MAX,
        )
    if estimate is not UNSET:
        values["estimate_minutes"] = estimate_minutes(estimate)
    if priority is not UNSET:
        values["priority"] = Priority.parse(priority).value
    if due is not UNSET:
        values["due_date"] = parse_day(due, "The due date")
    names = None if tags is UNSET else clean_tags(tags)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        if assignee_id is not UNSET:
            values["assignee_id"] = check_assignee(s, me, assignee_id)
        values |= placement(s, task, project_id, sprint_id)
        if task.version != expected_version:
            raise Conflict(
                f"Task #{task_id} was changed by someone else after you opened it, "
                "so nothing was saved. Reload it to see their changes, then apply yours."
            )
        changed = {k: v for k, v in values.items() if getattr(task, k) != v}
        retagged = names is not None and not same_tags(names, tag_names(s, task_id))
        if changed or retagged:
            s.execute(
                update(Task)
                .where(Task.id == task_id, Task.version == expected_version)
                .values(**changed, version=Task.version + 1, updated_at=func.now())
            )
            if retagged:
                set_tags(s, task_id, names)
            audit(
                s,
                me,
                "task.update",
                f"task:{task_id}",
                fields=sorted([*changed, *(["tags"] if retagged else [])]),
                **({"title": changed["title"]} if "title" in changed else {}),
            )
        view_ = load_view(s, task_id)
        uow.commit()
        return view_


def move_to_sprint(
    uow: UnitOfWork, *, actor: Actor, task_id: int, sprint_id: int | None
) -> TaskView:
    """Put one of your tasks in a sprint of its project that is not closed, or (None) take it
    out of its sprint. The sprint it leaves keeps its history."""
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        before = task.sprint_id
        values = placement(s, task, UNSET, sprint_id)
        if values.get("sprint_id", before) != before:
            s.execute(
                update(Task)
                .where(Task.id == task_id)
                .values(
                    sprint_id=values["sprint_id"], version=Task.version + 1, updated_at=func.now()
                )
            )
            audit(
                s, me, "task.plan", f"task:{task_id}", **{"from": before, "to": values["sprint_id"]}
            )
        view_ = load_view(s, task_id)
        uow.commit()
        return view_


def move_task(uow: UnitOfWork, *, actor: Actor, task_id: int, to_status: Status | str) -> TaskView:
    """Move along todo -> in_progress -> done (and back: in_progress -> todo, done -> reopen)."""
    target = Status.parse(to_status)
    with uow:
        s = uow.session
        me = acting_user(s, actor)
        task = changeable_task(s, me, task_id)
        current = Status(task.status)
        check_transition(current, target)
        # The time the move happened is read now that the row is locked, not now() (when the
        # transaction began): moves then stamp in the order they took the lock, and a stale
        # tab's reopen cannot be dated before the finish it undoes.
        at = s.scalar(select(func.clock_timestamp()))
        stamps: dict[str, object] = {}
        if target == Status.IN_PROGRESS:
            stamps = {"started_at": func.coalesce(Task.started_at, at), "done_at": None}
        elif target == Status.DONE:
            stamps = {"done_at": at}
        elif target == Status.TODO:
            stamps = {"started_at": None}
        s.execute(
            update(Task)
            .where(Task.id == task_id)
            .values(status=target.value, version=Task.version + 1, updated_at=at, **stamps)
        )
        s.execute(
            insert(TaskEvent).values(
                task_id=task_id,
                from_status=current.value,
                to_status=target.value,
                actor_id=me.id,
                at=at,
            )
        )
        audit(s, me, "task.move", f"task:{task_id}", **{"from": current.value, "to": target.value})
        view_ = load_view(s, task_id)
        uow.commit()
        return view_


def task_history(uow: UnitOfWork, *, actor: Actor, task_id: int) -> list[TaskEventView]:
    with uow:
        s = uow.session
        readable_task(s, acting_user(s, actor), task_id)
        rows = s.execute(
            select(TaskEvent, User.username)
            .outerjoin(User, User.id == TaskEvent.actor_id)
            .where(TaskEvent.task_id == task_id)
            .order_by(TaskEvent.at, TaskEvent.id)
        ).all()
        return [
            TaskEventView(
                e.task_id,
                Status(e.from_status) if e.from_status else None,
                Status(e.to_status),
                name,
                e.at,
            )
            for e, name in rows
        ]
