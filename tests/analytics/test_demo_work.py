"""Generated demo work holds together: totals, histories and believable days."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from sprintsync.clock import today
from sprintsync.services import analytics, demo
from sprintsync.services.views import CONSOLE

CHECKS = {
    "task totals equal their entries": """
        SELECT count(*) FROM tasks t
        WHERE t.total_minutes <> (SELECT coalesce(sum(minutes), 0) FROM time_entries e
                                  WHERE e.task_id = t.id)""",
    "done_at is the final move to done": """
        SELECT count(*) FROM tasks t
        WHERE t.status = 'done'
          AND t.done_at IS DISTINCT FROM (SELECT max(at) FROM task_events e
                                          WHERE e.task_id = t.id)""",
    "status is the latest event's": """
        SELECT count(*) FROM tasks t
        WHERE t.status <> (SELECT to_status FROM task_events e WHERE e.task_id = t.id
                           ORDER BY at DESC, id DESC LIMIT 1)""",
    "finished_at is done_at, for done tasks only": """
        SELECT count(*) FROM tasks t JOIN task_flow f ON f.task_id = t.id
        WHERE f.finished_at IS DISTINCT FROM (CASE WHEN t.status = 'done' THEN t.done_at END)""",
    "started_at is the first start": """
        SELECT count(*) FROM tasks t JOIN task_flow f ON f.task_id = t.id
        WHERE t.status <> 'todo' AND t.started_at IS DISTINCT FROM f.first_started_at""",
    "time is logged by the assignee while the task is on the go": """
        SELECT count(*) FROM time_entries e JOIN tasks t ON t.id = e.task_id
        WHERE e.user_id <> t.assignee_id OR e.spent_on < t.started_at::date
           OR e.spent_on > coalesce(t.done_at::date, current_date)""",
    "no event lies in the future (beyond a few minutes kept for ordering)": """
        SELECT count(*) FROM task_events WHERE at > clock_timestamp() + interval '1 hour'""",
    "nobody logs over ten hours a day": """
        SELECT count(*) FROM user_day_totals WHERE minutes > 600""",
    "the daily totals match the entries": """
        SELECT count(*) FROM (
            SELECT user_id, spent_on, sum(minutes), count(*) FROM time_entries GROUP BY 1, 2
            EXCEPT SELECT user_id, spent_on, minutes, entries FROM user_day_totals) d""",
}


@pytest.fixture
def seeded(uow, db_session_factory):
    report = demo.seed(uow(), users=12, tasks=300, entries=3000, weeks=6, password="pw-123456")
    with db_session_factory() as s:
        yield report, s


@pytest.mark.parametrize("check", CHECKS.values(), ids=CHECKS.keys())
def test_generated_work_holds_together(seeded, check):
    _, session = seeded
    assert session.scalar(text(check)) == 0


def test_generated_work_has_every_status_reopened_tasks_and_the_counts_asked_for(seeded):
    report, session = seeded
    assert (report.users, report.tasks, report.entries) == (12, 300, 3000)
    statuses = dict(session.execute(text("SELECT status, count(*) FROM tasks GROUP BY 1")).all())
    assert set(statuses) == {"todo", "in_progress", "done"}
    assert session.scalar(text("SELECT count(*) FROM task_flow WHERE done_seconds > 0")) > 0
    hours = session.scalar(
        text(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes) / 60 "
            "FROM user_day_totals WHERE extract(isodow FROM spent_on) < 6"
        )
    )
    assert 4 <= hours <= 10


def test_the_seeded_workspace_fills_the_dashboard(seeded, uow):
    end = today()
    board = analytics.dashboard(
        uow(), actor=CONSOLE, start=analytics.default_start(end), end=end, by="week"
    )
    by_status = analytics.tasks_by_status(
        uow(), actor=CONSOLE, start=analytics.default_start(end), end=end
    )
    assert board.headline.total_minutes > 0
    assert board.headline.tasks_done > 0
    assert board.headline.median_cycle_hours > 0
    assert set(board.time_in_status["status"]) == {"todo", "in_progress", "done"}
    assert not by_status.empty
