"""The offline planner: in progress first, then priority, due date, age and estimate; the
capacity is the focus time less what was logged today; every task left for later says why;
too big for a day gets a split."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sprintsync.domain import Status
from sprintsync.planning import Priority
from sprintsync.services.ai.planner import MAX_BOX_MINUTES, plan_day, priority_order
from sprintsync.services.ai.suggestion import OpenTask, PlanRequest

DAY = dt.date(2026, 3, 10)
URGENT, HIGH, NORMAL, LOW = Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW


def task(id, status=Status.TODO, estimate=60, logged=0, age=0, priority=NORMAL, due=None,
         blocked=False):  # fmt: skip
    return OpenTask(id, f"Task {id}", status, estimate, logged, age, priority, due, blocked)


def plan(tasks, focus=360, logged_today=0):
    return plan_day(PlanRequest(tuple(tasks), focus, logged_today, DAY))


def test_in_progress_first_then_priority_then_due_date_then_age_and_size():
    tasks = [
        task(1, age=9, estimate=30),
        task(2, priority=LOW, age=30),
        task(3, Status.IN_PROGRESS, estimate=240, logged=60),
        task(4, priority=URGENT),
        task(5, Status.IN_PROGRESS, estimate=90, logged=60, priority=LOW),
        task(6, priority=HIGH, due=DAY + dt.timedelta(days=5)),
        task(7, priority=HIGH, due=DAY - dt.timedelta(days=1)),
        task(8, age=9, estimate=None),
    ]
    # In progress first (finish before starting), however low; then urgent, high (overdue
    # before due later), normal by age and size, low last.
    assert [t.id for t in priority_order(tasks)] == [3, 5, 4, 7, 6, 1, 8, 2]


def test_urgent_and_overdue_work_says_why_it_comes_early():
    made = plan([task(1, priority=URGENT), task(2, due=DAY - dt.timedelta(days=2))])
    notes = {i.task_id: i.note for i in made.items}
    assert notes[1].startswith("urgent; ")
    assert notes[2].startswith("overdue by 2 days; ")
    assert "Task #2 is overdue" in made.tip


def test_time_boxes_follow_what_is_left_of_the_estimate():
    made = plan(
        [
            task(1, Status.IN_PROGRESS, estimate=90, logged=50),  # 40 left -> 45
            task(2, estimate=600),  # capped
            task(3, estimate=None),  # an hour to get going
            task(4, Status.IN_PROGRESS, estimate=60, logged=80),  # past its estimate
        ],
        focus=8 * 60,
    )
    assert {i.task_id: i.minutes for i in made.items} == {1: 45, 4: 30, 2: MAX_BOX_MINUTES, 3: 60}
    notes = {i.task_id: i.note for i in made.items}
    assert "past its estimate" in notes[4]
    assert "10h left" in notes[2]


def test_time_logged_today_comes_off_the_focus_time():
    made = plan([task(n, estimate=60) for n in range(1, 7)], focus=360, logged_today=150)
    assert sum(i.minutes for i in made.items) == 210
    assert [(i.task_id, i.minutes) for i in made.items] == [(1, 60), (2, 60), (3, 60), (4, 30)]
    assert [i.task_id for i in made.later] == [5, 6]


def test_every_task_left_for_later_says_why():
    made = plan(
        [
            task(1, Status.IN_PROGRESS, estimate=120),
            task(2, estimate=180, age=5),  # 3h, but only 2h are left at its turn
            task(3, estimate=90, age=4),
            task(4, estimate=30, age=3),
            task(5, estimate=60, age=2),  # the day is full by then
            task(6, blocked=True, priority=URGENT),
        ],
        focus=240,
    )
    assert [(i.task_id, i.minutes) for i in made.items] == [(1, 120), (3, 90), (4, 30)]
    reasons = {i.task_id: i.note for i in made.later}
    assert reasons == {
        2: "did not fit: needs 3h, 2h were left",
        5: "lower priority: the day was full with work ranked above it",
        6: "blocked: it is tagged blocked",
    }


def test_the_first_task_that_does_not_fit_gets_a_start_with_the_time_left():
    made = plan([task(n, estimate=90, age=10 - n) for n in range(1, 7)], focus=240)
    assert [(i.task_id, i.minutes) for i in made.items] == [(1, 90), (2, 90), (3, 60)]
    assert "make a start" in made.items[-1].note
    assert [i.task_id for i in made.later] == [4, 5, 6]
    assert "3 tasks don't fit today" in made.tip


def test_with_the_day_already_logged_nothing_is_planned_and_it_says_so():
    made = plan([task(1)], focus=360, logged_today=400)
    assert made.items == ()
    assert made.later[0].note == "did not fit: no focus time is left today (6h40m logged)"


@pytest.mark.parametrize(
    ("left", "focus", "parts", "each"),
    [(14 * 60, 360, 3, 285), (7 * 60, 360, 2, 210), (6 * 60, 360, None, None)],
)
def test_a_task_bigger_than_a_day_gets_a_proposal_to_split_it(left, focus, parts, each):
    made = plan([task(1, Status.IN_PROGRESS, estimate=left + 60, logged=60)], focus=focus)
    if parts is None:
        assert made.splits == ()
        return
    [split] = made.splits
    assert (split.task_id, split.parts, split.part_minutes) == (1, parts, each)
    assert "split it into" in split.text and "finishable in a day" in split.text


def test_the_tip_speaks_to_the_situation():
    several = [task(1, Status.IN_PROGRESS), task(2, Status.IN_PROGRESS), task(3)]
    assert "2 tasks in progress" in plan(several).tip
    overrun = [task(7, Status.IN_PROGRESS, estimate=60, logged=90)]
    assert "#7 is past its estimate" in plan(overrun).tip
    assert "no estimate" in plan([task(1, estimate=None), task(2, estimate=None)]).tip
    assert "Nothing is open" in plan([]).tip


def test_the_same_tasks_always_get_the_same_plan():
    tasks = [
        task(n, estimate=25 * n, age=n % 3, priority=list(Priority)[n % 4]) for n in range(1, 12)
    ]
    assert plan(tasks) == plan(list(reversed(tasks)))


open_tasks = st.lists(
    st.builds(
        OpenTask,
        id=st.integers(1, 10_000),
        title=st.just("t"),
        status=st.sampled_from([Status.TODO, Status.IN_PROGRESS]),
        estimate_minutes=st.one_of(st.none(), st.integers(1, 3000)),
        logged_minutes=st.integers(0, 3000),
        age_days=st.integers(0, 400),
        priority=st.sampled_from(list(Priority)),
        due_date=st.one_of(st.none(), st.dates(DAY - dt.timedelta(30), DAY + dt.timedelta(30))),
        blocked=st.booleans(),
    ),
    max_size=25,
    unique_by=lambda t: t.id,
)


@given(open_tasks, st.integers(30, 16 * 60), st.integers(0, 16 * 60))
def test_a_plan_never_exceeds_the_time_left_and_places_every_task_once(tasks, focus, logged):
    made = plan(tasks, focus, logged)
    assert sum(i.minutes for i in made.items) <= max(0, focus - logged)
    assert all(i.minutes and i.minutes > 0 for i in made.items)
    placed = [i.task_id for i in made.items] + [i.task_id for i in made.later]
    assert sorted(placed) == sorted(t.id for t in tasks)
    assert not any(t.blocked for t in tasks if t.id in {i.task_id for i in made.items})
    statuses = [i.status for i in made.items]
    assert statuses == sorted(statuses, key=lambda s: s != Status.IN_PROGRESS)
    assert all(i.note.startswith(("did not fit", "lower priority", "blocked")) for i in made.later)
    assert plan(list(reversed(tasks)), focus, logged) == made
