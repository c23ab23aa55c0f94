"""Plan a day from open tasks: the offline planner, the order Gemini is shown tasks in, and the
rules a Gemini plan is held to (plan_rules.py).

Order: work in progress first (finish before starting: least left first), then to-do by
priority (urgent, high, normal, low), due date (overdue and soonest first), age (oldest
first) and estimate (smallest first). Blocked tasks (tagged "blocked") are not planned.

Capacity: the person's focus time less what they already logged today. Each task gets a time
box: what is left of its estimate, rounded up to 15 minutes and capped at MAX_BOX_MINUTES; no
estimate gets an hour; past its estimate, half an hour to wrap up. Boxes are placed in order
while they fit; the first that does not may get a partial box when MIN_PARTIAL_MINUTES are
left. Every task left for later says why: blocked, did not fit (its box was bigger than the
time left at its turn) or lower priority (the day was full before its turn). A task with more
left than a whole day's focus time gets a proposal to split it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from sprintsync.domain import Status, format_duration
from sprintsync.planning import Priority
from sprintsync.services.ai.suggestion import OpenTask, PlanContent, PlanItem, PlanRequest, Split

MAX_BOX_MINUTES = 180
NO_ESTIMATE_BOX_MINUTES = 60
OVERRUN_BOX_MINUTES = 30
MIN_PARTIAL_MINUTES = 30
SLOT = 15
PRIORITY_RANK = {
    p: n for n, p in enumerate((Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW))
}
BLOCKED_TAGS = frozenset({"blocked", "waiting"})


def priority_order(tasks: Sequence[OpenTask]) -> list[OpenTask]:
    def key(task: OpenTask) -> tuple[float, ...]:
        if task.status == Status.IN_PROGRESS:
            remaining = task.remaining_minutes
            left = remaining if remaining is not None else math.inf
            return (0, PRIORITY_RANK[task.priority], left, task.id)
        due = task.due_date.toordinal() if task.due_date else math.inf
        estimate = task.estimate_minutes if task.estimate_minutes is not None else math.inf
        return (1, PRIORITY_RANK[task.priority], due, -task.age_days, estimate, task.id)

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


def urgency(task: OpenTask, day: dt.date | None) -> str:
    """'urgent', 'overdue by 2 days', 'due today'... the words that put a task early."""
    words = []
    if task.priority in (Priority.URGENT, Priority.HIGH):
        words.append(task.priority.value)
    if task.due_date and day:
        late = (day - task.due_date).days
        if late > 0:
            words.append(f"overdue by {late} day{'s' if late > 1 else ''}")
        elif late == 0:
            words.append("due today")
        elif late == -1:
            words.append("due tomorrow")
    return ", ".join(words)


def plan_day(request: PlanRequest) -> PlanContent:
    day, available = request.day, request.available
    left = available
    items: list[PlanItem] = []
    later: list[PlanItem] = []
    unfit: list[OpenTask] = []
    ordered = priority_order(request.tasks)
    for task in ordered:
        if task.blocked:
            later.append(_item(task, task.remaining_minutes, "blocked: it is tagged blocked", day))
            continue
        box, note = time_box(task, available)
        if box and box <= left:
            items.append(_item(task, box, _joined(urgency(task, day), note), day))
            left -= box
        elif left >= SLOT:
            unfit.append(task)
            need = format_duration(box or task.remaining_minutes)
            later.append(
                _item(
                    task,
                    task.remaining_minutes,
                    f"did not fit: needs {need}, {format_duration(left)} were left",
                    day,
                )
            )
        else:
            reason = (
                "lower priority: the day was full with work ranked above it"
                if available
                else "did not fit: no focus time is left today "
                f"({format_duration(request.logged_today)} logged)"
            )
            later.append(_item(task, task.remaining_minutes, reason, day))
    if unfit and left >= MIN_PARTIAL_MINUTES:
        first = unfit[0]
        box = left // SLOT * SLOT
        items.append(_item(first, box, "make a start with the time that is left", day))
        later = [item for item in later if item.task_id != first.id]
    rank = {task.id: n for n, task in enumerate(ordered)}
    items.sort(key=lambda item: rank[item.task_id])  # a partial box keeps its task's place
    later.sort(key=lambda item: rank[item.task_id])
    splits = tuple(split_for(t, request.focus_minutes) for t in ordered if too_big(t, request))
    return PlanContent(tuple(items), tuple(later), tip_for(request.tasks, later, day), splits)


def too_big(task: OpenTask, request: PlanRequest) -> bool:
    remaining = task.remaining_minutes
    return not task.blocked and remaining is not None and remaining > request.focus_minutes


def split_for(task: OpenTask, focus_minutes: int) -> Split:
    """Parts that each fit in a day with room to spare (about 80% of the focus time)."""
    remaining = task.remaining_minutes or 0
    parts = max(2, math.ceil(remaining / max(SLOT, focus_minutes * 0.8)))
    return Split(task.id, task.title, remaining, parts, _round_up(math.ceil(remaining / parts)))


def tip_for(tasks: Sequence[OpenTask], later: Sequence[PlanItem], day: dt.date | None) -> str:
    if not tasks:
        return "Nothing is open on your list: pick something up from the backlog or ask your lead."
    in_progress = [t for t in tasks if t.status == Status.IN_PROGRESS]
    overdue = [t for t in tasks if t.due_date and day and t.due_date < day]
    overrun = [t for t in tasks if t.remaining_minutes is not None and t.remaining_minutes <= 0]
    unestimated = [t for t in tasks if t.estimate_minutes is None]
    if len(in_progress) >= 2:
        return (
            f"You have {len(in_progress)} tasks in progress; finish one before starting"
            " anything new."
        )
    if overdue:
        first = priority_order(overdue)[0]
        return f"Task #{first.id} is overdue; finish it or agree a new date with whoever needs it."
    if overrun:
        first = priority_order(overrun)[0]  # not whichever the list happened to give first
        return f"Task #{first.id} is past its estimate; re-estimate it or split off what is left."
    if len(unestimated) >= 2:
        return (
            f"{len(unestimated)} tasks have no estimate; rough ones make tomorrow's plan sharper."
        )
    waiting = [i for i in later if i.note.startswith("blocked")]
    later = [i for i in later if not i.note.startswith("blocked")]
    if waiting and not later:
        return f"Task #{waiting[0].task_id} is blocked; chase what it waits for before it is due."
    if later:
        tasks_word = "tasks don't" if len(later) > 1 else "task doesn't"
        return f"{len(later)} {tasks_word} fit today; say so at stand-up rather than stretching."
    return "Do the first block before opening chat or email; it is the one most likely to slip."


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _item(task: OpenTask, minutes: int | None, note: str, day: dt.date | None) -> PlanItem:
    return PlanItem(task.id, task.title, task.status, minutes, note, task.priority, task.due_date)


def _round_up(minutes: int) -> int:
    return SLOT * math.ceil(minutes / SLOT)
