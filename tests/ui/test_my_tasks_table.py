"""My tasks' table, its default view, in the real Streamlit runtime against the real database.
A row's Open button and its selection are clicks on Streamlit's canvas:
tests/e2e/test_task_flow.py and test_task_table.py do them in Chromium."""

from __future__ import annotations

import datetime as dt

from sprintsync.clock import today
from sprintsync.domain import Status
from sprintsync.planning import Priority
from sprintsync.services import tasks, timelog
from sprintsync.ui.parts import my_tasks_table
from tests.ui.page_runner import MY_TASKS_VIEW, create_task, page_test, texts


def open_table(actor):
    """My tasks as a new visitor sees it: no view chosen yet."""
    at = page_test("app_pages/my_tasks.py", actor)
    del at.session_state[MY_TASKS_VIEW]
    at.run()
    assert not at.exception
    return at


def rows(at) -> list[dict]:
    return at.dataframe[0].value.to_dict("records")


def test_the_table_is_the_default_view_a_row_per_task_newest_first(uow, member):
    for title in ("Oldest", "**bold** _it_ <b>x</b>", "Newest"):
        create_task(uow, member, title)
    at = open_table(member)
    assert at.segmented_control(key=MY_TASKS_VIEW).value == "Table"
    assert [r["Title"] for r in rows(at)] == ["Newest", "**bold** _it_ <b>x</b>", "Oldest"]
    assert list(rows(at)[0]) == [
        "Open", "#", "Title", "Status", "Project", "Priority", "Due", "Logged", "Tags", "Created",
    ]  # fmt: skip
    assert texts(at) == []  # no cards: their titles are st.text
    assert not [b for b in at.button if ".open." in (b.key or "")]
    assert {r["Open"] for r in rows(at)} == {"Open"}  # each row's button (a ButtonColumn)
    assert "Open a task (or select its row)" in " ".join(c.value for c in at.caption)


def test_a_row_shows_status_project_priority_due_logged_and_tags(uow, member):
    task = create_task(
        uow, member, "Ship it", estimate="1h", priority=Priority.HIGH,
        due=today() - dt.timedelta(days=1), tags=["release", "Q4"],
    )  # fmt: skip
    timelog.log_time(uow(), actor=member, task_id=task.id, duration=90, spent_on=today())
    (row,) = rows(open_table(member))
    assert row["#"] == task.id
    assert row["Status"] == "To do"
    assert row["Project"] == "GEN"
    assert row["Priority"] == "High"
    assert row["Due"] == f"{today() - dt.timedelta(days=1):%d %b %Y}, overdue"
    assert row["Logged"] == "1h30m of 1h, over"
    assert row["Tags"] == "Q4, release"
    assert row["Created"] == f"{today():%d %b %Y}"


def test_the_table_pages_twenty_five_at_a_time(uow, member):
    per_page = my_tasks_table.TABLE_PER_PAGE
    for i in range(per_page + 2):
        create_task(uow, member, f"Task {i:02d}")
    at = open_table(member)
    assert len(rows(at)) == per_page
    assert f"Page 1 of 2 ({per_page + 2} tasks)" in [c.value for c in at.caption]
    at.button(key="list.next").click().run()
    assert [r["Title"] for r in rows(at)] == ["Task 01", "Task 00"]


def test_the_status_filter_and_search_narrow_the_table(uow, member):
    create_task(uow, member, "Write the release notes")
    started = create_task(uow, member, "Review the release")
    tasks.move_task(uow(), actor=member, task_id=started.id, to_status=Status.IN_PROGRESS)
    at = open_table(member)
    at.multiselect(key="my_tasks.status").set_value([Status.IN_PROGRESS]).run()
    assert [r["Title"] for r in rows(at)] == ["Review the release"]
    at.multiselect(key="my_tasks.status").set_value([]).run()
    at.text_input(key="my_tasks.search").input("notes").run()
    assert [r["Title"] for r in rows(at)] == ["Write the release notes"]


def test_the_view_is_kept_in_the_url_for_a_reload_or_a_link(uow, member):
    create_task(uow, member, "Write the release notes")
    at = open_table(member)
    assert "view" not in at.query_params  # the default needs no word in the URL
    at.segmented_control(key=MY_TASKS_VIEW).set_value("List").run()
    assert at.query_params["view"] == "list"
    assert texts(at) == ["Write the release notes"]  # a card
    linked = page_test("app_pages/my_tasks.py", member)  # a new session, as after a reload
    del linked.session_state[MY_TASKS_VIEW]
    linked.query_params["view"] = "board"
    linked.run()
    assert linked.segmented_control(key=MY_TASKS_VIEW).value == "Board"
    linked.segmented_control(key=MY_TASKS_VIEW).set_value("Table").run()
    assert "view" not in linked.query_params
    for nonsense in ("", "TABLE<script>", "x" * 5000):
        odd = page_test("app_pages/my_tasks.py", member)
        del odd.session_state[MY_TASKS_VIEW]
        odd.query_params["view"] = nonsense
        odd.run()
        assert not odd.exception
        assert odd.segmented_control(key=MY_TASKS_VIEW).value == "Table"
