"""The My tasks page in the real Streamlit runtime against the real database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.domain import Status
from sprintsync.services import tasks, timelog
from sprintsync.services.common import today
from sprintsync.ui import task_widgets
from tests.ui.page_runner import click, errors, open_page, texts, toasts


def create(uow, actor, title="Write the onboarding guide", **fields):
    return tasks.create_task(uow(), actor=actor, title=title, **fields)


def moved(uow, actor, task, *statuses):
    for status in statuses:
        task = tasks.move_task(uow(), actor=actor, task_id=task.id, to_status=status)
    return task


def test_a_signed_out_visitor_is_asked_to_sign_in():
    at = AppTest.from_file("../../pages/my_tasks.py", default_timeout=30).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please sign in to see this page."]


def test_a_new_user_is_told_what_to_do_first(uow, member):
    at = open_page("my_tasks.py", member)
    assert "You have no tasks yet" in at.info[0].value
    assert at.expander[0].proto.expanded


def test_creating_a_task_lists_it_and_clears_the_form(uow, member):
    at = open_page("my_tasks.py", member)
    at.text_input(key="new_task.title").input("Write the onboarding guide")
    at.text_area(key="new_task.description").input("For new engineers")
    at.text_input(key="new_task.estimate").input("1h30m")
    click(at, "new_task.create")
    [task] = tasks.list_tasks(uow(), actor=member).items
    assert (task.title, task.description, task.estimate_minutes) == (
        "Write the onboarding guide",
        "For new engineers",
        90,
    )
    assert toasts(at) == [f"Created task #{task.id}."]
    assert "Write the onboarding guide" in texts(at)
    assert at.text_input(key="new_task.title").value == ""
    assert at.text_input(key="new_task.estimate").value == ""


def test_a_task_without_a_title_is_refused_and_the_typed_text_stays(uow, member):
    at = open_page("my_tasks.py", member)
    at.text_area(key="new_task.description").input("Details I typed")
    at.text_input(key="new_task.estimate").input("2h")
    click(at, "new_task.create")
    assert errors(at) == ["Title is required."]
    assert at.text_area(key="new_task.description").value == "Details I typed"
    assert tasks.list_tasks(uow(), actor=member).total == 0


def test_a_member_cannot_choose_an_assignee(uow, member):
    at = open_page("my_tasks.py", member)
    assert not at.selectbox


def test_a_manager_assigns_a_new_task_to_a_member(uow, manager, member):
    at = open_page("my_tasks.py", manager)
    assert at.selectbox(key="new_task.assignee").value == manager.id
    at.text_input(key="new_task.title").input("Review the schema")
    at.selectbox(key="new_task.assignee").set_value(member.id)
    click(at, "new_task.create")
    [task] = tasks.list_tasks(uow(), actor=member).items
    assert (task.title, task.assignee) == ("Review the schema", "mia")


@pytest.mark.parametrize(
    ("statuses", "search", "shown"),
    [
        ([], "", {"Alpha draft", "Beta review", "Gamma release"}),
        ([Status.TODO], "", {"Alpha draft"}),
        ([Status.IN_PROGRESS, Status.DONE], "", {"Beta review", "Gamma release"}),
        ([], "review", {"Beta review"}),
        ([], "RELEASE notes", {"Gamma release"}),  # the description matches too
        ([Status.TODO], "review", set()),
    ],
)
def test_the_list_filters_by_status_and_text(uow, member, statuses, search, shown):
    create(uow, member, "Alpha draft")
    moved(uow, member, create(uow, member, "Beta review"), Status.IN_PROGRESS)
    gamma = create(uow, member, "Gamma release", description="release notes for 2.0")
    moved(uow, member, gamma, Status.IN_PROGRESS, Status.DONE)
    at = open_page("my_tasks.py", member)
    at.multiselect(key="my_tasks.status").set_value(statuses)
    at.text_input(key="my_tasks.search").input(search).run()
    assert not at.exception
    assert set(texts(at)) == shown
    if not shown:
        assert "No tasks match these filters" in at.info[0].value


def test_the_board_shows_a_column_per_status_with_cards(uow, member):
    create(uow, member, "Alpha draft", estimate="2h")
    beta = moved(uow, member, create(uow, member, "Beta review"), Status.IN_PROGRESS)
    timelog.log_time(uow(), actor=member, task_id=beta.id, duration="45m")
    at = open_page("my_tasks.py", member)
    at.segmented_control(key="my_tasks.view").set_value("Board").run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["To do (1)", "In progress (1)", "Done (0)"]
    todo, doing, done = at.columns[3:6]  # after the three of the filter row
    assert [t.value for t in todo.text] == ["Alpha draft"]
    assert [t.value for t in doing.text] == ["Beta review"]
    assert [c.value for c in done.caption] == ["Nothing here."]
    assert "0m of 2h" in todo.caption[0].value
    assert "created just now" in todo.caption[0].value
    assert "45m logged, no estimate" in doing.caption[0].value


def test_a_card_marks_time_logged_over_its_estimate(uow, member):
    task = create(uow, member, estimate="1h")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h30m")
    at = open_page("my_tasks.py", member)
    assert ":red[**1h30m of 1h, 30m over estimate**]" in at.caption[0].value


@pytest.mark.parametrize(
    ("path", "offered"),
    [
        ([], {"Start"}),
        ([Status.IN_PROGRESS], {"Done", "Back to to-do"}),
        ([Status.IN_PROGRESS, Status.DONE], {"Reopen"}),
    ],
)
def test_a_card_offers_only_the_legal_moves(uow, member, path, offered):
    moved(uow, member, create(uow, member), *path)
    at = open_page("my_tasks.py", member)
    assert {b.label for b in at.button if ".move." in (b.key or "")} == offered


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], Status.IN_PROGRESS),
        ([Status.IN_PROGRESS], Status.DONE),
        ([Status.IN_PROGRESS], Status.TODO),
        ([Status.IN_PROGRESS, Status.DONE], Status.IN_PROGRESS),
    ],
)
def test_each_legal_move_moves_the_task(uow, member, path, target):
    task = moved(uow, member, create(uow, member), *path)
    at = open_page("my_tasks.py", member)
    click(at, f"list.move.{task.id}.{target.value}")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).status == target
    assert toasts(at) == [f"Task #{task.id} moved to {target.label.lower()}."]


def _open(at: AppTest, task_id: int) -> AppTest:
    return click(at, f"list.open.{task_id}")


def test_opening_a_task_shows_its_details_until_closed(uow, member):
    task = create(uow, member, description="Line one\n**not bold**")
    at = _open(open_page("my_tasks.py", member), task.id)
    assert [s.value for s in at.subheader] == [f"Task #{task.id}"]
    assert "Line one\n**not bold**" in texts(at)
    click(at, "panel.close")
    assert not at.subheader


def _edit(at: AppTest, task_id: int, **values: str) -> None:
    for field, value in values.items():
        widget = at.text_area if field == "description" else at.text_input
        widget(key=f"edit.{task_id}.{field}").input(value)


def test_editing_a_task_saves_title_description_and_estimate(uow, member):
    task = create(uow, member, estimate="1h")
    at = _open(open_page("my_tasks.py", member), task.id)
    assert at.text_input(key=f"edit.{task.id}.estimate").value == "1h"
    _edit(at, task.id, title="Renamed", description="New words", estimate="2h30m")
    click(at, f"edit.{task.id}.save")
    saved = tasks.get_task(uow(), actor=member, task_id=task.id)
    assert (saved.title, saved.description, saved.estimate_minutes) == (
        "Renamed",
        "New words",
        150,
    )
    assert toasts(at) == [f"Saved task #{task.id}."]


def test_a_task_opened_again_shows_its_saved_fields_in_the_edit_form(uow, member):
    first = create(uow, member, "First", description="Keep these words", estimate="3h")
    second = create(uow, member, "Second")
    at = _open(open_page("my_tasks.py", member), first.id)
    at = _open(_open(at, second.id), first.id)  # Streamlit dropped the first form's values
    assert at.text_input(key=f"edit.{first.id}.title").value == "First"
    assert at.text_area(key=f"edit.{first.id}.description").value == "Keep these words"
    assert at.text_input(key=f"edit.{first.id}.estimate").value == "3h"
    at.text_input(key=f"edit.{first.id}.title").input("First, renamed")
    click(at, f"edit.{first.id}.save")
    saved = tasks.get_task(uow(), actor=member, task_id=first.id)
    assert (saved.title, saved.description, saved.estimate_minutes) == (
        "First, renamed",
        "Keep these words",
        180,
    )


def test_someone_elses_task_opens_read_only(uow, member, manager):
    task = create(uow, member, "Theirs")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="20m")
    at = open_page("my_tasks.py", manager, task=str(task.id))  # a link from Team
    assert at.subheader[0].value == f"Task #{task.id}"
    assert not at.tabs
    assert not [w for w in at.text_input if w.key.startswith(f"edit.{task.id}")]
    assert not [b for b in at.button if b.key.startswith(f"delete.{task.id}")]
    assert any("can change it or log time on it" in c.value for c in at.caption)
    assert any(m.value.startswith("**20m** on") for m in at.markdown)  # entries still shown


def test_a_stale_edit_shows_the_conflict_and_keeps_what_the_user_typed(uow, member, admin):
    task = create(uow, member, description="Original")
    at = _open(open_page("my_tasks.py", member), task.id)
    _edit(at, task.id, title="My title", description="My careful description")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="Their title"
    )
    click(at, f"edit.{task.id}.save")
    assert "changed by someone else" in errors(at)[0]
    assert at.text_input(key=f"edit.{task.id}.title").value == "My title"
    assert at.text_area(key=f"edit.{task.id}.description").value == "My careful description"
    assert "Their title" in texts(at)  # the saved version, shown for comparison
    assert tasks.get_task(uow(), actor=member, task_id=task.id).title == "Their title"

    click(at, f"edit.{task.id}.overwrite")
    saved = tasks.get_task(uow(), actor=member, task_id=task.id)
    assert (saved.title, saved.description) == ("My title", "My careful description")


def test_after_a_conflict_the_user_can_load_the_saved_version_instead(uow, member, admin):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    _edit(at, task.id, title="Mine")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="Theirs"
    )
    click(at, f"edit.{task.id}.save")
    click(at, f"edit.{task.id}.reload")
    assert at.text_input(key=f"edit.{task.id}.title").value == "Theirs"
    assert not at.warning


def test_moving_a_task_while_editing_it_is_not_a_conflict(uow, member):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    _edit(at, task.id, title="Edited after moving")
    click(at, f"panel.move.{task.id}.in_progress")
    click(at, f"edit.{task.id}.save")
    assert not at.error
    assert tasks.get_task(uow(), actor=member, task_id=task.id).title == "Edited after moving"


def test_deleting_a_task_asks_for_confirmation_first(uow, member):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"delete.{task.id}.start")
    assert "Delete this task? This cannot be undone." in [w.value for w in at.warning]
    click(at, f"delete.{task.id}.cancel")
    assert tasks.get_task(uow(), actor=member, task_id=task.id)
    click(at, f"delete.{task.id}.start")
    click(at, f"delete.{task.id}.confirm.0.0")
    assert tasks.list_tasks(uow(), actor=member).total == 0
    assert toasts(at) == [f"Deleted task #{task.id}."]
    assert not at.subheader  # the panel closed with it


def test_deleting_a_task_with_time_entries_names_them_and_deletes_them_too(uow, member):
    task = create(uow, member)
    for duration in ("1h", "30m"):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration)
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"delete.{task.id}.start")
    assert "This task has 2 time entries (1h30m)" in at.warning[0].value
    assert at.button(key=f"delete.{task.id}.confirm.2.90").label == (
        "Delete the task and its 2 time entries"
    )
    click(at, f"delete.{task.id}.confirm.2.90")
    assert tasks.list_tasks(uow(), actor=member).total == 0


def test_time_logged_after_the_warning_was_shown_is_never_deleted_unseen(uow, member):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"delete.{task.id}.start")
    assert "Delete this task? This cannot be undone." in [w.value for w in at.warning]
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h")  # another tab
    click(at, f"delete.{task.id}.confirm.0.0")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 120
    assert "This task has 1 time entry (2h)" in at.warning[0].value


def test_a_delete_left_unconfirmed_is_not_armed_when_the_task_is_opened_again(uow, member):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"delete.{task.id}.start")
    click(at, "panel.close")
    at = _open(at, task.id)
    assert not [b for b in at.button if b.key.startswith(f"delete.{task.id}.confirm")]
    assert at.button(key=f"delete.{task.id}.start")


@pytest.mark.parametrize(
    ("typed", "minutes"), [("45m", 45), ("1h30m", 90), ("1.5h", 90), ("90", 90)]
)
def test_logging_time_on_a_task(uow, member, typed, minutes):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    assert at.date_input(key=f"log.{task.id}.date").value == today()
    at.text_input(key=f"log.{task.id}.duration").input(typed)
    at.text_input(key=f"log.{task.id}.note").input("paired with **Otto**")
    click(at, f"log.{task.id}.submit")
    [entry] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (entry.minutes, entry.spent_on, entry.note) == (minutes, today(), "paired with **Otto**")
    assert "paired with **Otto**" in texts(at)
    assert at.text_input(key=f"log.{task.id}.duration").value == ""
    assert "Time entries (1)" in [t.label for t in at.tabs]


def test_a_duration_that_cannot_be_read_is_refused_and_kept(uow, member):
    task = create(uow, member)
    at = _open(open_page("my_tasks.py", member), task.id)
    at.text_input(key=f"log.{task.id}.duration").input("ninety")
    click(at, f"log.{task.id}.submit")
    assert errors(at) == ["Could not read 'ninety' as a duration; try 90, 45m, 1h30m or 1.5h."]
    assert at.text_input(key=f"log.{task.id}.duration").value == "ninety"


def test_the_owner_edits_an_entry(uow, member):
    task = create(uow, member)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", note="first")
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"entry.{entry.id}.edit")
    assert at.text_input(key=f"entry.{entry.id}.duration").value == "1h"
    at.text_input(key=f"entry.{entry.id}.duration").input("2h15m")
    at.text_input(key=f"entry.{entry.id}.note").input("corrected")
    click(at, f"entry.{entry.id}.save")
    [saved] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (saved.minutes, saved.note) == (135, "corrected")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 135


def test_the_owner_deletes_an_entry_after_confirming(uow, member):
    task = create(uow, member)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    at = _open(open_page("my_tasks.py", member), task.id)
    click(at, f"entry.{entry.id}.delete")
    assert timelog.task_entries(uow(), actor=member, task_id=task.id)
    click(at, f"entry.{entry.id}.confirm")
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []
    assert toasts(at) == ["Time entry deleted."]


def test_entries_of_other_people_cannot_be_edited_here(uow, member, admin):
    task = create(uow, member)
    theirs = timelog.log_time(uow(), actor=admin, task_id=task.id, duration="20m")
    mine = timelog.log_time(uow(), actor=member, task_id=task.id, duration="10m")
    at = _open(open_page("my_tasks.py", member), task.id)
    keys = {b.key for b in at.button}
    assert f"entry.{mine.id}.edit" in keys
    assert f"entry.{theirs.id}.edit" not in keys
    assert f"entry.{theirs.id}.delete" not in keys


@pytest.mark.parametrize("title", ["<script>alert(1)</script>", "**bold** _it_ :red[x] $x$"])
def test_user_text_is_shown_literally(uow, member, title):
    task = create(uow, member, title=title, description=title)
    at = _open(open_page("my_tasks.py", member), task.id)
    assert texts(at).count(title) >= 3  # card, panel title, panel description
    rendered_as_markdown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any(title in m for m in rendered_as_markdown)


def test_an_untouched_edit_form_follows_someone_elses_save_quietly(uow, member, admin):
    task = create(uow, member, title="Before")
    at = _open(open_page("my_tasks.py", member), task.id)
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=task.version, title="After"
    )
    at.run()
    assert at.text_input(key=f"edit.{task.id}.title").value == "After"
    assert not at.warning


def test_a_long_list_pages_through_all_tasks(uow, member):
    for i in range(task_widgets.LIST_PER_PAGE + 1):
        create(uow, member, f"Task {i:02d}")
    at = open_page("my_tasks.py", member)
    assert len(texts(at)) == task_widgets.LIST_PER_PAGE
    click(at, "list.next")
    assert texts(at) == ["Task 00"]  # the oldest, alone on page 2
    at.text_input(key="my_tasks.search").input("Task 1").run()  # a new search starts on page 1
    assert len(texts(at)) == 10


def test_a_task_with_many_entries_shows_the_newest_until_asked_for_all(uow, member):
    task = create(uow, member)
    for minutes in range(1, 13):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=minutes)
    at = _open(open_page("my_tasks.py", member), task.id)
    assert len([b for b in at.button if b.key.endswith(".edit")]) == 10
    at.toggle(key="entries.all").set_value(True).run()
    assert len([b for b in at.button if b.key.endswith(".edit")]) == 12


def test_a_task_holding_someone_elses_time_cannot_be_deleted_by_a_member(
    uow, member, other_member, admin
):
    task = create(uow, other_member, "Handed over")
    timelog.log_time(uow(), actor=other_member, task_id=task.id, duration="1h")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=1, assignee_id=member.id
    )
    at = _open(open_page("my_tasks.py", member), task.id)
    assert not [b for b in at.button if b.key.startswith(f"delete.{task.id}")]
    assert any(
        f"logged by {other_member.username}: only an admin" in c.value.replace("\\", "")
        for c in at.caption
    )
