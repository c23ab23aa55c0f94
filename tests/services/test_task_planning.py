"""Tasks' planning fields: project, sprint, priority, due date and tags, on create, edit, move,
and in the lists' filters and sorts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sprintsync.domain import monday_of
from sprintsync.errors import Conflict, NotFound, ValidationError
from sprintsync.planning import Priority
from sprintsync.services import projects, sprints, tags, tasks

TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def plan(uow, manager):
    """WEB with an active sprint and a planned one; API with one of its own."""
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    api = projects.create_project(uow(), actor=manager, key="API", name="API")

    def sprint(project, name, start, end):
        return sprints.create_sprint(
            uow(), actor=manager, project_id=project.id, name=name, starts_on=start, ends_on=end
        )

    return {
        "web": web,
        "api": api,
        "now": sprint(web, "Now", day(-3), day(10)),
        "next": sprint(web, "Next", day(11), day(24)),
        "api_now": sprint(api, "API now", day(-3), day(10)),
    }


def test_a_task_is_filed_with_every_planning_field(uow, member, plan):
    task = tasks.create_task(
        uow(),
        actor=member,
        title="Search box",
        project_id=plan["web"].id,
        sprint_id=plan["now"].id,
        priority="HIGH",
        due=day(4).isoformat(),
        tags=["frontend", " UX ", "Frontend"],
    )
    assert (task.project_key, task.sprint_name, task.priority) == ("WEB", "Now", Priority.HIGH)
    assert task.due_date == day(4) and task.tags == ("frontend", "UX")
    assert task.as_json() | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "title": "Search box",
        "description": "",
        "status": "todo",
        "assignee": "mia",
        "estimate_minutes": None,
        "total_minutes": 0,
        "created_at": "",
        "updated_at": "",
        "project": "WEB",
        "sprint": "Now",
        "priority": "high",
        "due": day(4).isoformat(),
        "tags": ["frontend", "UX"],
    }


def test_a_task_filed_without_a_project_goes_to_the_default_one_with_normal_priority(uow, member):
    task = tasks.create_task(uow(), actor=member, title="Loose end")
    assert (task.project_key, task.sprint_id, task.priority, task.tags) == (
        "GEN",
        None,
        Priority.NORMAL,
        (),
    )


def test_a_tag_keeps_the_spelling_it_was_first_given(uow, member):
    tasks.create_task(uow(), actor=member, title="One", tags=["Backend"])
    second = tasks.create_task(uow(), actor=member, title="Two", tags=["BACKEND", "db"])
    assert second.tags == ("Backend", "db")
    assert [(t.name, t.tasks) for t in tags.list_tags(uow(), actor=member)] == [
        ("Backend", 2),
        ("db", 1),
    ]


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"priority": "someday"}, ValidationError, "Unknown priority"),
        ({"due": "tomorrow"}, ValidationError, "is not a date"),
        ({"due": "1999-12-31"}, ValidationError, "between 2000-01-01"),
        ({"tags": ["a,b"]}, ValidationError, "cannot contain a comma"),
        ({"tags": ["x" * 41]}, ValidationError, "at most 40"),
        ({"tags": [f"t{i}" for i in range(21)]}, ValidationError, "at most 20 tags"),
        ({"tags": ["bell\x07"]}, ValidationError, "single line"),
        ({"project_id": 999_999}, NotFound, "project #999999"),
        ({"sprint_id": 999_999}, NotFound, "Sprint #999999"),
    ],
)
def test_bad_planning_input_is_refused_and_files_nothing(uow, member, fields, error, message):
    before = tasks.list_tasks(uow(), actor=member).total
    with pytest.raises(error, match=message):
        tasks.create_task(uow(), actor=member, title="T", **fields)
    assert tasks.list_tasks(uow(), actor=member).total == before


def test_a_sprint_of_another_project_is_refused(uow, member, plan):
    with pytest.raises(ValidationError, match="belongs to another project"):
        tasks.create_task(
            uow(), actor=member, title="T", project_id=plan["web"].id, sprint_id=plan["api_now"].id
        )


def test_nothing_moves_into_a_closed_sprint_but_tasks_may_leave_it(
    uow, member, plan, db_session_factory
):
    task = tasks.create_task(
        uow(), actor=member, title="T", project_id=plan["web"].id, sprint_id=plan["now"].id
    )
    other = tasks.create_task(uow(), actor=member, title="U", project_id=plan["web"].id)
    with db_session_factory() as s:  # the sprint ends
        s.execute(
            text("UPDATE sprints SET starts_on = :a, ends_on = :b WHERE id = :i"),
            {"a": day(-20), "b": day(-1), "i": plan["now"].id},
        )
        s.commit()
    with pytest.raises(ValidationError, match="'Now' is closed"):
        tasks.move_to_sprint(uow(), actor=member, task_id=other.id, sprint_id=plan["now"].id)
    carried = tasks.move_to_sprint(uow(), actor=member, task_id=task.id, sprint_id=plan["next"].id)
    assert carried.sprint_name == "Next" and carried.version == 2


def test_moving_a_task_to_another_project_takes_it_out_of_its_sprint(uow, member, plan):
    task = tasks.create_task(
        uow(), actor=member, title="T", project_id=plan["web"].id, sprint_id=plan["now"].id
    )
    moved = tasks.update_task(
        uow(), actor=member, task_id=task.id, expected_version=1, project_id=plan["api"].id
    )
    assert (moved.project_key, moved.sprint_id) == ("API", None)
    replanned = tasks.update_task(
        uow(),
        actor=member,
        task_id=task.id,
        expected_version=2,
        project_id=plan["web"].id,
        sprint_id=plan["next"].id,
    )
    assert (replanned.project_key, replanned.sprint_name) == ("WEB", "Next")


def test_an_edit_sets_priority_due_date_and_replaces_the_tags(uow, member):
    task = tasks.create_task(uow(), actor=member, title="T", tags=["a", "b"])
    edited = tasks.update_task(
        uow(),
        actor=member,
        task_id=task.id,
        expected_version=1,
        priority="urgent",
        due=day(1),
        tags="b, c",
    )
    assert (edited.priority, edited.due_date, edited.tags, edited.version) == (
        Priority.URGENT,
        day(1),
        ("b", "c"),
        2,
    )
    same = tasks.update_task(
        uow(), actor=member, task_id=task.id, expected_version=2, tags=["C", "B"], due=day(1)
    )
    assert same.version == 2  # nothing changed, nothing saved
    cleared = tasks.update_task(
        uow(), actor=member, task_id=task.id, expected_version=2, tags=[], due=None
    )
    assert (cleared.tags, cleared.due_date) == ((), None)


def test_a_stale_edit_of_tags_is_refused(uow, member):
    task = tasks.create_task(uow(), actor=member, title="T")
    tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, priority="low")
    with pytest.raises(Conflict):
        tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, tags=["x"])
    assert tasks.get_task(uow(), actor=member, task_id=task.id).tags == ()


def test_a_task_moved_into_an_archived_project_is_refused(uow, manager, member, plan):
    task = tasks.create_task(uow(), actor=member, title="T")
    projects.archive_project(uow(), actor=manager, project_id=plan["api"].id)
    with pytest.raises(ValidationError, match="API is archived"):
        tasks.update_task(
            uow(), actor=member, task_id=task.id, expected_version=1, project_id=plan["api"].id
        )


@pytest.fixture
def listed(uow, member, plan):
    """Four of mia's tasks with different planning fields, by title."""
    made = {
        "urgent-web-now": dict(
            priority="urgent", project_id=plan["web"].id, sprint_id=plan["now"].id, tags=["ux"]
        ),
        "low-overdue": dict(priority="low", due=day(-2), tags=["ux", "bug"]),
        "high-this-week": dict(priority="high", due=monday_of(TODAY) + dt.timedelta(days=6)),
        "normal-web-next": dict(project_id=plan["web"].id, sprint_id=plan["next"].id, due=day(30)),
    }
    for title, fields in made.items():
        tasks.create_task(uow(), actor=member, title=title, **fields)
    return plan


