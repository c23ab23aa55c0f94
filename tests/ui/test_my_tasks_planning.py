"""My tasks' planning fields in the real Streamlit runtime against the real database: the
project, sprint, tag, priority and due filters, the board of a sprint, what cards show, and
the New task and Edit forms' project, sprint, priority, due date and tags."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sprintsync.clock import today
from sprintsync.domain import Status
from sprintsync.planning import Priority
from sprintsync.services import projects, sprints, tasks
from sprintsync.ui.parts.my_tasks_filters import MORE_BOX
from tests.ui.apptest_helpers import values
from tests.ui.page_runner import (
    click,
    create_task,
    errors,
    k,
    open_page,
    open_task,
    toasts,
    with_more_filters_open,
    with_new_task_open,
)


def day(offset: int) -> dt.date:
    return today() + dt.timedelta(days=offset)


@pytest.fixture
def plan(uow, manager, member):
    """WEB with a sprint now and a next one, OPS with a sprint now; three of the member's
    tasks spread over them."""
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    ops = projects.create_project(uow(), actor=manager, key="OPS", name="Operations")
    now = sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="Now", starts_on=day(-3), ends_on=day(4)
    )
    later = sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="Later", starts_on=day(5), ends_on=day(12)
    )
    ops_now = sprints.create_sprint(
        uow(), actor=manager, project_id=ops.id, name="Ops week", starts_on=day(0), ends_on=day(6)
    )
    made = {
        "search": create_task(
            uow, member, "Search box", project_id=web.id, sprint_id=now.id,
            priority="urgent", due=day(-1), tags=["frontend", "ux"],
        ),
        "results": create_task(
            uow, member, "Results page", project_id=web.id, sprint_id=later.id,
            priority="low", due=day(0) if day(0).weekday() < 6 else day(-1), tags=["frontend"],
        ),
        "patch": create_task(uow, member, "Patch servers", project_id=ops.id, priority="high"),
    }  # fmt: skip
    return {"web": web, "ops": ops, "now": now, "later": later, "ops_now": ops_now, **made}


def titles(at) -> list[str]:
    """The titles of the task cards shown, in order."""
    return [t.value for t in at.text if t.value in {"Search box", "Results page", "Patch servers"}]


@pytest.mark.parametrize(
    ("widget", "choice", "shown"),
    [
        ("my_tasks.project", lambda p: [p["web"].id], ["Results page", "Search box"]),
        ("my_tasks.sprint", lambda p: p["now"].id, ["Search box"]),
        ("my_tasks.tag", lambda p: "frontend", ["Results page", "Search box"]),
        ("my_tasks.priority", lambda p: [Priority.HIGH, Priority.URGENT],
         ["Patch servers", "Search box"]),
        ("my_tasks.due", lambda p: "overdue", ["Search box"]),
    ],
)  # fmt: skip
def test_each_filter_shows_only_the_tasks_it_matches(plan, member, widget, choice, shown):
    at = open_page("my_tasks.py", member)
    assert titles(at) == ["Patch servers", "Results page", "Search box"]  # newest first
    at.session_state[widget] = choice(plan)
    at.run()
    assert not at.exception
    assert sorted(titles(at)) == shown


def test_more_filters_are_drawn_only_while_open_and_apply_folded(plan, member):
    at = open_page("my_tasks.py", member)
    assert "my_tasks.project" not in [w.key for w in at.multiselect]  # folded: not drawn
    with_more_filters_open(at).multiselect(key="my_tasks.project").set_value([plan["web"].id])
    at.run()
    assert sorted(titles(at)) == ["Results page", "Search box"]
    at.session_state[MORE_BOX] = False  # folded, as a click on it does
    at.run()
    assert not at.exception
    assert "my_tasks.project" not in [w.key for w in at.multiselect]
    assert sorted(titles(at)) == ["Results page", "Search box"]  # still filtered
    assert "Filtered by project WEB." in values(at.caption)
    with_more_filters_open(at)
    assert at.multiselect(key="my_tasks.project").value == [plan["web"].id]


def test_a_kept_filter_value_that_is_no_choice_is_let_go(plan, member):
    # Folded, the filters are read from the session: a value no widget offers (a session
    # from an older version, say) must filter nothing rather than fail the page.
    at = open_page("my_tasks.py", member)
    at.session_state["my_tasks.priority"] = ["very high", Priority.HIGH]
    at.session_state["my_tasks.due"] = "someday"
    at.run()
    assert not at.exception
    assert titles(at) == ["Patch servers"]  # the high one; the rest is ignored


def test_sorting_by_priority_and_by_due_date(plan, member):
    at = open_page("my_tasks.py", member)
    at.selectbox(key="my_tasks.order").set_value("priority").run()
    assert titles(at) == ["Search box", "Patch servers", "Results page"]
    at.selectbox(key="my_tasks.order").set_value("due").run()
    assert titles(at) == ["Search box", "Results page", "Patch servers"]  # none due last


def test_active_filters_are_named_and_cleared_with_one_button(plan, member):
    at = open_page("my_tasks.py", member)
    at.session_state["my_tasks.project"] = [plan["web"].id]
    at.session_state["my_tasks.tag"] = "ux"
    at.run()
    assert "Filtered by project WEB; tag ux." in values(at.caption)
    click(at, "my_tasks.clear")
    assert not any(c.startswith("Filtered by") for c in values(at.caption))
    assert len(titles(at)) == 3
    with_more_filters_open(at)  # and drawn again, they show none chosen
    assert at.multiselect(key="my_tasks.project").value == []
    assert at.selectbox(key="my_tasks.tag").value is None


def test_an_empty_result_names_the_filters_that_hide_everything(plan, member):
    at = open_page("my_tasks.py", member)
    at.session_state["my_tasks.project"] = [plan["ops"].id]
    at.session_state["my_tasks.due"] = "overdue"
    at.run()
    assert titles(at) == []
    assert values(at.info) == [
        "No tasks match these filters: project OPS; overdue. Clear one of them, or all "
        "with **Clear filters**."
    ]


def test_filters_survive_a_run_that_does_not_draw_them(plan, member):
    # Streamlit forgets the value of a widget a run does not draw (the board has no status
    # filter; another page has none of them): each choice is kept beside it and put back.
    at = open_page("my_tasks.py", member)
    at.session_state["my_tasks.priority"] = [Priority.LOW, Priority.HIGH]
    at.session_state["my_tasks.status"] = [Status.TODO]
    at.run()
    at.segmented_control(key="my_tasks.view").set_value("Board").run()
    assert at.session_state["my_tasks.kept.my_tasks.status"] == [Status.TODO]
    at.segmented_control(key="my_tasks.view").set_value("List").run()
    assert not at.exception
    assert at.multiselect(key="my_tasks.status").value == [Status.TODO]
    assert titles(at) == ["Patch servers", "Results page"]


def test_the_board_of_a_sprint_shows_its_tasks_by_status(uow, plan, member):
    tasks.move_task(uow(), actor=member, task_id=plan["search"].id, to_status="in_progress")
    create_task(uow, member, "Deploy", project_id=plan["web"].id, sprint_id=plan["now"].id)
    at = open_page("my_tasks.py", member)
    at.segmented_control(key="my_tasks.view").set_value("Board").run()
    with_more_filters_open(at).selectbox(key="my_tasks.sprint").set_value(plan["now"].id).run()
    assert not at.exception
    assert values(at.subheader)[0].startswith("Board of WEB · Now (")
    assert [h.value for h in at.subheader[1:]] == ["To do (1)", "In progress (1)", "Done (0)"]
    todo, doing, _ = at.columns[-3:]
    assert [t.value for t in todo.text] == ["Deploy"]
    assert next(t.value for t in doing.text) == "Search box"


def test_a_card_shows_project_sprint_priority_due_date_and_tags(plan, member):
    at = open_page("my_tasks.py", member)
    # Under each title, one caption: project line, then the figures, then the tags.
    cards = [c.value.split("  \n") for c in at.caption if c.value.count("  \n")]
    due = f"{day(-1):%a %d %b %Y}"
    [urgent] = [c for c in cards if c[0].startswith("WEB · Now")]
    assert urgent[0] == f"WEB · Now · :red-badge[Urgent] · :red[**due {due}, overdue**]"
    assert urgent[2] == "Tags: frontend, ux"
    [high] = [c for c in cards if c[0].startswith("OPS")]
    assert high[0] == "OPS · :orange-badge[High]"  # no sprint, no due date


def test_a_new_task_is_filed_with_its_project_sprint_priority_due_date_and_tags(uow, plan, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Dark mode")
    at.selectbox(key=k(at, "new_task.project")).set_value(plan["web"].id)
    at.selectbox(key=k(at, "new_task.sprint")).set_value(plan["later"].id)
    at.selectbox(key=k(at, "new_task.priority")).set_value(Priority.HIGH)
    at.date_input(key=k(at, "new_task.due")).set_value(day(9))
    at.multiselect(key=k(at, "new_task.tags")).set_value(["ux", "Theming"])
    click(at, "new_task.submit")
    [made] = [t for t in tasks.list_tasks(uow(), actor=member).items if t.title == "Dark mode"]
    assert (made.project_key, made.sprint_name, made.priority, made.due_date, made.tags) == (
        "WEB", "Later", Priority.HIGH, day(9), ("Theming", "ux"),
    )  # fmt: skip
    assert toasts(at) == [f"Created task #{made.id}."]
    # The next task starts in the project just used, at the other fields' defaults.
    assert at.selectbox(key=k(at, "new_task.project")).value == plan["web"].id
    assert at.selectbox(key=k(at, "new_task.sprint")).value is None
    assert at.multiselect(key=k(at, "new_task.tags")).value == []


def test_a_new_task_starts_in_the_project_of_the_newest_task_or_general(uow, member, plan):
    at = with_new_task_open(open_page("my_tasks.py", member))
    assert at.selectbox(key=k(at, "new_task.project")).value == plan["ops"].id  # Patch servers


def test_a_first_task_starts_in_the_default_project(uow, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    [general] = [p for p in projects.list_projects(uow(), actor=member) if p.is_default]
    assert at.selectbox(key=k(at, "new_task.project")).value == general.id


def test_a_sprint_of_another_project_is_refused_and_the_form_keeps_what_was_typed(
    uow, plan, member
):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Rotate keys")
    at.selectbox(key=k(at, "new_task.project")).set_value(plan["ops"].id)
    at.selectbox(key=k(at, "new_task.sprint")).set_value(plan["now"].id)
    at.multiselect(key=k(at, "new_task.tags")).set_value(["security"])
    click(at, "new_task.submit")
    assert errors(at) == [
        "Sprint 'Now' belongs to another project; a task's sprint must be one of its own "
        "project's (OPS)."
    ]
    assert at.text_input(key=k(at, "new_task.title")).value == "Rotate keys"
    assert at.multiselect(key=k(at, "new_task.tags")).value == ["security"]
    assert "Rotate keys" not in [t.title for t in tasks.list_tasks(uow(), actor=member).items]


def test_a_project_archived_while_the_form_is_open_is_refused(uow, plan, manager, member):
    at = with_new_task_open(open_page("my_tasks.py", member))
    at.text_input(key=k(at, "new_task.title")).input("Late idea")
    at.selectbox(key=k(at, "new_task.project")).set_value(plan["ops"].id)
    ops = projects.get_project(uow(), actor=manager, project_id=plan["ops"].id)
    projects.archive_project(uow(), actor=manager, project_id=ops.id)
    click(at, "new_task.submit")
    assert errors(at) == ["Project OPS is archived: nobody files tasks or logs time in it."]
    assert at.text_input(key=k(at, "new_task.title")).value == "Late idea"


def test_a_member_moves_their_task_to_the_next_sprint_in_the_edit_tab(uow, plan, member):
    at = open_page("my_tasks.py", member)
    open_task(at, plan["search"].id, tab="Edit")
    edit = f"edit.{plan['search'].id}"
    assert at.selectbox(key=k(at, f"{edit}.sprint")).value == plan["now"].id
    at.selectbox(key=k(at, f"{edit}.sprint")).set_value(plan["later"].id)
    at.selectbox(key=k(at, f"{edit}.priority")).set_value(Priority.NORMAL)
    at.multiselect(key=k(at, f"{edit}.tags")).set_value(["ux"])
    click(at, f"{edit}.submit")
    saved = tasks.get_task(uow(), actor=member, task_id=plan["search"].id)
    assert (saved.sprint_name, saved.priority, saved.tags) == ("Later", Priority.NORMAL, ("ux",))
    assert toasts(at) == [f"Saved task #{saved.id}."]


def test_a_sprint_closed_while_editing_is_refused_and_the_edit_is_kept(
    uow, plan, member, db_session_factory
):
    at = open_page("my_tasks.py", member)
    open_task(at, plan["patch"].id, tab="Edit")
    edit = f"edit.{plan['patch'].id}"
    at.text_input(key=k(at, f"{edit}.title")).input("Patch every server")
    at.selectbox(key=k(at, f"{edit}.sprint")).set_value(plan["ops_now"].id)
    with db_session_factory() as s:  # the sprint ends before the click lands
        s.execute(
            text("UPDATE sprints SET starts_on = :a, ends_on = :b WHERE id = :id"),
            {"a": day(-8), "b": day(-1), "id": plan["ops_now"].id},
        )
        s.commit()
    click(at, f"{edit}.submit")
    assert errors(at)[0].startswith("Sprint 'Ops week' is closed (it ended on")
    assert at.text_input(key=k(at, f"{edit}.title")).value == "Patch every server"
    saved = tasks.get_task(uow(), actor=member, task_id=plan["patch"].id)
    assert (saved.title, saved.sprint_id) == ("Patch servers", None)
