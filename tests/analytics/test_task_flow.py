"""Finished tasks, cycle time, time per status and tasks by status, on known histories."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.domain import monday_of
from sprintsync.services import analytics, tasks

D = dt.date.fromisoformat
WEEK = {"start": D("2025-03-03"), "end": D("2025-03-09")}

# Reopened once: todo 1h, in progress 2h + 1h, done 2h before reopening; cycle 10:00-15:00.
REOPENED = [
    ("todo", "2025-03-04T09:00"),
    ("in_progress", "2025-03-04T10:00"),
    ("done", "2025-03-04T12:00"),
    ("in_progress", "2025-03-04T14:00"),
    ("done", "2025-03-04T15:00"),
]
# Straight through: todo 2h, in progress 8h; cycle 11:00-19:00.
STRAIGHT = [
    ("todo", "2025-03-05T09:00"),
    ("in_progress", "2025-03-05T11:00"),
    ("done", "2025-03-05T19:00"),
]
# Finished within the week, then reopened and still open: not done.
REOPENED_OPEN = [
    ("todo", "2025-03-04T09:00"),
    ("in_progress", "2025-03-04T09:30"),
    ("done", "2025-03-04T10:00"),
    ("in_progress", "2025-03-06T10:00"),
]


@pytest.fixture
def flow(work, member, other_member):
    work.task(member, REOPENED)
    work.task(other_member, STRAIGHT)
    work.task(member, REOPENED_OPEN)
    work.task(member, [("todo", "2025-03-01T09:00")])
    work.task(other_member, [("todo", "2025-02-01T09:00"), ("in_progress", "2025-02-03T09:00")])
    work.task(  # finished the week before: only open work and this week's finishes count
        member,
        [
            ("todo", "2025-02-20T09:00"),
            ("in_progress", "2025-02-21T09:00"),
            ("done", "2025-02-28T09:00"),
        ],
    )


def test_headline_counts_finished_tasks_once_at_their_final_finish(uow, flow, manager):
    headline = analytics.headline(uow(), actor=manager, **WEEK)
    assert headline.tasks_done == 2
    assert headline.median_cycle_hours == pytest.approx((5 + 8) / 2)


def test_time_in_status_averages_over_finished_tasks_and_counts_reopened_time(uow, flow, manager):
    frame = analytics.time_in_status(uow(), actor=manager, **WEEK)
    assert frame["status"].tolist() == ["todo", "in_progress", "done"]
    assert frame["hours"].tolist() == pytest.approx([(1 + 2) / 2, (3 + 8) / 2, (2 + 0) / 2])
    assert frame["tasks"].tolist() == [2, 2, 1]


def test_time_in_status_is_empty_when_nothing_was_finished(uow, flow, manager):
    frame = analytics.time_in_status(
        uow(), actor=manager, start=D("2025-03-10"), end=D("2025-03-16")
    )
    assert frame.empty
    assert list(frame.columns) == ["status", "hours", "tasks"]


def test_tasks_by_status_counts_open_work_now_and_finishes_in_the_range(
    uow, flow, manager, member, work
):
    work.task(member, [("todo", "2025-03-03T09:00")], assigned=False)  # owned by its creator
    frame = analytics.tasks_by_status(uow(), actor=manager, **WEEK)
    assert frame.to_dict("records") == [
        {"user": "mia", "todo": 2, "in_progress": 1, "done": 1},
        {"user": "otto", "todo": 0, "in_progress": 1, "done": 1},
    ]
    folded = analytics.tasks_by_status(uow(), actor=manager, **WEEK, top=1)
    assert folded["user"].tolist() == ["mia", analytics.OTHERS]


@pytest.mark.parametrize(
    ("zone_name", "done_this_week", "done_the_week_before"),
    [
        # 03:30 UTC on Monday 10 March is still Sunday evening in New York.
        ("UTC", 1, 0),
        ("America/New_York", 0, 1),
        # In Auckland it is already Monday afternoon either way.
        ("Pacific/Auckland", 1, 0),
    ],
)
def test_day_boundaries_for_events_follow_the_configured_time_zone(
    uow, work, member, manager, zone, zone_name, done_this_week, done_the_week_before
):
    zone(zone_name)
    late = [("todo", "2025-03-05T12:00"), ("in_progress", "2025-03-06T12:00")]
    work.task(member, [*late, ("done", "2025-03-10T03:30")])
    this_week = analytics.headline(uow(), actor=manager, start=D("2025-03-10"), end=D("2025-03-16"))
    week_before = analytics.headline(uow(), actor=manager, **WEEK)
    assert (this_week.tasks_done, week_before.tasks_done) == (done_this_week, done_the_week_before)


def test_moves_through_the_task_service_feed_the_figures(uow, member, manager):
    task = tasks.create_task(uow(), actor=member, title="Ship it")
    for status in ["in_progress", "done", "in_progress", "done"]:
        tasks.move_task(uow(), actor=member, task_id=task.id, to_status=status)
    today = monday_of(dt.date.today())
    # The moves follow each other within milliseconds: finished, with next to no time in each
    # status, and counted once.
    headline = analytics.headline(
        uow(), actor=manager, start=today - dt.timedelta(days=7), end=today + dt.timedelta(days=7)
    )
    assert headline.tasks_done == 1
    assert 0 < headline.median_cycle_hours < 0.01
