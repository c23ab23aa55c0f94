"""The open task's Edit and Delete tabs on My tasks, in the real Streamlit runtime against the
real database: edits that never lose what was typed, deletes that confirm what they take."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from sprintsync.services import tasks, timelog
from tests.ui.page_runner import (
    click,
    create_task,
    dialogs,
    errors,
    k,
    open_page,
    open_tab,
    open_task,
    texts,
    toasts,
    warnings,
)


def _edit(at: AppTest, task_id: int, **values: str) -> None:
    for field, value in values.items():
        widget = at.text_area if field == "description" else at.text_input
        widget(key=k(at, f"edit.{task_id}.{field}")).input(value)


def test_editing_a_task_saves_title_description_and_estimate(uow, member):
    task = create_task(uow, member, estimate="1h")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Edit")
    assert at.text_input(key=k(at, f"edit.{task.id}.estimate")).value == "1h"
    _edit(at, task.id, title="Renamed", description="New words", estimate="2h30m")
    click(at, f"edit.{task.id}.submit")
    saved = tasks.get_task(uow(), actor=member, task_id=task.id)
    assert (saved.title, saved.description, saved.estimate_minutes) == (
        "Renamed",
        "New words",
        150,
    )
    assert toasts(at) == [f"Saved task #{task.id}."]


def test_a_task_opened_again_shows_its_saved_fields_in_the_edit_form(uow, member):
    first = create_task(uow, member, "First", description="Keep these words", estimate="3h")
    second = create_task(uow, member, "Second")
    at = open_task(open_page("my_tasks.py", member), first.id, tab="Edit")
    open_task(at, second.id, tab="Edit")
    open_task(at, first.id)  # Streamlit dropped the first form's values
    assert at.text_input(key=k(at, f"edit.{first.id}.title")).value == "First"
    assert at.text_area(key=k(at, f"edit.{first.id}.description")).value == "Keep these words"
    assert at.text_input(key=k(at, f"edit.{first.id}.estimate")).value == "3h"
    at.text_input(key=k(at, f"edit.{first.id}.title")).input("First, renamed")
    click(at, f"edit.{first.id}.submit")
    saved = tasks.get_task(uow(), actor=member, task_id=first.id)
    assert (saved.title, saved.description, saved.estimate_minutes) == (
        "First, renamed",
        "Keep these words",
        180,
    )


def test_someone_elses_task_opens_read_only(uow, member, manager):
    task = create_task(uow, member, "Theirs")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="20m")
    at = open_page("my_tasks.py", manager, task=str(task.id))  # a link from Team
    assert dialogs(at) == [f"Task #{task.id}"]
    assert not at.tabs
    assert not [w for w in at.text_input if w.key.startswith(f"edit.{task.id}")]
    assert not [b for b in at.button if f"delete_task:{task.id}" in (b.key or "")]
    assert any("can change it or log time on it" in c.value for c in at.caption)
    assert any(m.value.startswith("**20m** on") for m in at.markdown)  # entries still shown


def test_a_stale_edit_shows_the_conflict_and_keeps_what_the_user_typed(uow, member, admin):
    task = create_task(uow, member, description="Original")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Edit")
    _edit(at, task.id, title="My title", description="My careful description")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="Their title"
    )
    click(at, f"edit.{task.id}.submit")
    assert "changed by someone else" in errors(at)[0]
    assert at.text_input(key=k(at, f"edit.{task.id}.title")).value == "My title"
    assert at.text_area(key=k(at, f"edit.{task.id}.description")).value == "My careful description"
    assert "Their title" in texts(at)  # the saved version, shown for comparison
    assert tasks.get_task(uow(), actor=member, task_id=task.id).title == "Their title"

    click(at, f"edit.{task.id}.overwrite")
    saved = tasks.get_task(uow(), actor=member, task_id=task.id)
    assert (saved.title, saved.description) == ("My title", "My careful description")


def test_after_a_conflict_the_user_can_load_the_saved_version_instead(uow, member, admin):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Edit")
    _edit(at, task.id, title="Mine")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="Theirs"
    )
    click(at, f"edit.{task.id}.submit")
    click(at, f"edit.{task.id}.reload")
    assert at.text_input(key=k(at, f"edit.{task.id}.title")).value == "Theirs"
    assert not at.warning


def test_moving_a_task_while_editing_it_is_not_a_conflict(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Edit")
    click(at, f"panel.move.{task.id}.in_progress")  # the edit form started before the move
    _edit(at, task.id, title="Edited after moving")
    click(at, f"edit.{task.id}.submit")
    assert not at.error
    assert tasks.get_task(uow(), actor=member, task_id=task.id).title == "Edited after moving"


def test_deleting_a_task_asks_for_confirmation_first(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Delete")
    click(at, f"ask.delete_task:{task.id}")
    assert "Delete this task? This cannot be undone." in warnings(at)
    click(at, f"cancel.delete_task:{task.id}")
    assert tasks.get_task(uow(), actor=member, task_id=task.id)
    click(at, f"ask.delete_task:{task.id}")
    click(at, f"confirm.delete_task:{task.id}.0.0")
    assert tasks.list_tasks(uow(), actor=member).total == 0
    assert toasts(at) == [f"Deleted task #{task.id}."]
    assert dialogs(at) == []  # the task closed with it


def test_deleting_a_task_with_time_entries_names_them_and_deletes_them_too(uow, member):
    task = create_task(uow, member)
    for duration in ("1h", "30m"):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Delete")
    click(at, f"ask.delete_task:{task.id}")
    assert "This task has 2 time entries (1h30m)" in warnings(at)[0]
    assert at.button(key=f"confirm.delete_task:{task.id}.2.90").label == (
        "Delete the task and its 2 time entries"
    )
    click(at, f"confirm.delete_task:{task.id}.2.90")
    assert tasks.list_tasks(uow(), actor=member).total == 0


def test_time_logged_after_the_warning_was_shown_is_never_deleted_unseen(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Delete")
    click(at, f"ask.delete_task:{task.id}")
    assert "Delete this task? This cannot be undone." in warnings(at)
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h")  # another tab
    click(at, f"confirm.delete_task:{task.id}.0.0")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 120
    assert "This task has 1 time entry (2h)" in warnings(at)[0]


def test_a_delete_left_unconfirmed_is_not_armed_when_the_task_is_opened_again(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Delete")
    click(at, f"ask.delete_task:{task.id}")
    click(at, "panel.close")
    at = open_task(at, task.id, tab="Delete")
    assert not [b for b in at.button if (b.key or "").startswith("confirm.")]
    assert at.button(key=f"ask.delete_task:{task.id}")


def test_an_untouched_edit_form_follows_someone_elses_save_quietly(uow, member, admin):
    task = create_task(uow, member, title="Before")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Edit")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="After"
    )
    at.run()
    assert at.text_input(key=k(at, f"edit.{task.id}.title")).value == "After"
    assert not at.warning


def test_a_task_holding_someone_elses_time_cannot_be_deleted_by_a_member(
    uow, member, other_member, admin
):
    task = create_task(uow, other_member, "Handed over")
    timelog.log_time(uow(), actor=other_member, task_id=task.id, duration="1h")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=1, assignee_id=member.id
    )
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Delete")
    assert not [b for b in at.button if f"delete_task:{task.id}" in (b.key or "")]
    assert any(
        f"logged by {other_member.username}: only an admin" in c.value.replace("\\", "")
        for c in at.caption
    )


def test_the_open_task_draws_a_tab_once_chosen_and_keeps_what_was_typed_in_it(uow, member):
    task = create_task(uow, member, "Lazy tabs")
    at = open_task(open_page("my_tasks.py", member), task.id)
    edit_title = f"edit.{task.id}.title"
    assert at.text_input(key=k(at, f"log.{task.id}.duration")).value == ""  # Log time is open
    assert not [w for w in at.text_input if (w.key or "").startswith(edit_title)]
    assert not [b for b in at.button if (b.key or "").startswith(f"ask.delete_task:{task.id}")]
    open_tab(at, task.id, "Edit")
    assert at.text_input(key=k(at, edit_title)).value == "Lazy tabs"
    # Left, the Edit tab is still drawn: an st.form's typed text lives in the browser's
    # widgets until submitted, so they must stay (Chromium: tests/e2e/test_task_table.py).
    open_tab(at, task.id, "Log time")
    assert at.text_input(key=k(at, edit_title)).value == "Lazy tabs"