@pytest.mark.parametrize(
    ("filters", "titles"),
    [
        ({"project_id": "web"}, {"urgent-web-now", "normal-web-next"}),
        ({"sprint_id": "now"}, {"urgent-web-now"}),
        ({"tag": "UX"}, {"urgent-web-now", "low-overdue"}),
        ({"tag": "bug", "priority": "low"}, {"low-overdue"}),
        ({"priority": ["urgent", "high"]}, {"urgent-web-now", "high-this-week"}),
        ({"due": "overdue"}, {"low-overdue"}),
        ({"due": "this_week"}, {"high-this-week", *(["low-overdue"] * (TODAY.weekday() >= 2))}),
    ],
)
def test_task_lists_filter_by_project_sprint_tag_priority_and_due_date(
    uow, member, listed, filters, titles
):
    ids = ("project_id", "sprint_id")
    wanted = {k: (listed[v].id if k in ids else v) for k, v in filters.items()}
    found = tasks.all_tasks(uow(), actor=member, **wanted)
    assert {t.title for t in found} == titles


def test_a_done_task_is_not_overdue(uow, member):
    task = tasks.create_task(uow(), actor=member, title="Old", due=day(-5))
    tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")
    assert tasks.all_tasks(uow(), actor=member, due="overdue") == []
    assert not tasks.get_task(uow(), actor=member, task_id=task.id).overdue_on(TODAY)


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("priority", ["urgent-web-now", "high-this-week", "normal-web-next", "low-overdue"]),
        ("due", ["low-overdue", "high-this-week", "normal-web-next", "urgent-web-now"]),
        ("changed", ["normal-web-next", "high-this-week", "low-overdue", "urgent-web-now"]),
    ],
)
def test_task_lists_sort_by_priority_due_date_or_recent_change(uow, member, listed, sort, titles):
    page = tasks.list_tasks(uow(), actor=member, sort=sort)
    assert [t.title for t in page.items] == titles


def test_an_unknown_sort_or_due_filter_is_refused(uow, member):
    with pytest.raises(ValidationError, match="Unknown order; choose one of"):
        tasks.list_tasks(uow(), actor=member, sort="random")
    with pytest.raises(ValidationError, match="overdue or this_week"):
        tasks.list_tasks(uow(), actor=member, due="soon")
