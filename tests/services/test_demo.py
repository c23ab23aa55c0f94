import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import text

from sprintsync.errors import Conflict
from sprintsync.services import auth, demo, users
from sprintsync.services.views import CONSOLE


def test_the_demo_workspace_is_small_believable_and_consistent(uow, db_session_factory):
    report = demo.seed(uow(), password="demo-password-1")
    assert (report.users, report.tasks) == (8, 120) and report.entries > 500
    roles = [u.role.value for u in users.list_users(uow(), actor=CONSOLE)]
    assert {r: roles.count(r) for r in set(roles)} == {"admin": 1, "manager": 2, "member": 5}
    assert auth.authenticate(uow(), username="admin", password="demo-password-1")
    assert "admin" in report.logins_text() and "demo-password-1" in report.logins_text()

    with db_session_factory() as s:
        mismatched = s.scalar(
            text(
                "SELECT count(*) FROM tasks t WHERE t.total_minutes <> "
                "(SELECT coalesce(sum(minutes), 0) FROM time_entries e WHERE e.task_id = t.id)"
            )
        )
        assert mismatched == 0
        first, last = s.execute(text("SELECT min(spent_on), max(spent_on) FROM time_entries")).one()
        assert (last - first).days <= 8 * 7 and last <= dt.date.today() + dt.timedelta(days=1)
        by_weekday = dict(
            s.execute(
                text(
                    "SELECT extract(isodow FROM spent_on)::int, count(*) "
                    "FROM time_entries GROUP BY 1"
                )
            ).all()
        )
        weekend = by_weekday.get(6, 0) + by_weekday.get(7, 0)
        assert weekend * 5 < by_weekday[2]  # a working week's rhythm, not uniform noise
        statuses = dict(s.execute(text("SELECT status, count(*) FROM tasks GROUP BY 1")).all())
        assert set(statuses) == {"todo", "in_progress", "done"}
        entries_on_todo = s.scalar(
            text(
                "SELECT count(*) FROM time_entries e JOIN tasks t ON t.id = e.task_id "
                "WHERE t.status = 'todo'"
            )
        )
        assert entries_on_todo == 0
        bad_done = s.scalar(
            text(
                "SELECT count(*) FROM tasks WHERE status = 'done' AND (done_at IS NULL OR "
                "started_at IS NULL OR done_at < started_at)"
            )
        )
        assert bad_done == 0


def test_seeding_is_reproducible_for_a_seed(uow, db_session_factory):
    demo.seed(uow(), users=5, tasks=20, entries=100, seed=7, password="x-password")
    with db_session_factory() as s:
        first = s.execute(
            text("SELECT sum(minutes), count(DISTINCT spent_on) FROM time_entries")
        ).one()
        s.execute(text("TRUNCATE time_entries, task_events, tasks, audit_log, users CASCADE"))
        s.commit()
    demo.seed(uow(), users=5, tasks=20, entries=100, seed=7, password="x-password")
    with db_session_factory() as s:
        assert (
            s.execute(text("SELECT sum(minutes), count(DISTINCT spent_on) FROM time_entries")).one()
            == first
        )


def test_seeding_refuses_a_database_with_users_unless_forced(uow, member):
    with pytest.raises(Conflict, match="--force"):
        demo.seed(uow())
    report = demo.seed(uow(), users=3, tasks=5, entries=10, force=True, password="p-password")
    assert report.users == 3
    assert users.get_user(uow(), actor=CONSOLE, username="mia")  # nothing replaced


def test_demo_estimates_are_in_the_range_of_the_time_finished_tasks_took(uow, db_session_factory):
    demo.seed(uow(), password="demo-password-1")
    with db_session_factory() as s:
        ratios = s.scalars(
            text(
                "SELECT total_minutes::float / estimate_minutes FROM tasks "
                "WHERE status = 'done' AND total_minutes > 0"
            )
        ).all()
    assert ratios
    assert all(0.6 < r < 1.6 for r in ratios)


@pytest.mark.parametrize("zone", ["Pacific/Honolulu", "Australia/Sydney"])
def test_demo_time_is_logged_while_its_task_is_on_the_go_in_the_workspaces_zone(
    uow, db_session_factory, env, zone
):
    env(SPRINTSYNC_TIMEZONE=zone)
    demo.seed(uow(), password="demo-password-1")
    with db_session_factory() as s:
        outside = s.scalar(
            text(
                "SELECT count(*) FROM time_entries e JOIN tasks t ON t.id = e.task_id "
                "WHERE e.spent_on < (t.started_at AT TIME ZONE :zone)::date "
                "OR e.spent_on > (t.done_at AT TIME ZONE :zone)::date"
            ),
            {"zone": zone},
        )
    assert outside == 0


def test_the_demo_plans_projects_sprints_tags_and_priorities_every_chart_can_show(
    uow, db_session_factory
):
    from sprintsync.services import analytics, projects, sprints
    from tests.analytics.test_sprint_ledger import LATEST, NOW

    demo.seed(uow(), password="demo-password-1")
    admin = users.actor_for(uow(), username="admin")
    every = {p.key: p for p in projects.list_projects(uow(), actor=admin)}
    assert set(every) == {"GEN", "WEB", "API", "OPS"}
    assert {every[k].budget_state for k in ("WEB", "API", "OPS")} == {"ok", "near", "over"}
    tables = []
    for key in ("WEB", "API", "OPS"):
        plan = sprints.list_sprints(uow(), actor=admin, project_id=every[key].id)
        # Two or three two-week sprints fit the demo's eight weeks of history (the benchmark's
        # year has four), depending on the weekday; then the active one and the next.
        closed = len(plan) - 2
        assert [s.state.value for s in plan] == ["closed"] * closed + ["active", "planned"]
        assert closed in (2, 3)
        tables.append(analytics.project_sprints(uow(), actor=admin, project_id=every[key].id))
        active = next(s for s in plan if s.state == "active")
        burndown = analytics.sprint_report(uow(), actor=admin, sprint_id=active.id).burndown
        assert burndown["scope_minutes"].dropna().gt(0).all()
        assert len(analytics.velocity(uow(), actor=admin, project_id=every[key].id)) == closed
    table = pd.concat(tables)
    ended = table[table["state"] == "closed"]
    assert (ended["planned_tasks"] + ended["added_tasks"]).gt(0).all()
    for figure in ("planned_tasks", "added_tasks", "done_tasks", "open_tasks"):  # open: carried
        assert ended[figure].sum() > 0, figure
    assert table[table["state"] == "planned"]["planned_tasks"].sum() > 0
    with db_session_factory() as s:
        assert set(s.execute(text(LATEST)).all()) == set(s.execute(text(NOW)).all())
        priorities = set(s.scalars(text("SELECT DISTINCT priority FROM tasks")))
        assert priorities == {"urgent", "high", "normal", "low"}
        tagged, overdue = s.execute(
            text(
                "SELECT (SELECT count(DISTINCT task_id) FROM task_tags), (SELECT count(*) "
                "FROM tasks WHERE due_date < current_date AND status <> 'done')"
            )
        ).one()
        assert tagged > 20 and overdue > 0
