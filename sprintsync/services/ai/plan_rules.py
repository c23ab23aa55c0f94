"""Gemini's day plans held to the offline planner's rules: unknown or repeated task ids are
refused (the caller falls back); otherwise the plan is repaired, and each repair is said in a
flag shown with the plan:

- blocked tasks are never planned;
- work in progress comes first, and is not left out while new work is started;
- urgent work is not left out while less urgent to-do work is planned;
- the boxes fit the capacity (focus time less time logged today): the lowest-ranked go.

Titles, statuses and priorities come from our data, never from the answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from sprintsync.domain import Status, format_duration
from sprintsync.planning import Priority
from sprintsync.services.ai import planner
from sprintsync.services.ai.suggestion import (
    OpenTask,
    PlanContent,
    PlanItem,
    PlanRequest,
    ProviderFailure,
)


def checked_plan(
    entries: Sequence[tuple[int, int, str]],
    tip: str,
    request: PlanRequest,
    shown: Sequence[OpenTask],
) -> PlanContent:
    """entries: Gemini's (task_id, minutes, note), in its order."""
    by_id = {task.id: task for task in shown}
    ids = [task_id for task_id, _, _ in entries]
    if unknown := sorted(set(ids) - set(by_id)):
        raise ProviderFailure("off_schema", f"{len(unknown)} unknown task ids")
    if len(ids) != len(set(ids)):
        raise ProviderFailure("off_schema", "a task planned twice")
    flags: list[str] = []
    boxes = {task_id: (minutes, note) for task_id, minutes, note in entries}
    blocked = [i for i in ids if by_id[i].blocked]
    if blocked:
        flags.append(_count(blocked, "blocked task was", "blocked tasks were") + " left out")
        ids = [i for i in ids if i not in blocked]
    ids = _with_in_progress(ids, by_id, boxes, request, flags)
    ids = _with_urgent(ids, by_id, boxes, request, flags)
    rank = {task.id: n for n, task in enumerate(planner.priority_order(shown))}
    # In progress first, then by priority; within that, Gemini's own order stands.
    ids.sort(key=lambda i: (by_id[i].status != Status.IN_PROGRESS, _level(by_id[i])))
    ids = _fitted(ids, boxes, request.available, rank, flags)
    items = tuple(_item(by_id[i], boxes[i][0], boxes[i][1]) for i in ids)
    later = _later(request, shown, set(ids), request.available - sum(boxes[i][0] for i in ids))
    splits = tuple(
        planner.split_for(t, request.focus_minutes) for t in shown if planner.too_big(t, request)
    )
    return PlanContent(items, later, tip, splits, tuple(flags))


def _level(task: OpenTask) -> int:
    return planner.PRIORITY_RANK[task.priority]


def _with_in_progress(
    ids: list[int],
    by_id: dict[int, OpenTask],
    boxes: dict[int, tuple[int, str]],
    request: PlanRequest,
    flags: list[str],
) -> list[int]:
    starts_new = any(by_id[i].status == Status.TODO for i in ids)
    missing = [
        t
        for t in planner.priority_order(list(by_id.values()))
        if t.status == Status.IN_PROGRESS and not t.blocked and t.id not in ids
    ]
    if not (starts_new and missing):
        return ids
    for task in missing:
        boxes[task.id] = planner.time_box(task, request.available)
    flags.append(
        _count(missing, "task in progress was", "tasks in progress were")
        + " put first: finish work in progress before starting new"
    )
    return [t.id for t in missing] + ids


def _with_urgent(
    ids: list[int],
    by_id: dict[int, OpenTask],
    boxes: dict[int, tuple[int, str]],
    request: PlanRequest,
    flags: list[str],
) -> list[int]:
    least = max((_level(by_id[i]) for i in ids if by_id[i].status == Status.TODO), default=-1)
    missing = [
        t
        for t in planner.priority_order(list(by_id.values()))
        if t.priority == Priority.URGENT
        and not t.blocked
        and t.id not in ids
        and least > planner.PRIORITY_RANK[Priority.URGENT]
    ]
    if not missing:
        return ids
    for task in missing:
        boxes[task.id] = planner.time_box(task, request.available)
    flags.append(
        _count(missing, "urgent task was", "urgent tasks were")
        + " put in ahead of less urgent work"
    )
    return ids + [t.id for t in missing]


def _fitted(
    ids: list[int],
    boxes: dict[int, tuple[int, str]],
    available: int,
    rank: dict[int, int],
    flags: list[str],
) -> list[int]:
    total = sum(boxes[i][0] for i in ids)
    dropped: list[int] = []
    for i in sorted(ids, key=lambda i: -rank[i]):  # the lowest-ranked go first
        if total <= available:
            break
        total -= boxes[i][0]
        dropped.append(i)
    if dropped:
        flags.append(
            _count(dropped, "task was", "tasks were")
            + f" moved to later to fit the {format_duration(available)} available"
        )
    return [i for i in ids if i not in dropped]


def _later(
    request: PlanRequest, shown: Sequence[OpenTask], planned: set[int], left: int
) -> tuple[PlanItem, ...]:
    """Every open task not planned, with its reason (hidden ones too: they were not shown)."""
    later = []
    for task in planner.priority_order(request.tasks):
        if task.id in planned:
            continue
        box, _ = planner.time_box(task, request.available)
        if task.blocked:
            reason = "blocked: it is tagged blocked"
        elif box > left and left >= planner.SLOT:
            reason = f"did not fit: needs {format_duration(box)}, {format_duration(left)} were left"
        else:
            reason = "lower priority: the day was full with work ranked above it"
        later.append(_item(task, task.remaining_minutes, reason))
    return tuple(later)


def _item(task: OpenTask, minutes: int | None, note: str) -> PlanItem:
    return PlanItem(task.id, task.title, task.status, minutes, note, task.priority, task.due_date)


def _count(things: Sequence[object], one: str, many: str) -> str:
    return f"1 {one}" if len(things) == 1 else f"{len(things)} {many}"
