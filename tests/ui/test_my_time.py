"""The My time page: the week's editable grid with totals, saving it, its state and Submit,
week navigation and the charts."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.services import tasks, timelog
from sprintsync.ui.literal import escape_markdown
from tests.ui.apptest_helpers import week_totals
from tests.ui.page_runner import click, open_page, open_tables, with_week_charts_open

THIS_MONDAY = monday_of(today())


@pytest.fixture
def week_of_work(uow, member, other_member):
    """Time this week and last week on two tasks, and someone else's time this week."""
    alpha = tasks.create_task(uow(), actor=member, title="**alpha** <b>x</b>")
    beta = tasks.create_task(uow(), actor=member, title="beta")
    last_monday = THIS_MONDAY - dt.timedelta(days=7)
    for task, day, duration in [
        (alpha, THIS_MONDAY, "1h"),
        (alpha, THIS_MONDAY, "30m"),
        (beta, THIS_MONDAY, "15m"),
        (beta, last_monday + dt.timedelta(days=2), "2h"),
    ]:
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration, spent_on=day)
    theirs = tasks.create_task(uow(), actor=other_member, title="theirs")
    timelog.log_time(uow(), actor=other_member, task_id=theirs.id, duration="5h")
    return alpha, beta


def grid(at: AppTest) -> list[list[str]]:
    """The editable grid as drawn: its header, then a row per task."""
    frame = at.dataframe[0].value
    return [list(frame.columns), *frame.values.tolist()]


def days(monday: dt.date) -> list[str]:
    return [f"{monday + dt.timedelta(days=i):%a %d}" for i in range(7)]


def test_a_signed_out_visitor_is_asked_to_sign_in():
    at = AppTest.from_file("../../app_pages/my_time.py", default_timeout=30).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please sign in to see this page."]


def test_this_weeks_timesheet_has_tasks_by_days_with_totals(uow, member, week_of_work):
    alpha, beta = week_of_work
    at = open_page("my_time.py", member)
    blank = [""] * 6
    assert grid(at) == [
        ["Task", *days(THIS_MONDAY)],
        [f"#{alpha.id} **alpha** <b>x</b>", "1h30m", *blank],  # titles literally
        [f"#{beta.id} beta", "15m", *blank],
    ]
    by_day = " · ".join(
        f"{d} {m}" for d, m in zip(days(THIS_MONDAY), ["1h45m", *"––––––"], strict=True)
    )
    assert week_totals(at) == (
        "1h45m",
        [
            f"By day: {by_day}",
            # escaped, so that the caption's Markdown shows the title as typed (test_literal)
            f"By task: #{alpha.id} {escape_markdown(alpha.title)} 1h30m · #{beta.id} beta 15m",
        ],
    )
    assert at.metric[0].value == "1h45m"
    assert at.subheader[0].value.startswith(f"Week of {THIS_MONDAY:%a %d %b}")


def test_week_navigation_moves_between_weeks(uow, member, week_of_work):
    at = click(open_page("my_time.py", member), "week.previous")
    last_monday = THIS_MONDAY - dt.timedelta(days=7)
    assert grid(at)[0] == ["Task", *days(last_monday)]
    beta = week_of_work[1]
    assert grid(at)[1:] == [[f"#{beta.id} beta", "", "", "2h", "", "", "", ""]]
    assert week_totals(at)[0] == "2h"
    click(at, "week.next")
    assert week_totals(at)[0] == "1h45m"
    click(at, "week.next")
    assert not at.data_editor  # nothing to edit until a row is added
    assert "No time logged in this week yet" in at.info[0].value
    click(at, "week.this")
    assert grid(at)[0][1] == days(THIS_MONDAY)[0]


def test_two_tasks_with_one_title_keep_a_bar_each(uow, member):
    first, second = (tasks.create_task(uow(), actor=member, title="Code review") for _ in "12")
    for task, duration in ((first, "2h"), (second, "1h")):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration)
    at = with_week_charts_open(open_page("my_time.py", member))
    by_task = open_tables(at).dataframe[2].value
    assert sorted(by_task["Task"]) == sorted(
        [f"#{first.id} Code review", f"#{second.id} Code review"]
    )


def test_a_week_without_time_tells_the_user_how_to_log_some(uow, member):
    at = open_page("my_time.py", member)
    assert not at.data_editor
    assert "Add a row for a task below" in at.info[0].value


def test_the_personal_charts_are_folded_until_asked_for_and_stay_open(uow, member, week_of_work):
    at = open_page("my_time.py", member)
    assert not at.get("plotly_chart") and at.expander[-1].label == "My week in charts"
    with_week_charts_open(at)
    assert len(at.get("plotly_chart")) == 2
    click(at, "week.previous")
    assert len(at.get("plotly_chart")) == 2


def test_the_personal_charts_follow_the_chosen_week(uow, member, week_of_work):
    at = with_week_charts_open(open_page("my_time.py", member))
    subheaders = [s.value for s in at.subheader]
    assert "My hours per day against the week before" in subheaders
    assert "My time by task" in subheaders
    assert len(at.get("plotly_chart")) == 2
    by_day, by_task = (frame.value for frame in open_tables(at).dataframe[1:3])
    assert by_day.columns.tolist() == ["Day", "This week", "Last week"]
    assert by_day.loc[0].tolist() == ["Mon", 1.75, 0.0]
    assert by_day.loc[2].tolist() == ["Wed", 0.0, 2.0]
    alpha, beta = week_of_work
    assert by_task.values.tolist() == [
        [f"#{alpha.id} **alpha** <b>x</b>", 1.5, 0.0],
        [f"#{beta.id} beta", 0.25, 2.0],
    ]

    click(at, "week.previous")
    by_day, by_task = (frame.value for frame in open_tables(at).dataframe[1:3])
    # A past week is named by its Monday, not called "this week".
    shown, prior = (THIS_MONDAY - dt.timedelta(weeks=n) for n in (1, 2))
    names = [f"Week of Mon {d.day} {d:%b}" for d in (shown, prior)]
    assert by_task.columns.tolist() == ["Task", *names]
    assert by_day.loc[2].tolist() == ["Wed", 2.0, 0.0]
    assert by_task.values.tolist() == [[f"#{beta.id} beta", 2.0, 0.0]]
