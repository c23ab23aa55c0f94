"""What task forms and filters offer, read in one transaction: the same lists as the
services that list projects, sprints and tags, without their tallies."""

from __future__ import annotations

import datetime as dt

from sprintsync.services import choices, projects, sprints, tags, tasks

TODAY = dt.date.today()


def test_the_choices_are_the_listings_of_active_projects_their_sprints_and_every_tag(
    uow, manager, member
):
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    old = projects.create_project(uow(), actor=manager, key="OLD", name="Legacy")
    sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="S1", starts_on=TODAY, ends_on=TODAY
    )
    sprints.create_sprint(
        uow(), actor=manager, project_id=old.id, name="Gone", starts_on=TODAY, ends_on=TODAY
    )
    projects.archive_project(uow(), actor=manager, project_id=old.id)
    tasks.create_task(uow(), actor=member, title="A", project_id=web.id, tags=["ops", "Beta"])
    tasks.create_task(uow(), actor=member, title="B", tags=["alpha"])

    found = choices.planning_choices(uow(), actor=member)

    listed = projects.list_projects(uow(), actor=member)
    assert [(p.id, p.key, p.name, p.is_default) for p in found.projects] == [
        (p.id, p.key, p.name, p.is_default) for p in listed
    ]
    assert "OLD" not in [p.key for p in found.projects]
    assert found.projects[0].is_default  # the default project first, then by key
    assert list(found.sprints) == sprints.active_projects_sprints(uow(), actor=member)
    assert [s.name for s in found.sprints] == ["S1"]  # the archived project's are left out
    assert list(found.tags) == [t.name for t in tags.list_tags(uow(), actor=member)]
    assert list(found.tags) == ["alpha", "Beta", "ops"]  # by name, any case
