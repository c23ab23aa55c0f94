"""The permission matrix's rows: every public service function, how to call it in a world,
and who may (tests/hardening/test_permission_matrix.py runs them; docs/SECURITY.md counts them)."""

from __future__ import annotations

import datetime as dt

from sprintsync.services import (
    ai,
    analytics,
    audit,
    auth,
    choices,
    entry_report,
    preferences,
    projects,
    reminders,
    sprints,
    stats,
    tags,
    tasks,
    timelog,
    timers,
    timesheet_grid,
    timesheets,
    tokens,
    users,
    weeks,
)
from sprintsync.services.ai import outcomes
from sprintsync.services.analytics import scope
from sprintsync.services.timesheet_views import GridCell
from tests.conftest import PASSWORD
from tests.hardening.permission_kit import (
    ADMINS,
    EVERYONE,
    MEMBERS,
    NOBODY,
    READERS,
    STARTED,
    TODAY,
    WEEK_AGO,
    Op,
    _analytics,
    _approved,
    _archived,
    _days,
    _decide,
    _only,
    _owners_token,
    _personal,
    _reminded,
    _timer_running,
    _work,
)

OPERATIONS: dict[str, Op] = {
    # timesheet weeks: your own; leads decide others' (never their own); admins reopen
    "weeks.week_status": Op(
        lambda u, w: weeks.week_status(u(), actor=w.actor, week_start=TODAY, user_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "weeks.team_weeks": _only(
        READERS, lambda u, w: weeks.team_weeks(u(), actor=w.actor, week_start=TODAY)
    ),
    "weeks.submit_week": _only(
        MEMBERS, lambda u, w: weeks.submit_week(u(), actor=w.actor, week_start=TODAY)
    ),
    "weeks.approve_week": _decide(weeks.approve_week),
    "weeks.return_week": _decide(weeks.return_week, comment="Fix Tuesday"),
    "weeks.reopen_week": Op(
        lambda u, w: weeks.reopen_week(
            u(), actor=w.actor, user_id=w.owner.id, week_start=TODAY, reason="Wrong task"
        ),
        ADMINS,
        ADMINS,
        _approved,
    ),
    "weeks.set_expected_hours": _only(
        ADMINS,
        lambda u, w: weeks.set_expected_hours(
            u(), actor=w.actor, username="bystander", hours="20h"
        ),
    ),
    "timesheet_grid.save_grid": Op(
        lambda u, w: timesheet_grid.save_grid(
            u(),
            actor=w.actor,
            week_start=TODAY,
            cells=[GridCell(w.task_id, TODAY.weekday(), "2h")],
        ),
        MEMBERS,
        ADMINS,
    ),
    "reminders.remind_week": _only(
        ADMINS, lambda u, w: reminders.remind_week(u(), actor=w.actor, week_start=TODAY)
    ),
    "reminders.my_reminders": _only(
        MEMBERS, lambda u, w: reminders.my_reminders(u(), actor=w.actor)
    ),
    "reminders.dismiss_reminder": Op(
        lambda u, w: reminders.dismiss_reminder(
            u(), actor=w.actor, reminder_id=w.extra["reminder"]
        ),
        MEMBERS,
        NOBODY,
        _reminded,
    ),
    "entry_report.time_entries_report": _only(
        READERS,
        lambda u, w: entry_report.time_entries_report(
            u(), actor=w.actor, **_days(user_ids=[w.owner.id], tags=["ops"])
        ),
    ),
    # projects, sprints, tags: everyone reads the active ones; leads change them
    "projects.list_projects": _only(
        MEMBERS, lambda u, w: projects.list_projects(u(), actor=w.actor)
    ),
    "projects.list_projects(archived)": _only(
        READERS, lambda u, w: projects.list_projects(u(), actor=w.actor, include_archived=True)
    ),
    "projects.get_project": _only(
        MEMBERS, lambda u, w: projects.get_project(u(), actor=w.actor, project_id=w.project_id)
    ),
    "projects.get_project(archived)": _only(
        READERS,
        lambda u, w: projects.get_project(u(), actor=w.actor, project_id=w.project_id),
        _archived,
    ),
    "projects.find_project": _only(
        MEMBERS, lambda u, w: projects.find_project(u(), actor=w.actor, key="PLAN")
    ),
    "projects.create_project": _only(
        READERS, lambda u, w: projects.create_project(u(), actor=w.actor, key="NEW", name="New")
    ),
    "projects.update_project": _only(
        READERS,
        lambda u, w: projects.update_project(
            u(), actor=w.actor, project_id=w.project_id, expected_version=1, budget="10h"
        ),
    ),
    "projects.archive_project": _only(
        READERS,
        lambda u, w: projects.archive_project(u(), actor=w.actor, project_id=w.project_id),
    ),
    "sprints.list_sprints": _only(
        MEMBERS, lambda u, w: sprints.list_sprints(u(), actor=w.actor, project_id=w.project_id)
    ),
    "sprints.active_projects_sprints": _only(
        MEMBERS, lambda u, w: sprints.active_projects_sprints(u(), actor=w.actor)
    ),
    "sprints.get_sprint": _only(
        MEMBERS, lambda u, w: sprints.get_sprint(u(), actor=w.actor, sprint_id=w.sprint_id)
    ),
    "sprints.find_sprint": _only(
        MEMBERS,
        lambda u, w: sprints.find_sprint(
            u(), actor=w.actor, project_id=w.project_id, name="Sprint 1"
        ),
    ),
    "sprints.create_sprint": _only(
        READERS,
        lambda u, w: sprints.create_sprint(
            u(),
            actor=w.actor,
            project_id=w.project_id,
            name="Sprint 2",
            starts_on=TODAY + dt.timedelta(days=8),
            ends_on=TODAY + dt.timedelta(days=21),
        ),
    ),
    "sprints.update_sprint": _only(
        READERS,
        lambda u, w: sprints.update_sprint(
            u(), actor=w.actor, sprint_id=w.sprint_id, expected_version=1, goal="Ship it"
        ),
    ),
    "tags.list_tags": _only(MEMBERS, lambda u, w: tags.list_tags(u(), actor=w.actor)),
    "choices.planning_choices": _only(
        MEMBERS, lambda u, w: choices.planning_choices(u(), actor=w.actor)
    ),
    "tags.find_tag": _only(MEMBERS, lambda u, w: tags.find_tag(u(), actor=w.actor, name="ops")),
    # tasks
    "tasks.create_task(assignee)": Op(
        lambda u, w: tasks.create_task(u(), actor=w.actor, title="New", assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.create_task(sprint)": _only(
        MEMBERS,
        lambda u, w: tasks.create_task(
            u(), actor=w.actor, title="Planned", project_id=w.project_id, sprint_id=w.sprint_id
        ),
    ),
    "tasks.move_to_sprint": Op(
        lambda u, w: tasks.move_to_sprint(
            u(), actor=w.actor, task_id=w.task_id, sprint_id=w.sprint_id
        ),
        MEMBERS,
        ADMINS,
    ),
    "tasks.get_task": Op(
        lambda u, w: tasks.get_task(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "tasks.task_history": Op(
        lambda u, w: tasks.task_history(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "tasks.list_tasks(assignee)": Op(
        lambda u, w: tasks.list_tasks(u(), actor=w.actor, assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.all_tasks(assignee)": Op(
        lambda u, w: tasks.all_tasks(u(), actor=w.actor, assignee_id=w.owner.id),
        MEMBERS,
        READERS,
    ),
    "tasks.all_tasks(everyone)": _only(
        READERS, lambda u, w: tasks.all_tasks(u(), actor=w.actor, everyone=True)
    ),
    "tasks.list_tasks(everyone)": _only(
        READERS, lambda u, w: tasks.list_tasks(u(), actor=w.actor, everyone=True)
    ),
    "tasks.update_task": Op(
        lambda u, w: tasks.update_task(
            u(), actor=w.actor, task_id=w.task_id, expected_version=1, title="Renamed"
        ),
        MEMBERS,
        ADMINS,
    ),
    "tasks.update_task(assignee)": Op(
        lambda u, w: tasks.update_task(
            u(), actor=w.actor, task_id=w.mine, expected_version=1, assignee_id=w.owner.id
        ),
        MEMBERS,
        READERS,
    ),
    "tasks.move_task": Op(
        lambda u, w: tasks.move_task(u(), actor=w.actor, task_id=w.task_id, to_status=STARTED),
        MEMBERS,
        ADMINS,
    ),
    "task_deletion.delete_task": Op(
        lambda u, w: tasks.delete_task(u(), actor=w.actor, task_id=w.task_id, delete_entries=True),
        MEMBERS,
        ADMINS,
    ),
    # time
    "timelog.log_time": Op(
        lambda u, w: timelog.log_time(u(), actor=w.actor, task_id=w.task_id, duration="30m"),
        MEMBERS,
        ADMINS,
    ),
    "timelog.edit_entry": Op(
        lambda u, w: timelog.edit_entry(u(), actor=w.actor, entry_id=w.entry_id, duration="2h"),
        MEMBERS,
        ADMINS,
    ),
    "timelog.delete_entry": Op(
        lambda u, w: timelog.delete_entry(u(), actor=w.actor, entry_id=w.entry_id),
        MEMBERS,
        ADMINS,
    ),
    "timelog.task_entries": Op(
        lambda u, w: timelog.task_entries(u(), actor=w.actor, task_id=w.task_id), MEMBERS, READERS
    ),
    "timelog.user_entries": Op(
        lambda u, w: timelog.user_entries(u(), actor=w.actor, **_days(user_id=w.owner.id)),
        MEMBERS,
        READERS,
    ),
    "timers.start_timer": Op(
        lambda u, w: timers.start_timer(u(), actor=w.actor, task_id=w.task_id), MEMBERS, ADMINS
    ),
    "timers.running_timer": _only(MEMBERS, lambda u, w: timers.running_timer(u(), actor=w.actor)),
    "timers.stop_timer": Op(
        lambda u, w: timers.stop_timer(u(), actor=w.actor), MEMBERS, MEMBERS, _timer_running
    ),
    "timers.discard_timer": Op(
        lambda u, w: timers.discard_timer(u(), actor=w.actor), MEMBERS, MEMBERS, _timer_running
    ),
    "timesheets.weekly_timesheet": _personal(timesheets.weekly_timesheet),
    # analytics
    "analytics.logged.minutes_by": _analytics(analytics.minutes_by),
    "analytics.logged.time_per_user": _analytics(analytics.time_per_user),
    "analytics.logged.team_per_day": _analytics(analytics.team_per_day),
    "analytics.logged.top_users": Op(
        lambda u, w: analytics.top_users(u(), actor=w.actor, week_of=TODAY, user_ids=[w.owner.id]),
        MEMBERS,
        READERS,
    ),
    "analytics.reports.headline": _analytics(analytics.headline),
    "analytics.reports.dashboard": _only(
        READERS,
        lambda u, w: analytics.dashboard(u(), actor=w.actor, **_days(user_ids=[w.owner.id])),
    ),
    "analytics.reports.week_by_day": _personal(analytics.week_by_day),
    "analytics.reports.week_by_task": _personal(analytics.week_by_task),
    "analytics.reports.my_week": _personal(analytics.my_week),
    "analytics.taskflow.time_in_status": _analytics(analytics.time_in_status),
    "analytics.taskflow.tasks_by_status": _analytics(analytics.tasks_by_status),
    "analytics.scope.answer": Op(
        lambda u, w: scope.answer(
            u(), w.actor, WEEK_AGO, TODAY, [w.owner.id], lambda session, checked: checked
        ),
        MEMBERS,
        READERS,
    ),
    "analytics.accuracy.estimate_accuracy": _analytics(analytics.estimate_accuracy),
    "analytics.work.time_per_project": _work(analytics.time_per_project),
    "analytics.work.time_per_person_per_project": _work(analytics.time_per_person_per_project),
    "analytics.work.estimate_vs_actual": _work(analytics.estimate_vs_actual),
    "analytics.sprints.sprint_report": _only(
        MEMBERS, lambda u, w: analytics.sprint_report(u(), actor=w.actor, sprint_id=w.sprint_id)
    ),
    "analytics.sprints.project_sprints": _only(
        MEMBERS,
        lambda u, w: analytics.project_sprints(u(), actor=w.actor, project_id=w.project_id),
    ),
    "analytics.sprints.velocity": _only(
        MEMBERS, lambda u, w: analytics.velocity(u(), actor=w.actor, project_id=w.project_id)
    ),
    "stats.workspace_totals": _only(
        READERS, lambda u, w: stats.workspace_totals(u(), actor=w.actor)
    ),
    # AI help: about the actor's own open tasks, or a title they typed
    "ai.draft_task": _only(MEMBERS, lambda u, w: ai.draft_task(u(), actor=w.actor, title="Fix")),
    "ai.plan_day": _only(MEMBERS, lambda u, w: ai.plan_day(u(), actor=w.actor)),
    "ai.outcomes.my_drafts": _only(MEMBERS, lambda u, w: outcomes.my_drafts(u(), actor=w.actor)),
    # own settings for the helpers
    "preferences.get_focus": _only(MEMBERS, lambda u, w: preferences.get_focus(u(), actor=w.actor)),
    "preferences.set_focus_hours": _only(
        MEMBERS, lambda u, w: preferences.set_focus_hours(u(), actor=w.actor, hours="5")
    ),
    # accounts
    "users.get_user": Op(
        lambda u, w: users.get_user(u(), actor=w.actor, username=w.owner.username),
        MEMBERS,
        READERS,
    ),
    "users.directory": _only(MEMBERS, lambda u, w: users.directory(u(), actor=w.actor)),
    "users.update_profile": _only(
        MEMBERS,
        lambda u, w: users.update_profile(u(), actor=w.actor, full_name="New Name", email=None),
    ),
    "users.change_password": _only(
        MEMBERS,
        lambda u, w: users.change_password(
            u(), actor=w.actor, current_password=PASSWORD, new_password="another passphrase"
        ),
    ),
    "users.list_users": _only(ADMINS, lambda u, w: users.list_users(u(), actor=w.actor)),
    "users.create_user": _only(
        ADMINS, lambda u, w: users.create_user(u(), actor=w.actor, username="brand-new")
    ),
    "users.set_role": _only(
        ADMINS,
        lambda u, w: users.set_role(u(), actor=w.actor, username="bystander", role="manager"),
    ),
    "users.set_active": _only(
        ADMINS,
        lambda u, w: users.set_active(u(), actor=w.actor, username="bystander", active=False),
    ),
    "users.reset_password": _only(
        ADMINS, lambda u, w: users.reset_password(u(), actor=w.actor, username="bystander")
    ),
    "users.unlock": _only(
        ADMINS, lambda u, w: users.unlock(u(), actor=w.actor, username="bystander")
    ),
    "audit.list_audit": _only(ADMINS, lambda u, w: audit.list_audit(u(), actor=w.actor)),
    "audit.actions": _only(ADMINS, lambda u, w: audit.actions(u(), actor=w.actor)),
    # API tokens: each person their own; an admin may revoke anyone's
    "tokens.create_token": _only(
        MEMBERS, lambda u, w: tokens.create_token(u(), actor=w.actor, name="CI", scope="write")
    ),
    "tokens.list_tokens": _only(MEMBERS, lambda u, w: tokens.list_tokens(u(), actor=w.actor)),
    "tokens.revoke_token": Op(
        lambda u, w: tokens.revoke_token(u(), actor=w.actor, token_id=w.extra["token_id"]),
        MEMBERS,
        ADMINS,
        _owners_token,
    ),
    # Ending your own sessions always works, even once deactivated: it only takes access away.
    "auth.sign_out": _only(EVERYONE, lambda u, w: auth.sign_out(u(), actor=w.actor)),
}
