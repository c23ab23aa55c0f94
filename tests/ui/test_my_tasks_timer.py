"""The timer on the My tasks page: start, stop, switch, discard, and the 12-hour correction."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from sprintsync.services import tasks, timelog, timers
from tests.ui.page_runner import (
    banner_key,
    click,
    correction_key,
    errors,
    open_page,
    texts,
    toasts,
)


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Fix the flaky test")


@pytest.fixture
def other_task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Update the changelog")


def logged(uow, member, task) -> list[int]:
    return [e.minutes for e in timelog.task_entries(uow(), actor=member, task_id=task.id)]


def test_starting_a_timer_shows_it_running_with_its_task(uow, member, task):
    at = click(open_page("my_tasks.py", member), f"list.timer_start.{task.id}")
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    assert toasts(at) == [f"Timer started on task #{task.id}."]
    assert f"**Timer running** on task #{task.id}:" in at.markdown[0].value
    title, elapsed = texts(at)[:2]
    assert title == "Fix the flaky test"
    # Started at the test transaction's start: a few seconds ago at most.
    assert re.fullmatch(r"0:0\d:\d\d", elapsed)
    assert at.button(key=f"list.timer_stop.{task.id}").label == "Stop timer"


def test_a_timer_stopped_and_started_again_on_the_same_task_runs(uow, member, task):
    at = click(open_page("my_tasks.py", member), f"list.timer_start.{task.id}")
    at = click(at, f"list.timer_stop.{task.id}")
    assert timers.running_timer(uow(), actor=member) is None
    at = click(at, f"list.timer_start.{task.id}")  # the card looks as it did before the first
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    assert at.button(key=f"list.timer_stop.{task.id}").label == "Stop timer"


def test_a_running_timer_is_still_there_in_a_new_browser_session(uow, member, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    at = open_page("my_tasks.py", member)
    assert banner_key(at, "stop")
    assert at.button(key=f"list.timer_stop.{task.id}").label == "Stop timer"


def test_stopping_the_timer_logs_its_minutes(uow, member, task, age_timer):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=25, seconds=10))
    at = open_page("my_tasks.py", member)
    at = click(at, banner_key(at, "stop"))
    assert logged(uow, member, task) == [25]
    assert toasts(at) == [f"Logged 25m on task #{task.id}."]
    assert timers.running_timer(uow(), actor=member) is None
    assert banner_key(at, "stop") is None


def test_the_cards_stop_button_stops_its_timer(uow, age_timer, member, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(minutes=1))
    click(open_page("my_tasks.py", member), f"list.timer_stop.{task.id}")
    assert logged(uow, member, task) == [1]


def test_a_stale_stop_click_never_starts_a_timer(uow, member, task):
    """The page shows Stop; the timer is stopped elsewhere (another tab, the CLI); the click
    on the stale Stop must not start a new timer."""
    timers.start_timer(uow(), actor=member, task_id=task.id)
    at = open_page("my_tasks.py", member)
    timers.stop_timer(uow(), actor=member)
    click(at, f"list.timer_stop.{task.id}")
    assert timers.running_timer(uow(), actor=member) is None
    assert at.button(key=f"list.timer_start.{task.id}").label == "Start timer"


def test_a_stale_start_click_never_stops_a_running_timer(uow, member, task):
    at = open_page("my_tasks.py", member)
    timers.start_timer(uow(), actor=member, task_id=task.id)
    click(at, f"list.timer_start.{task.id}")
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    assert logged(uow, member, task) == []


def test_a_stale_discard_never_throws_away_the_timer_started_since(uow, member, task, other_task):
    """The banner shows the timer on one task; in another tab it is switched to another task;
    Discard on the stale banner must not throw the new timer away."""
    timers.start_timer(uow(), actor=member, task_id=task.id)
    at = open_page("my_tasks.py", member)
    stale = banner_key(at, "discard")
    timers.start_timer(uow(), actor=member, task_id=other_task.id)  # another tab
    click(at, stale)
    assert timers.running_timer(uow(), actor=member).task_id == other_task.id
    assert at.button(key=banner_key(at, "discard")).label == "Discard timer"


def test_starting_a_timer_on_another_task_logs_the_first(uow, member, task, other_task, age_timer):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=1))
    at = click(open_page("my_tasks.py", member), f"list.timer_start.{other_task.id}")
    assert logged(uow, member, task) == [60]
    assert timers.running_timer(uow(), actor=member).task_id == other_task.id
    assert toasts(at) == [
        f"Timer started on task #{other_task.id}. "
        f"Logged 1h on task #{task.id} from the timer it replaced."
    ]


def test_discarding_the_timer_logs_nothing(uow, member, task):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    at = open_page("my_tasks.py", member)
    at = click(at, banner_key(at, "discard"))
    assert timers.running_timer(uow(), actor=member) is None
    assert logged(uow, member, task) == []
    assert toasts(at) == [f"Discarded the timer on task #{task.id}; nothing was logged."]


def test_a_timer_past_twelve_hours_asks_for_the_time_actually_spent(uow, member, task, age_timer):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=13, minutes=5))
    at = open_page("my_tasks.py", member)
    assert "has run for 13h05m, longer than 12h" in at.warning[0].value
    assert banner_key(at, "stop") is None
    at.text_input(key=correction_key(at, "duration")).input("2h30m")
    at.text_input(key=correction_key(at, "note")).input("forgot to stop it")
    click(at, correction_key(at, "submit"))
    [entry] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (entry.minutes, entry.note) == (150, "forgot to stop it")
    assert timers.running_timer(uow(), actor=member) is None


def test_a_timer_past_twelve_hours_is_not_logged_from_a_card_either(uow, member, task, age_timer):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    at = open_page("my_tasks.py", member)
    age_timer(member.id, dt.timedelta(hours=12, minutes=1))  # crosses the limit on screen
    click(at, f"list.timer_stop.{task.id}")
    assert "longer than 12h, so it was not logged" in errors(at)[0]
    assert logged(uow, member, task) == []
    at.run()
    assert at.text_input(key=correction_key(at, "duration"))


def test_an_empty_correction_is_refused(uow, member, task, age_timer):
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(hours=20))
    at = open_page("my_tasks.py", member)
    at = click(at, correction_key(at, "submit"))
    assert "longer than 12h" in errors(at)[0]
    assert timers.running_timer(uow(), actor=member) is not None
