"""Sprints: dates, states that follow them, no overlaps, and what an edit may change."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from sprintsync.errors import Conflict, ValidationError
from sprintsync.planning import SprintState
from sprintsync.services import projects, sprints, tasks

TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


@pytest.fixture
def web(uow, manager):
    return projects.create_project(uow(), actor=manager, key="WEB", name="Website")


def add(uow, actor, project, name, start, end, **more):
    return sprints.create_sprint(
        uow(), actor=actor, project_id=project.id, name=name, starts_on=start, ends_on=end, **more
    )


@pytest.mark.parametrize(
    ("start", "end", "state"),
    [
        (1, 14, SprintState.PLANNED),
        (0, 13, SprintState.ACTIVE),
        (-13, 0, SprintState.ACTIVE),
        (-5, 5, SprintState.ACTIVE),
    ],
)
def test_a_sprints_state_follows_its_dates(uow, manager, web, start, end, state):
    sprint = add(uow, manager, web, "S", day(start), day(end), goal="Ship search")
    assert sprint.state == state and sprint.goal == "Ship search"


def test_a_sprint_whose_end_has_passed_is_closed(uow, manager, web, db_session_factory):
    sprint = add(uow, manager, web, "S", day(-10), day(3))
    with db_session_factory() as s:  # time passes
        s.execute(text("UPDATE sprints SET ends_on = :d"), {"d": day(-1)})
        s.commit()
    assert sprints.get_sprint(uow(), actor=manager, sprint_id=sprint.id).state == "closed"


def test_sprints_are_listed_earliest_first_and_found_by_name_in_any_case(uow, manager, web, member):
    add(uow, manager, web, "Sprint 2", day(15), day(28))
    add(uow, manager, web, "Sprint 1", day(1), day(14))
    assert [s.name for s in sprints.list_sprints(uow(), actor=member, project_id=web.id)] == [
        "Sprint 1",
        "Sprint 2",
    ]
    found = sprints.find_sprint(uow(), actor=member, project_id=web.id, name="SPRINT 2")
    assert found.starts_on == day(15)


@pytest.mark.parametrize(
    ("start", "end"),
    [(5, 20), (-3, 3), (14, 14), (0, 30)],
)
def test_overlapping_sprints_of_one_project_are_refused_naming_the_clash(
    uow, manager, web, start, end
):
    add(uow, manager, web, "Sprint 1", day(0), day(14))
    with pytest.raises(Conflict, match="overlap sprint 'Sprint 1'"):
        add(uow, manager, web, "Sprint 2", day(start), day(end))


def test_sprints_of_different_projects_may_share_dates(uow, manager, web):
    api = projects.create_project(uow(), actor=manager, key="API", name="API")
    add(uow, manager, web, "Sprint 1", day(0), day(14))
    assert add(uow, manager, api, "Sprint 1", day(0), day(14)).project_key == "API"


def test_the_database_refuses_overlapping_sprints_even_without_the_service(
    uow, manager, web, db_session_factory
):
    add(uow, manager, web, "Sprint 1", day(0), day(14))
    with db_session_factory() as s, pytest.raises(IntegrityError, match="ex_sprints_overlap"):
        s.execute(
            text(
                "INSERT INTO sprints (project_id, name, starts_on, ends_on) "
                "VALUES (:p, 'Sneaky', :a, :b)"
            ),
            {"p": web.id, "a": day(14), "b": day(20)},
        )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (3, 2, "cannot end before it starts"),
        (0, 92, "at most 92 days"),
        (-20, -1, "cannot end in the past"),
        ("someday", 3, "is not a date"),
    ],
)
def test_impossible_sprint_dates_are_refused(uow, manager, web, start, end, message):
    start = day(start) if isinstance(start, int) else start
    with pytest.raises(ValidationError, match=message):
        add(uow, manager, web, "S", start, day(end))


def test_a_sprint_name_is_unique_within_its_project(uow, manager, web):
    add(uow, manager, web, "Sprint 1", day(0), day(6))
    with pytest.raises(Conflict, match="already has a sprint with that name"):
        add(uow, manager, web, "sprint 1", day(7), day(13))


def test_an_archived_project_gets_no_new_sprints(uow, manager, web):
    projects.archive_project(uow(), actor=manager, project_id=web.id)
    with pytest.raises(ValidationError, match="WEB is archived"):
        add(uow, manager, web, "Sprint 1", day(0), day(6))


def test_a_planned_sprint_may_be_moved_but_not_into_the_past(uow, manager, web):
    sprint = add(uow, manager, web, "S", day(3), day(16))
    moved = sprints.update_sprint(
        uow(), actor=manager, sprint_id=sprint.id, expected_version=1, starts_on=day(0)
    )
    assert (moved.starts_on, moved.state, moved.version) == (day(0), "active", 2)
    other = add(uow, manager, web, "T", day(20), day(30))
    with pytest.raises(ValidationError, match="start in the past"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=other.id, expected_version=1, starts_on=day(-1)
        )


def test_an_active_sprint_keeps_its_start_and_may_end_today(uow, manager, web):
    sprint = add(uow, manager, web, "S", day(-3), day(10))
    with pytest.raises(ValidationError, match="has started"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=sprint.id, expected_version=1, starts_on=day(-2)
        )
    ended = sprints.update_sprint(
        uow(), actor=manager, sprint_id=sprint.id, expected_version=1, ends_on=day(0)
    )
    assert ended.ends_on == day(0) and ended.state == "active"
    with pytest.raises(ValidationError, match="end in the past"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=sprint.id, expected_version=2, ends_on=day(-1)
        )


def test_a_closed_sprint_keeps_its_dates_but_may_be_renamed(uow, manager, web, db_session_factory):
    sprint = add(uow, manager, web, "S", day(-10), day(3))
    with db_session_factory() as s:
        s.execute(text("UPDATE sprints SET ends_on = :d"), {"d": day(-1)})
        s.commit()
    with pytest.raises(ValidationError, match="is closed"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=sprint.id, expected_version=1, ends_on=day(5)
        )
    renamed = sprints.update_sprint(
        uow(), actor=manager, sprint_id=sprint.id, expected_version=1, name="Search", goal="Done"
    )
    assert (renamed.name, renamed.goal, renamed.ends_on) == ("Search", "Done", day(-1))


def test_moving_a_sprint_onto_another_is_refused(uow, manager, web):
    add(uow, manager, web, "Sprint 1", day(0), day(6))
    second = add(uow, manager, web, "Sprint 2", day(7), day(13))
    with pytest.raises(Conflict, match="overlap sprint 'Sprint 1'"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=second.id, expected_version=1, starts_on=day(6)
        )


def test_a_stale_sprint_edit_is_refused(uow, manager, admin, web):
    sprint = add(uow, manager, web, "S", day(0), day(6))
    sprints.update_sprint(uow(), actor=admin, sprint_id=sprint.id, expected_version=1, goal="A")
    with pytest.raises(Conflict, match="changed by someone else"):
        sprints.update_sprint(
            uow(), actor=manager, sprint_id=sprint.id, expected_version=1, goal="B"
        )


def test_a_task_cannot_sit_in_another_projects_sprint_even_written_directly(
    uow, manager, member, web, db_session_factory
):
    sprint = add(uow, manager, web, "S", day(0), day(6))
    task = tasks.create_task(uow(), actor=member, title="In General")
    with db_session_factory() as s, pytest.raises(IntegrityError, match="fk_tasks_sprint_id"):
        s.execute(
            text("UPDATE tasks SET sprint_id = :s WHERE id = :t"), {"s": sprint.id, "t": task.id}
        )
