"""Plan a day from open tasks: the offline planner, and the order Gemini is shown tasks in.

In-progress work comes first (least left to do first: get things over the line), then to-do by
age (oldest first) and estimate (smallest first). Each task gets a time box: what is left of
its estimate, rounded up to 15 minutes and capped at MAX_BOX_MINUTES; no estimate gets an hour;
past its estimate gets half an hour to wrap up. Boxes are placed in that order while they fit
the focus time; a task that does not fit goes to "later", except that the first one may get a
partial box when at least MIN_PARTIAL_MINUTES are left. The total never exceeds the focus time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sprintsync.domain import Status, format_duration
from sprintsync.services.ai.suggestion import OpenTask, PlanContent, PlanItem

MAX_BOX_MINUTES = 120
NO_ESTIMATE_BOX_MINUTES = 60
OVERRUN_BOX_MINUTES = 30
MIN_PARTIAL_MINUTES = 30
SLOT = 15


def priority_order(tasks: Sequence[OpenTask]) -> list[OpenTask]:
    def key(task: OpenTask) -> tuple[float, ...]:
        if task.status == Status.IN_PROGRESS:
            remaining = task.remaining_minutes
            return (0, remaining if remaining is not None else math.inf, task.id)
        estimate = task.estimate_minutes if task.estimate_minutes is not None else math.inf
        return (1, -task.age_days, estimate, task.id)

    return sorted(tasks, key=key)


def time_box(task: OpenTask, cap: int) -> tuple[int, str]:
    """Minutes to give the task today and a short note saying why."""
    remaining = task.remaining_minutes
    if remaining is None:
        return min(NO_ESTIMATE_BOX_MINUTES, cap), "no estimate yet, so an hour to get going"
    if remaining <= 0:
        return min(OVERRUN_BOX_MINUTES, cap), "past its estimate: wrap up or re-estimate"
    box = min(_round_up(remaining), MAX_BOX_MINUTES, cap)
    if box >= remaining:
        started = task.status == Status.IN_PROGRESS and task.logged_minutes
        return box, "about this much left" if started else "fits in one sitting"
    return box, f"{format_duration(remaining)} left; a first block today"


def plan_day(tasks: Sequence[OpenTask], focus_minutes: int) -> PlanContent:
    left = focus_minutes
    items: list[PlanItem] = []
    skipped: list[OpenTask] = []
    ordered = priority_order(tasks)
    for task in ordered:
        box, note = time_box(task, focus_minutes)
        if box <= left:
            items.append(_item(task, box, note))
            left -= box
        else:
            skipped.append(task)
    if skipped and left >= MIN_PARTIAL_MINUTES:
        first = skipped.pop(0)
        box = left // SLOT * SLOT
        items.append(_item(first, box, "make a start with the time that is left"))
        left -= box
    rank = {task.id: n for n, task in enumerate(ordered)}
    items.sort(key=lambda item: rank[item.task_id])  # a partial box keeps its task's place
    later = tuple(_item(task, task.remaining_minutes, "") for task in skipped)
    return PlanContent(tuple(items), later, tip_for(tasks, later))


def tip_for(tasks: Sequence[OpenTask], later: Sequence[PlanItem]) -> str:
    if not tasks:
        return "Nothing is open on your list: pick something up from the backlog or ask your lead."
    in_progress = [t for t in tasks if t.status == Status.IN_PROGRESS]
    overrun = [t for t in tasks if t.remaining_minutes is not None and t.remaining_minutes <= 0]
    unestimated = [t for t in tasks if t.estimate_minutes is None]
    if len(in_progress) >= 2:
        return (
            f"You have {len(in_progress)} tasks in progress; finish one before starting"
            " anything new."
        )
    if overrun:
        first = priority_order(overrun)[0]  # not whichever the list happened to give first
        return f"Task #{first.id} is past its estimate; re-estimate it or split off what is left."
    if len(unestimated) >= 2:
        return (
            f"{len(unestimated)} tasks have no estimate; rough ones make tomorrow's plan sharper."
        )
    if later:
        tasks_word = "tasks don't" if len(later) > 1 else "task doesn't"
        return f"{len(later)} {tasks_word} fit today; say so at stand-up rather than stretching."
    return "Do the first block before opening chat or email; it is the one most likely to slip."


def _item(task: OpenTask, minutes: int | None, note: str) -> PlanItem:
    return PlanItem(task.id, task.title, task.status, minutes, note)


def _round_up(minutes: int) -> int:
    return SLOT * math.ceil(minutes / SLOT)
