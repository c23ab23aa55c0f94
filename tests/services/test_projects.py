"""Projects: keys, budgets, archiving, and what members and leads may see of them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from sprintsync.errors import Conflict, PermissionDenied, ValidationError
from sprintsync.models import AuditLog
from sprintsync.services import projects, tasks, timelog, timers
from sprintsync.services.views import CONSOLE


def test_a_manager_creates_a_project_with_a_budget_and_everyone_sees_it(uow, manager, member):
    created = projects.create_project(
        uow(), actor=manager, key="web", name="Website", budget="120h", description="The site"
    )
    assert (created.key, created.name, created.budget_minutes) == ("WEB", "Website", 120 * 60)
    assert created.used_minutes == 0 and created.budget_state == "ok"
    keys = [p.key for p in projects.list_projects(uow(), actor=member)]
    assert keys == ["GEN", "WEB"]  # the default project first, then by key
    assert projects.find_project(uow(), actor=member, key="Web").id == created.id


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("W", "2 to 10 letters"),
        ("WEBSITESAPP", "2 to 10 letters"),
        ("WEB1", "2 to 10 letters"),
        ("WÉB", "2 to 10 letters"),
        ("", "2 to 10 letters"),
        ("W B", "2 to 10 letters"),
    ],
)
def test_a_key_that_is_not_two_to_ten_capitals_is_refused(uow, manager, key, message):
    with pytest.raises(ValidationError, match=message):
        projects.create_project(uow(), actor=manager, key=key, name="X")


@pytest.mark.parametrize(
    ("budget", "minutes"),
    [("120h", 7200), ("120", 7200), ("37.5h", 2250), ("1,25 hours", 75), (8, 480), ("", None)],
)
def test_budgets_are_read_as_hours(uow, manager, budget, minutes):
    project = projects.create_project(uow(), actor=manager, key="BUD", name="B", budget=budget)
    assert project.budget_minutes == minutes


@pytest.mark.parametrize("budget", ["0h", "-3h", "lots", "100001h", "1h30m", "9" * 40])
def test_a_budget_that_is_not_a_number_of_hours_is_refused(uow, manager, budget):
    with pytest.raises(ValidationError, match="budget"):
        projects.create_project(uow(), actor=manager, key="BUD", name="B", budget=budget)


def test_a_key_is_unique_whatever_the_case(uow, manager):
    projects.create_project(uow(), actor=manager, key="API", name="Public API")
    with pytest.raises(Conflict, match="already a project with key API"):
        projects.create_project(uow(), actor=CONSOLE, key="api", name="Other")


def test_the_database_refuses_a_malformed_key_whoever_writes_it(db_session_factory):
    with db_session_factory() as s, pytest.raises(Exception, match="ck_projects_key"):
        s.execute(text("INSERT INTO projects (key, name) VALUES ('lower', 'x')"))


@pytest.mark.parametrize(
    ("logged", "state"),
    [("7h", "ok"), ("8h", "near"), ("10h", "near"), ("10h01m", "over")],
)
def test_budget_used_warns_from_80_percent_and_past_100(uow, manager, member, logged, state):
    project = projects.create_project(uow(), actor=manager, key="OPS", name="Ops", budget="10h")
    task = tasks.create_task(uow(), actor=member, title="Patch", project_id=project.id)
    for part in [logged] if logged != "10h01m" else ["10h", "1m"]:
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=part)
    seen = projects.get_project(uow(), actor=member, project_id=project.id)
    assert seen.budget_state == state
    assert (
        seen.open_tasks == 1
        and seen.used_minutes == tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes
    )


def test_an_archived_project_takes_no_new_tasks_time_or_timers_but_keeps_its_own(
    uow, manager, member, age_timer
):
    project = projects.create_project(uow(), actor=manager, key="OLD", name="Legacy")
    task = tasks.create_task(uow(), actor=member, title="Last job", project_id=project.id)
    other = tasks.create_task(uow(), actor=member, title="Next job", project_id=project.id)
    timers.start_timer(uow(), actor=member, task_id=task.id)
    archived = projects.archive_project(uow(), actor=manager, project_id=project.id)
    assert archived.archived
    for attempt in (
        lambda: tasks.create_task(uow(), actor=member, title="New", project_id=project.id),
        lambda: timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h"),
        lambda: timers.start_timer(uow(), actor=member, task_id=other.id),
    ):
        with pytest.raises(ValidationError, match="OLD is archived"):
            attempt()
    # A timer running when the project was archived still runs, and stops into its owner's time.
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    age_timer(member.id, dt.timedelta(minutes=20))  # long enough to log something
    assert timers.stop_timer(uow(), actor=member).task_id == task.id
    assert tasks.get_task(uow(), actor=member, task_id=task.id).project_key == "OLD"
    restored = projects.archive_project(uow(), actor=manager, project_id=project.id, archived=False)
    assert not restored.archived
    assert tasks.create_task(uow(), actor=member, title="Again", project_id=project.id)


def test_members_see_only_active_projects_and_leads_see_archived_ones_too(uow, manager, member):
    project = projects.create_project(uow(), actor=manager, key="OLD", name="Legacy")
    projects.archive_project(uow(), actor=manager, project_id=project.id)
    assert [p.key for p in projects.list_projects(uow(), actor=member)] == ["GEN"]
    with pytest.raises(PermissionDenied, match="managers and admins"):
        projects.get_project(uow(), actor=member, project_id=project.id)
    every = projects.list_projects(uow(), actor=manager, include_archived=True)
    assert [(p.key, p.archived) for p in every] == [("GEN", False), ("OLD", True)]


def test_the_default_project_cannot_be_archived(uow, admin):
    general = projects.find_project(uow(), actor=admin, key="GEN")
    assert general.is_default
    with pytest.raises(ValidationError, match="default project"):
        projects.archive_project(uow(), actor=admin, project_id=general.id)


def test_an_edit_from_a_stale_form_is_refused_and_changes_nothing(uow, manager, admin):
    project = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    projects.update_project(
        uow(), actor=admin, project_id=project.id, expected_version=1, name="Web site"
    )
    with pytest.raises(Conflict, match="changed by someone else"):
        projects.update_project(
            uow(), actor=manager, project_id=project.id, expected_version=1, budget="50h"
        )
    now = projects.get_project(uow(), actor=manager, project_id=project.id)
    assert (now.name, now.budget_minutes, now.version) == ("Web site", None, 2)


def test_every_change_to_a_project_is_audited(uow, manager, db_session_factory):
    project = projects.create_project(uow(), actor=manager, key="AUD", name="Audited")
    projects.update_project(
        uow(), actor=manager, project_id=project.id, expected_version=1, budget="5h"
    )
    projects.archive_project(uow(), actor=manager, project_id=project.id)
    projects.archive_project(uow(), actor=CONSOLE, project_id=project.id, archived=False)
    with db_session_factory() as s:
        rows = s.execute(
            select(AuditLog.action, AuditLog.actor_id, AuditLog.details)
            .where(AuditLog.target == "project:AUD")
            .order_by(AuditLog.id)
        ).all()
    assert [(a, who) for a, who, _ in rows] == [
        ("project.create", manager.id),
        ("project.update", manager.id),
        ("project.archive", manager.id),
        ("project.restore", None),  # the console operator
    ]
    assert rows[1][2] == {"fields": ["budget_minutes"]}
