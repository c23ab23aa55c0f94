"""The open task on My tasks is in the URL too (?task=<id>): a link or a hard refresh opens it,
and opening, switching and closing keep the session and the URL in step."""

from __future__ import annotations

import pytest

from sprintsync.services import tasks
from tests.ui.page_runner import click, dialogs, errors, open_page, open_tab, texts


def create(uow, actor, title):
    return tasks.create_task(uow(), actor=actor, title=title)


def open_task_heading(at) -> list[str]:
    return dialogs(at)


def test_a_link_with_a_task_opens_it_in_a_new_session(uow, member):
    create(uow, member, "Not this one")
    task = create(uow, member, "Write the onboarding guide")
    at = open_page("my_tasks.py", member, task=str(task.id))

    assert open_task_heading(at) == [f"Task #{task.id}"]
    assert at.session_state["selected_task_id"] == task.id
    at.run()  # and it stays open
    assert not at.exception
    assert open_task_heading(at) == [f"Task #{task.id}"]


def test_open_close_and_switch_keep_the_url_in_step_with_the_open_task(uow, member):
    first = create(uow, member, "First")
    second = create(uow, member, "Second")
    at = click(open_page("my_tasks.py", member), f"list.open.{first.id}")
    assert at.query_params["task"] == str(first.id)

    click(at, f"list.open.{second.id}")
    assert open_task_heading(at) == [f"Task #{second.id}"]
    assert at.query_params["task"] == str(second.id)

    click(at, "panel.close")
    assert not dialogs(at)
    assert "task" not in at.query_params
    assert "selected_task_id" not in at.session_state


def test_deleting_the_open_task_takes_it_out_of_the_url(uow, member):
    task = create(uow, member, "Short-lived")
    at = open_tab(open_page("my_tasks.py", member, task=str(task.id)), task.id, "Delete")
    click(at, f"ask.delete_task:{task.id}")
    click(at, f"confirm.delete_task:{task.id}.0.0")
    assert tasks.list_tasks(uow(), actor=member).total == 0
    assert "task" not in at.query_params
    assert not dialogs(at)


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("theirs", "You can only see your own tasks."),
        ("2147483647", "Task #2147483647 does not exist."),
        ("abc", None),
        ("0", None),
        ("-3", None),
        ("99999999999999999999", None),  # not an id tasks.id could hold
    ],
)
def test_a_link_to_a_task_that_cannot_be_opened_says_why_once(
    uow, member, other_member, link, message
):
    theirs = create(uow, other_member, "Someone else's secret")
    create(uow, member, "Mine")
    if link == "theirs":
        link = str(theirs.id)
    at = open_page("my_tasks.py", member, task=link)

    assert errors(at) == ([message] if message else [])
    assert not dialogs(at)
    assert "Someone else's secret" not in texts(at)
    assert "Mine" in texts(at)  # the rest of the page works
    assert "task" not in at.query_params
    at.run()
    assert not at.error  # said once, not on every rerun
    assert not at.exception
