"""The offline planner: in-progress first, to-do by age and estimate, never past the focus time."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sprintsync.domain import Status
from sprintsync.services.ai.planner import MAX_BOX_MINUTES, plan_day, priority_order
from sprintsync.services.ai.suggestion import OpenTask


def task(id, status=Status.TODO, estimate=60, logged=0, age=0, title=None):
    return OpenTask(id, title or f"Task {id}", status, estimate, logged, age)


def test_in_progress_work_comes_first_then_old_small_todos():
    tasks = [
        task(1, age=1, estimate=30),
        task(2, age=9, estimate=120),
        task(3, Status.IN_PROGRESS, estimate=240, logged=60),
        task(4, age=9, estimate=60),
        task(5, Status.IN_PROGRESS, estimate=90, logged=60),
        task(6, age=9, estimate=None),
    ]
    assert [t.id for t in priority_order(tasks)] == [5, 3, 4, 2, 6, 1]
    plan = plan_day(tasks, 6 * 60)
    assert [i.task_id for i in plan.items][:2] == [5, 3]


def test_time_boxes_follow_what_is_left_of_the_estimate():
    plan = plan_day(
        [
            task(1, Status.IN_PROGRESS, estimate=90, logged=50),  # 40 left -> 45
            task(2, estimate=600),  # capped
            task(3, estimate=None),  # an hour to get going
            task(4, Status.IN_PROGRESS, estimate=60, logged=80),  # past its estimate
        ],
        8 * 60,
    )
    boxes = {i.task_id: i.minutes for i in plan.items}
    assert boxes == {1: 45, 4: 30, 2: MAX_BOX_MINUTES, 3: 60}
    notes = {i.task_id: i.note for i in plan.items}
    assert "past its estimate" in notes[4]
    assert "10h left" in notes[2]


def test_what_does_not_fit_the_focus_hours_is_listed_for_later():
    tasks = [task(n, estimate=90, age=10 - n) for n in range(1, 7)]
    plan = plan_day(tasks, 4 * 60)
    assert sum(i.minutes for i in plan.items) <= 240
    assert [i.task_id for i in plan.items] == [1, 2, 3]  # 90 + 90 + a 60-minute start
    assert plan.items[-1].minutes == 60
    assert "make a start" in plan.items[-1].note
    assert [i.task_id for i in plan.later] == [4, 5, 6]
    assert "3 tasks don't fit today" in plan.tip


def test_a_small_task_still_fits_after_a_big_one_that_does_not_and_the_rest_is_a_start():
    tasks = [
        task(1, Status.IN_PROGRESS, estimate=300),
        task(2, estimate=300, age=4),
        task(3, estimate=30, age=1),
    ]
    plan = plan_day(tasks, 180)
    assert [(i.task_id, i.minutes) for i in plan.items] == [(1, 120), (2, 30), (3, 30)]
    assert plan.later == ()


def test_the_tip_speaks_to_the_situation():
    several = [task(1, Status.IN_PROGRESS), task(2, Status.IN_PROGRESS), task(3)]
    assert "2 tasks in progress" in plan_day(several, 360).tip
    overrun = [task(7, Status.IN_PROGRESS, estimate=60, logged=90)]
    assert "#7 is past its estimate" in plan_day(overrun, 360).tip
    assert "no estimate" in plan_day([task(1, estimate=None), task(2, estimate=None)], 360).tip
    assert "Nothing is open" in plan_day([], 360).tip


def test_the_tip_names_the_same_overrun_task_whatever_order_the_list_came_in():
    overruns = [task(3, estimate=60, logged=90, age=1), task(9, estimate=30, logged=45, age=20)]
    assert plan_day(overruns, 360).tip == plan_day(list(reversed(overruns)), 360).tip


def test_the_same_tasks_always_get_the_same_plan():
    tasks = [task(n, estimate=25 * n, age=n % 3) for n in range(1, 12)]
    assert plan_day(tasks, 360) == plan_day(list(reversed(tasks)), 360)


open_tasks = st.lists(
    st.builds(
        OpenTask,
        id=st.integers(1, 10_000),
        title=st.just("t"),
        status=st.sampled_from([Status.TODO, Status.IN_PROGRESS]),
        estimate_minutes=st.one_of(st.none(), st.integers(1, 3000)),
        logged_minutes=st.integers(0, 3000),
        age_days=st.integers(0, 400),
    ),
    max_size=25,
    unique_by=lambda t: t.id,
)


@given(open_tasks, st.integers(15, 16 * 60))
def test_a_plan_never_exceeds_the_focus_time_and_places_every_task_once(tasks, focus):
    plan = plan_day(tasks, focus)
    assert sum(i.minutes for i in plan.items) <= focus
    assert all(i.minutes and i.minutes > 0 for i in plan.items)
    placed = [i.task_id for i in plan.items] + [i.task_id for i in plan.later]
    assert sorted(placed) == sorted(t.id for t in tasks)
    statuses = [i.status for i in plan.items]
    assert statuses == sorted(statuses, key=lambda s: s != Status.IN_PROGRESS)
    # The order the list arrives in (most recently changed first) changes nothing, tip too.
    assert plan_day(list(reversed(tasks)), focus) == plan
