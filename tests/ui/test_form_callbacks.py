"""Actions done in their buttons' callbacks (ui.actions.submit_button, action_button): one run
shows the result, and what a run stopped after saving left undone is finished by the next.
The double clicks themselves are clicked for real in tests/e2e (test_tasks, test_time,
test_projects)."""

from __future__ import annotations

from sprintsync.domain import Status
from sprintsync.services import tasks
from tests.ui.page_runner import click, errors, k, open_page, toasts, with_new_task_open


def test_a_form_saved_by_a_run_stopped_before_it_redrew_is_emptied_by_the_next_run(member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).set_value("Saved, then stopped")
    # What a run stopped straight after the service call leaves: the ledger's mark, and the
    # form still at the generation it saved.
    at.session_state["_form_ledger"] = {
        "_form_submitting.new_task.0": ("done", "Created task #41.", None)
    }
    at.run()
    assert not at.exception
    assert k(at, "new_task.title") == "new_task.title.1"
    assert at.text_input(key=k(at, "new_task.title")).value == ""
    assert toasts(at) == ["Created task #41."]


def test_a_click_on_a_saved_generation_saves_nothing(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Only once")
    at.session_state["_form_ledger"] = {"_form_submitting.new_task.0": ("done", "Saved.", None)}
    click(at, "new_task.submit")
    assert tasks.list_tasks(uow(), actor=member).items == []
    assert toasts(at) == ["Saved."]  # shown again: this run is the one left on screen


def test_a_refused_create_keeps_the_text_and_says_why_under_the_form(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Estimated oddly")
    at.text_input(key=k(at, "new_task.estimate")).input("soon")
    click(at, "new_task.submit")
    assert [e for e in errors(at) if "soon" in e]
    assert at.text_input(key=k(at, "new_task.title")).value == "Estimated oddly"
    assert tasks.list_tasks(uow(), actor=member).items == []
    at.run()  # said once: the next run does not say it again
    assert not [e for e in errors(at) if "soon" in e]


def test_a_move_is_shown_by_the_one_run_after_its_click(uow, member):
    task = tasks.create_task(uow(), actor=member, title="Move me")
    at = open_page("my_tasks.py", member)
    at.button(key=f"list.move.{task.id}.{Status.IN_PROGRESS.value}").click().run()
    assert not at.exception
    assert tasks.get_task(uow(), actor=member, task_id=task.id).status == Status.IN_PROGRESS
    assert toasts(at) == [f"Task #{task.id} moved to in progress."]
    assert f"list.move.{task.id}.{Status.DONE.value}" in {b.key for b in at.button}
