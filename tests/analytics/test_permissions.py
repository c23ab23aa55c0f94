"""Who may ask what: members about themselves only, managers and admins about anyone."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.errors import AuthError, PermissionDenied
from sprintsync.services import analytics, users

RANGE = {"start": dt.date(2025, 3, 3), "end": dt.date(2025, 3, 9)}
TODAY = dt.date(2025, 3, 5)

# Each call, given an actor and whom to ask about.
ABOUT_USERS = {
    "minutes_by": lambda uow, actor, ids: analytics.minutes_by(
        uow, actor=actor, user_ids=ids, **RANGE
    ),
    "headline": lambda uow, actor, ids: analytics.headline(uow, actor=actor, user_ids=ids, **RANGE),
    "time_per_user": lambda uow, actor, ids: analytics.time_per_user(
        uow, actor=actor, user_ids=ids, **RANGE
    ),
    "team_per_day": lambda uow, actor, ids: analytics.team_per_day(
        uow, actor=actor, user_ids=ids, **RANGE
    ),
    "top_users": lambda uow, actor, ids: analytics.top_users(
        uow, actor=actor, user_ids=ids, week_of=TODAY
    ),
    "time_in_status": lambda uow, actor, ids: analytics.time_in_status(
        uow, actor=actor, user_ids=ids, **RANGE
    ),
    "tasks_by_status": lambda uow, actor, ids: analytics.tasks_by_status(
        uow, actor=actor, user_ids=ids, **RANGE
    ),
    "week_by_day": lambda uow, actor, ids: analytics.week_by_day(
        uow, actor=actor, user_id=ids[0] if ids else None, today=TODAY
    ),
    "week_by_task": lambda uow, actor, ids: analytics.week_by_task(
        uow, actor=actor, user_id=ids[0] if ids else None, today=TODAY
    ),
    "my_week": lambda uow, actor, ids: analytics.my_week(
        uow, actor=actor, user_id=ids[0] if ids else None, today=TODAY
    ),
}


@pytest.fixture
def logged(work, member, other_member):
    work.time(member, work.task(member), ("2025-03-04", 60))
    finished = [("todo", "2025-03-03T09:00"), ("in_progress", "2025-03-04T09:00")]
    finished.append(("done", "2025-03-05T09:00"))
    work.time(other_member, work.task(other_member, finished), ("2025-03-04", 240))


# What each answer says about otto, who logged 240 minutes on a task he finished (mia's 60
# minutes on an open task must not be in it): (what to read off the answer, what it must be).
ABOUT_OTTO = {
    "minutes_by": (lambda a: a.to_dict("records"), [{"user": "otto", "minutes": 240}]),
    "headline": (lambda a: (a.total_minutes, a.active_people, a.tasks_done), (240, 1, 1)),
    "time_per_user": (lambda a: (set(a["user"]), int(a["minutes"].sum())), ({"otto"}, 240)),
    "team_per_day": (lambda a: int(a["minutes"].sum()), 240),
    "top_users": (lambda a: a.to_dict("records"), [{"user": "otto", "minutes": 240}]),
    "time_in_status": (lambda a: int(a["tasks"].max()), 1),
    "tasks_by_status": (
        lambda a: a.to_dict("records"),
        [{"user": "otto", "todo": 0, "in_progress": 0, "done": 1}],
    ),
    "week_by_day": (lambda a: (int(a["this_week"].sum()), int(a["last_week"].sum())), (240, 0)),
    "week_by_task": (lambda a: (int(a["this_week"].sum()), len(a)), (240, 1)),
    "my_week": (lambda a: (int(a.days["this_week"].sum()), len(a.tasks)), (240, 1)),
}


@pytest.mark.parametrize("ask", ABOUT_USERS.values(), ids=ABOUT_USERS.keys())
def test_a_member_asking_about_someone_else_is_refused(uow, logged, member, other_member, ask):
    with pytest.raises(PermissionDenied):
        ask(uow(), member, [other_member.id])
    with pytest.raises(PermissionDenied):
        ask(uow(), member, [other_member.id, member.id])


@pytest.mark.parametrize("name", sorted(ABOUT_USERS))
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_may_ask_about_anyone(uow, logged, request, other_member, name, role):
    answer = ABOUT_USERS[name](uow(), request.getfixturevalue(role), [other_member.id])
    read, expected = ABOUT_OTTO[name]
    assert read(answer) == expected


def test_a_member_asking_about_nobody_in_particular_sees_only_their_own_time(uow, logged, member):
    assert analytics.minutes_by(uow(), actor=member, **RANGE).to_dict("records") == [
        {"user": "mia", "minutes": 60}
    ]
    assert analytics.headline(uow(), actor=member, **RANGE).total_minutes == 60
    assert analytics.team_per_day(uow(), actor=member, **RANGE)["minutes"].sum() == 60


def test_the_team_dashboard_is_refused_to_members_even_about_themselves(uow, logged, member):
    with pytest.raises(PermissionDenied):
        analytics.dashboard(uow(), actor=member, **RANGE)
    with pytest.raises(PermissionDenied):
        analytics.dashboard(uow(), actor=member, user_ids=[member.id], **RANGE)


def test_a_manager_demoted_to_member_loses_the_team_view_at_once(uow, logged, manager, admin):
    analytics.dashboard(uow(), actor=manager, **RANGE)
    users.set_role(uow(), actor=admin, username=manager.username, role="member")
    with pytest.raises(PermissionDenied):
        analytics.dashboard(uow(), actor=manager, **RANGE)


def test_a_deactivated_user_gets_no_figures(uow, logged, manager, admin):
    users.set_active(uow(), actor=admin, username=manager.username, active=False)
    with pytest.raises(AuthError):
        analytics.headline(uow(), actor=manager, **RANGE)
