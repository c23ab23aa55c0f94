"""Time logged, on small hand-built data with known answers."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.cli import main
from sprintsync.errors import ValidationError
from sprintsync.services import analytics, tasks, timelog

D = dt.date.fromisoformat
# Sunday 2 March 2025 ends a week; Monday 3 March starts the next.
WEEK_EDGES = [("2025-03-02", 60), ("2025-03-03", 30), ("2025-03-09", 45), ("2025-03-10", 15)]


@pytest.fixture
def edges(work, member):
    work.time(member, work.task(member), *WEEK_EDGES)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("week", [(D("2025-02-24"), 60), (D("2025-03-03"), 75), (D("2025-03-10"), 15)]),
        (
            "day",
            [
                (D("2025-03-02"), 60),
                (D("2025-03-03"), 30),
                (D("2025-03-09"), 45),
                (D("2025-03-10"), 15),
            ],
        ),
        ("user", [("mia", 150)]),
    ],
)
def test_minutes_by_puts_sunday_and_monday_in_different_weeks(uow, edges, manager, by, expected):
    frame = analytics.minutes_by(
        uow(), actor=manager, start=D("2025-03-01"), end=D("2025-03-10"), by=by
    )
    assert list(frame.itertuples(index=False, name=None)) == expected


def test_range_ends_are_inclusive_and_days_outside_are_left_out(uow, edges, manager):
    frame = analytics.minutes_by(uow(), actor=manager, start=D("2025-03-03"), end=D("2025-03-09"))
    assert frame.to_dict("records") == [{"user": "mia", "minutes": 75}]


@pytest.fixture
def team(work, member, other_member, make_user):
    """mia logs 3h, otto 1h, and quiet (no time at all) exists."""
    work.time(member, work.task(member), ("2025-03-03", 120), ("2025-03-05", 60))
    work.time(other_member, work.task(other_member), ("2025-03-04", 60))
    return make_user("quiet")


def test_time_per_user_by_week_names_each_person_busiest_first(uow, team, manager):
    frame = analytics.time_per_user(
        uow(), actor=manager, start=D("2025-03-03"), end=D("2025-03-09"), by="week"
    )
    assert frame.to_dict("records") == [
        {"period": D("2025-03-03"), "user": "mia", "minutes": 180},
        {"period": D("2025-03-03"), "user": "otto", "minutes": 60},
    ]


def test_time_per_user_beyond_the_top_sums_everyone_else(uow, team, manager):
    frame = analytics.time_per_user(
        uow(), actor=manager, start=D("2025-03-03"), end=D("2025-03-09"), by="day", top=1
    )
    assert list(frame.itertuples(index=False, name=None)) == [
        (D("2025-03-03"), "mia", 120),
        (D("2025-03-04"), analytics.OTHERS, 60),
        (D("2025-03-05"), "mia", 60),
    ]


def test_team_per_day_has_every_day_of_the_range_with_zero_for_quiet_days(uow, team, manager):
    frame = analytics.team_per_day(uow(), actor=manager, start=D("2025-03-02"), end=D("2025-03-06"))
    assert list(frame.itertuples(index=False, name=None)) == [
        (D("2025-03-02"), 0),
        (D("2025-03-03"), 120),
        (D("2025-03-04"), 60),
        (D("2025-03-05"), 60),
        (D("2025-03-06"), 0),
    ]


def test_a_user_with_no_time_gets_zeros_and_empty_frames_not_errors(uow, team, manager):
    only_quiet = {"start": D("2025-03-03"), "end": D("2025-03-09"), "user_ids": [team.id]}
    per_day = analytics.team_per_day(uow(), actor=manager, **only_quiet)
    assert len(per_day) == 7
    assert per_day["minutes"].sum() == 0
    assert analytics.time_per_user(uow(), actor=manager, **only_quiet).empty
    headline = analytics.headline(uow(), actor=manager, **only_quiet)
    assert headline == analytics.Headline(0, 0, 0, None)


def test_top_users_ranks_the_week_holding_the_day_most_first(uow, team, manager, work, admin):
    work.time(admin, work.task(admin), ("2025-03-09", 90), ("2025-03-10", 600))
    frame = analytics.top_users(uow(), actor=manager, week_of=D("2025-03-06"), limit=2)
    assert frame.to_dict("records") == [
        {"user": "mia", "minutes": 180},
        {"user": "ada", "minutes": 90},
    ]


def test_headline_counts_only_people_who_logged_time(uow, team, manager):
    headline = analytics.headline(uow(), actor=manager, start=D("2025-03-03"), end=D("2025-03-09"))
    assert (headline.total_minutes, headline.total_hours, headline.active_people) == (240, 4, 2)


def test_my_week_sets_this_week_against_last_by_weekday_and_by_task(uow, work, member):
    docs = work.task(member, title="Docs")
    review = work.task(member, title="Review")
    work.time(member, docs, ("2025-03-03", 60), ("2025-03-10", 30), ("2025-03-16", 15))
    work.time(member, review, ("2025-03-04", 45), ("2025-03-17", 600))  # next week: left out
    week = analytics.my_week(uow(), actor=member, today=D("2025-03-12"))
    assert week.monday == D("2025-03-10")
    assert week.days.to_dict("list") == {
        "weekday": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "this_week": [30, 0, 0, 0, 0, 0, 15],
        "last_week": [60, 45, 0, 0, 0, 0, 0],
    }
    assert week.tasks.to_dict("records") == [
        {"task_id": docs, "task": "Docs", "this_week": 45, "last_week": 60},
        {"task_id": review, "task": "Review", "this_week": 0, "last_week": 45},
    ]
    same = analytics.week_by_day(uow(), actor=member, today=D("2025-03-12"))
    assert same.equals(week.days)
    assert analytics.week_by_task(uow(), actor=member, today=D("2025-03-12")).equals(week.tasks)


def test_my_week_without_time_is_empty_with_seven_zero_days(uow, member):
    week = analytics.my_week(uow(), actor=member, today=D("2025-03-12"))
    assert week.is_empty
    assert week.days[["this_week", "last_week"]].sum().sum() == 0


@pytest.mark.parametrize(
    ("start", "end", "by"),
    [
        ("2025-03-10", "2025-03-09", "week"),
        ("2023-01-01", "2025-03-09", "week"),
        ("2025-03-01", "2025-03-09", "month"),
    ],
)
def test_bad_ranges_and_groupings_are_refused_with_a_message(uow, manager, start, end, by):
    with pytest.raises(ValidationError):
        analytics.dashboard(uow(), actor=manager, start=D(start), end=D(end), by=by)


def test_report_minutes_cli_prints_the_same_figures_as_csv(uow, edges, capsys):
    args = "report minutes --from 2025-03-01 --to 2025-03-10 --by week --format csv"
    code = main(args.split())
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "week,minutes",
        "2025-02-24,60",
        "2025-03-03,75",
        "2025-03-10,15",
    ]


def test_logging_editing_and_deleting_through_the_service_keep_the_figures_exact(
    uow, member, manager
):
    task = tasks.create_task(uow(), actor=member, title="Ship it")
    first = timelog.log_time(
        uow(), actor=member, task_id=task.id, duration="1h", spent_on="2025-03-03"
    )
    second = timelog.log_time(
        uow(), actor=member, task_id=task.id, duration=30, spent_on="2025-03-04"
    )
    timelog.edit_entry(uow(), actor=member, entry_id=first.id, duration="2h", spent_on="2025-03-05")
    timelog.delete_entry(uow(), actor=member, entry_id=second.id)
    timelog.log_time(uow(), actor=member, task_id=task.id, duration=15, spent_on="2025-03-05")
    frame = analytics.minutes_by(
        uow(), actor=manager, start=D("2025-03-03"), end=D("2025-03-09"), by="day"
    )
    assert list(frame.itertuples(index=False, name=None)) == [(D("2025-03-05"), 135)]
