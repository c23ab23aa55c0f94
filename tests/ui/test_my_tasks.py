"""The My tasks page in the real Streamlit runtime against the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from sprintsync.clock import today
from sprintsync.domain import Status, format_duration
from sprintsync.services import tasks, timelog
from sprintsync.ui.parts import my_tasks
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
    with_new_task_open,
)


def moved(uow, actor, task, *statuses):
    for status in statuses:
        task = tasks.move_task(uow(), actor=actor, task_id=task.id, to_status=status)
    return task


def test_a_signed_out_visitor_is_asked_to_sign_in():
    at = AppTest.from_file("../../app_pages/my_tasks.py", default_timeout=30).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please sign in to see this page."]


def test_a_new_user_is_told_what_to_do_first(uow, member):
    at = open_page("my_tasks.py", member)
    assert "Open **New task** above" in at.info[0].value
    # Folded for everyone at first: ten widgets a person who rarely creates tasks never sees.
    assert not at.expander[0].proto.expanded
    assert titles_drawn(at) == 0
    assert titles_drawn(with_new_task_open(at)) == 1


def titles_drawn(at: AppTest) -> int:
    return sum(box.label == "Title" for box in at.text_input)


def test_the_new_task_form_is_drawn_from_the_first_time_its_box_is_opened(uow, member):
    create_task(uow, member)  # someone with tasks: the box starts folded
    at = open_page("my_tasks.py", member)
    assert not at.expander[0].proto.expanded
    assert titles_drawn(at) == 0  # never opened: nothing typed to keep, ten widgets skipped
    at = with_new_task_open(at)
    assert titles_drawn(at) == 1
    at.session_state[my_tasks.NEW_TASK_BOX] = False  # folded again
    at.run()
    assert titles_drawn(at) == 1  # still drawn: what was typed in it stays


def test_creating_a_task_lists_it_and_clears_the_form(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Write the onboarding guide")
    at.text_area(key=k(at, "new_task.description")).input("For new engineers")
    at.text_input(key=k(at, "new_task.estimate")).input("1h30m")
    click(at, "new_task.submit")
    [task] = tasks.list_tasks(uow(), actor=member).items
    assert (task.title, task.description, task.estimate_minutes) == (
        "Write the onboarding guide",
        "For new engineers",
        90,
    )
    assert toasts(at) == [f"Created task #{task.id}."]
    assert "Write the onboarding guide" in texts(at)
    # A new generation of the form: fresh, empty widgets (the browser drops the old text)
    # and a submit button a second click on its way cannot press.
    assert k(at, "new_task.title") == "new_task.title.1"
    assert at.text_input(key=k(at, "new_task.title")).value == ""
    assert at.text_input(key=k(at, "new_task.estimate")).value == ""


def test_after_a_success_the_create_button_is_a_new_one(uow, member):
    # A second click already on its way names the first generation's button, which is no
    # longer drawn, so it does nothing (the browser suite clicks twice for real).
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Only once")
    click(at, "new_task.submit")
    drawn = {b.key for b in at.button}
    assert "new_task.submit.0" not in drawn
    assert "new_task.submit.1" in drawn
    click(at, "new_task.submit")  # the new, empty form: refused, nothing created
    assert errors(at) == ["Title is required."]
    assert [t.title for t in tasks.list_tasks(uow(), actor=member).items] == ["Only once"]


def test_a_title_over_the_limit_is_refused_with_its_length_and_kept(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    pasted = "x" * 250
    at.text_input(key=k(at, "new_task.title")).input(pasted)
    click(at, "new_task.submit")
    assert errors(at) == ["Title must be at most 200 characters (got 250)."]
    assert at.text_input(key=k(at, "new_task.title")).value == pasted
    assert at.text_input(key=k(at, "new_task.title")).max_chars in (None, 0)


def test_a_task_without_a_title_is_refused_and_the_typed_text_stays(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_area(key=k(at, "new_task.description")).input("Details I typed")
    at.text_input(key=k(at, "new_task.estimate")).input("2h")
    click(at, "new_task.submit")
    assert errors(at) == ["Title is required."]
    assert at.text_area(key=k(at, "new_task.description")).value == "Details I typed"
    assert tasks.list_tasks(uow(), actor=member).total == 0


def test_a_member_cannot_choose_an_assignee(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    assert at.text_input(key=k(at, "new_task.title"))  # the form is drawn...
    assert "Assignee" not in [box.label for box in at.selectbox]  # ...without the choice


def test_a_manager_assigns_a_new_task_to_a_member(uow, manager, member):
    at = with_new_task_open(open_page("my_tasks.py", manager))
    assert at.selectbox(key=k(at, "new_task.assignee")).value == manager.id
    at.text_input(key=k(at, "new_task.title")).input("Review the schema")
    at.selectbox(key=k(at, "new_task.assignee")).set_value(member.id)
    click(at, "new_task.submit")
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
    create_task(uow, member, "Alpha draft")
    moved(uow, member, create_task(uow, member, "Beta review"), Status.IN_PROGRESS)
    gamma = create_task(uow, member, "Gamma release", description="release notes for 2.0")
    moved(uow, member, gamma, Status.IN_PROGRESS, Status.DONE)
    at = open_page("my_tasks.py", member)
    at.multiselect(key="my_tasks.status").set_value(statuses)
    at.text_input(key="my_tasks.search").input(search).run()
    assert not at.exception
    assert set(texts(at)) == shown
    if not shown:
        assert "No tasks match these filters" in at.info[0].value


def test_the_board_shows_a_column_per_status_with_cards(uow, member):
    create_task(uow, member, "Alpha draft", estimate="2h")
    beta = moved(uow, member, create_task(uow, member, "Beta review"), Status.IN_PROGRESS)
    timelog.log_time(uow(), actor=member, task_id=beta.id, duration="45m")
    at = open_page("my_tasks.py", member)
    at.segmented_control(key="my_tasks.view").set_value("Board").run()
    assert not at.exception
    assert [h.value for h in at.subheader] == ["To do (1)", "In progress (1)", "Done (0)"]
    todo, doing, done = at.columns[-3:]  # the board comes last, after the forms and filters
    assert [t.value for t in todo.text] == ["Alpha draft"]
    assert [t.value for t in doing.text] == ["Beta review"]
    assert [c.value for c in done.caption] == ["Nothing here."]
    assert "0m of 2h" in todo.caption[0].value
    assert "created just now" in todo.caption[0].value
    assert "45m logged, no estimate" in doing.caption[0].value


def test_a_card_marks_time_logged_over_its_estimate(uow, member):
    task = create_task(uow, member, estimate="1h")
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
    moved(uow, member, create_task(uow, member), *path)
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
    task = moved(uow, member, create_task(uow, member), *path)
    at = open_page("my_tasks.py", member)
    click(at, f"list.move.{task.id}.{target.value}")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).status == target
    assert toasts(at) == [f"Task #{task.id} moved to {target.label.lower()}."]


def test_opening_a_task_shows_its_details_until_closed(uow, member):
    task = create_task(uow, member, description="Line one\n**not bold**")
    at = open_task(open_page("my_tasks.py", member), task.id)
    assert dialogs(at) == [f"Task #{task.id}"]
    assert "Line one\n**not bold**" in texts(at)
    click(at, "panel.close")
    assert dialogs(at) == []


@pytest.mark.parametrize(
    ("typed", "minutes"), [("45m", 45), ("1h30m", 90), ("1.5h", 90), ("90", 90)]
)
def test_logging_time_on_a_task(uow, member, typed, minutes):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id)
    assert at.date_input(key=k(at, f"log.{task.id}.date")).value == today()
    at.text_input(key=k(at, f"log.{task.id}.duration")).input(typed)
    at.text_input(key=k(at, f"log.{task.id}.note")).input("paired with **Otto**")
    click(at, f"log.{task.id}.submit")
    [entry] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (entry.minutes, entry.spent_on, entry.note) == (minutes, today(), "paired with **Otto**")
    assert at.text_input(key=k(at, f"log.{task.id}.duration")).value == ""
    assert at.text_input(key=k(at, f"log.{task.id}.note")).value == ""
    assert toasts(at) == [
        f"Logged {format_duration(minutes)} on task #{task.id} for {today():%a %d %b}."
    ]
    open_tab(at, task.id, "Time entries")
    assert "paired with **Otto**" in texts(at)  # shown as typed


def test_a_duration_that_cannot_be_read_is_refused_and_kept(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id)
    at.text_input(key=k(at, f"log.{task.id}.duration")).input("ninety")
    click(at, f"log.{task.id}.submit")
    assert errors(at) == ["Could not read 'ninety' as a duration; try 90, 45m, 1h30m or 1.5h."]
    assert at.text_input(key=k(at, f"log.{task.id}.duration")).value == "ninety"


def test_the_owner_edits_an_entry(uow, member):
    task = create_task(uow, member)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", note="first")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    click(at, f"entry.{entry.id}.edit")
    assert at.text_input(key=k(at, f"entry.{entry.id}.duration")).value == "1h"
    at.text_input(key=k(at, f"entry.{entry.id}.duration")).input("2h15m")
    at.text_input(key=k(at, f"entry.{entry.id}.note")).input("corrected")
    click(at, f"entry.{entry.id}.submit")
    [saved] = timelog.task_entries(uow(), actor=member, task_id=task.id)
    assert (saved.minutes, saved.note) == (135, "corrected")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 135


def test_the_owner_deletes_an_entry_after_confirming(uow, member):
    task = create_task(uow, member)
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    click(at, f"ask.delete_entry:{entry.id}")
    assert timelog.task_entries(uow(), actor=member, task_id=task.id)
    click(at, f"confirm.delete_entry:{entry.id}.60")
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []
    assert toasts(at) == ["Time entry deleted."]


def test_entries_of_other_people_cannot_be_edited_here(uow, member, admin):
    task = create_task(uow, member)
    theirs = timelog.log_time(uow(), actor=admin, task_id=task.id, duration="20m")
    mine = timelog.log_time(uow(), actor=member, task_id=task.id, duration="10m")
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    keys = {b.key for b in at.button}
    assert f"entry.{mine.id}.edit" in keys
    assert f"entry.{theirs.id}.edit" not in keys
    assert f"ask.delete_entry:{theirs.id}" not in keys
    assert f"ask.delete_entry:{mine.id}" in keys


@pytest.mark.parametrize("title", ["<script>alert(1)</script>", "**bold** _it_ :red[x] $x$"])
def test_user_text_is_shown_literally(uow, member, title):
    task = create_task(uow, member, title=title, description=title)
    at = open_task(open_page("my_tasks.py", member), task.id)
    assert texts(at).count(title) >= 3  # card, panel title, panel description
    rendered_as_markdown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any(title in m for m in rendered_as_markdown)


def test_a_long_list_pages_through_all_tasks(uow, member):
    for i in range(my_tasks.LIST_PER_PAGE + 1):
        create_task(uow, member, f"Task {i:02d}")
    at = open_page("my_tasks.py", member)
    assert len(texts(at)) == my_tasks.LIST_PER_PAGE
    click(at, "list.next")
    assert texts(at) == ["Task 00"]  # the oldest, alone on page 2
    at.text_input(key="my_tasks.search").input("Task 1").run()  # a new search starts on page 1
    assert texts(at) == ["Task 10"]  # (on page 2 it would show nothing)


def test_when_the_last_page_empties_the_list_shows_the_page_before(uow, member):
    made = [create_task(uow, member, f"Task {i:02d}") for i in range(my_tasks.LIST_PER_PAGE + 1)]
    at = open_page("my_tasks.py", member)
    click(at, "list.next")
    assert texts(at) == ["Task 00"]
    tasks.delete_task(uow(), actor=member, task_id=made[0].id)  # e.g. from another tab
    at.run()
    assert len(texts(at)) == my_tasks.LIST_PER_PAGE  # page 1 again, not a blank page


def test_the_status_filter_survives_a_look_at_the_board(uow, member):
    create_task(uow, member, "Open one")
    at = open_page("my_tasks.py", member)
    at.multiselect(key="my_tasks.status").set_value([Status.TODO]).run()
    at.segmented_control(key="my_tasks.view").set_value("Board").run()
    at.segmented_control(key="my_tasks.view").set_value("List").run()
    assert at.multiselect(key="my_tasks.status").value == [Status.TODO]


def test_a_task_with_many_entries_shows_the_newest_until_asked_for_all(uow, member):
    task = create_task(uow, member)
    for minutes in range(1, 13):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=minutes)
    at = open_task(open_page("my_tasks.py", member), task.id, tab="Time entries")
    assert len([b for b in at.button if (b.key or "").endswith(".edit")]) == 10
    at.toggle(key="entries.all").set_value(True).run()
    assert len([b for b in at.button if (b.key or "").endswith(".edit")]) == 12


def test_the_log_time_date_follows_today_in_a_tab_left_open_overnight(uow, member):
    task = create_task(uow, member)
    at = open_task(open_page("my_tasks.py", member), task.id)
    date_key, default_key = f"log.{task.id}.date.0", f"log.{task.id}.date_default.0"
    yesterday = today() - dt.timedelta(days=1)
    at.session_state[date_key] = at.session_state[default_key] = yesterday  # drawn yesterday
    at.run()
    assert at.date_input(key=date_key).value == today()
    chosen = today() - dt.timedelta(days=3)
    at.date_input(key=date_key).set_value(chosen)  # a date the user picked stays
    click(at, f"log.{task.id}.submit")  # refused: no duration
    assert errors(at) == ["Enter a duration such as 45m or 1h30m."]
    at.run()
    assert at.date_input(key=date_key).value == chosen
