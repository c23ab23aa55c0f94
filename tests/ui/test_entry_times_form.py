"""Logging and editing an entry with a start and end time on a task's panel (My tasks)."""

from __future__ import annotations

from sprintsync.services import timelog
from tests.ui.page_runner import click, create_task, errors, k, open_page, open_task


def test_an_entry_is_logged_with_times_and_the_duration_follows(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    at.text_input(key=k(at, f"log.{task.id}.start")).input("09:00")
    at.text_input(key=k(at, f"log.{task.id}.end")).input("10:45")
    click(at, f"log.{task.id}.submit")
    [entry] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (entry.minutes, entry.span) == (105, "09:00–10:45")
    assert any("(09:00–10:45)" in m.value for m in at.markdown)
    assert at.text_input(key=k(at, f"log.{task.id}.start")).value == ""


def test_an_overlap_is_refused_and_what_was_typed_stays(uow, member):
    task = create_task(uow, member)
    timelog.log_time(uow(), actor=member, task_id=task.id, start="09:00", end="10:00")
    at = open_task(open_page("my_tasks.py", member), task.id)
    at.text_input(key=k(at, f"log.{task.id}.start")).input("09:30")
    at.text_input(key=k(at, f"log.{task.id}.end")).input("11:00")
    click(at, f"log.{task.id}.submit")
    assert any("overlaps 09:00–10:00" in e for e in errors(at))
    assert at.text_input(key=k(at, f"log.{task.id}.start")).value == "09:30"


def test_editing_the_end_time_sets_the_duration(uow, member):
    task = create_task(uow, member)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, start="09:00", end="10:00")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    click(at, f"entry.{entry.id}.edit")
    assert at.text_input(key=k(at, f"entry.{entry.id}.end")).value == "10:00"
    at.text_input(key=k(at, f"entry.{entry.id}.end")).input("11:30")
    click(at, f"entry.{entry.id}.submit")
    [saved] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (saved.minutes, saved.span) == (150, "09:00–11:30")
