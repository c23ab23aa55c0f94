"""Time analytics: small frames computed in SQL (GROUP BY, date_trunc, FILTER). Raw entries
never reach pandas. Members may only ask about themselves; managers and admins about anyone.

Every public function takes the unit of work, the actor (CONSOLE for the console operator) and
plain filter values. Time logged comes from the per-user daily totals (migration 0003), or by
project, sprint and tag from the per-project and per-tag daily totals (0006); task flow from
tasks and task_events; sprints from the sprint ledger; day boundaries in SPRINTSYNC_TIMEZONE.
"""

from sprintsync.services.analytics.accuracy import estimate_accuracy
from sprintsync.services.analytics.logged import minutes_by, team_per_day, time_per_user, top_users
from sprintsync.services.analytics.reports import (
    NAMED_PEOPLE,
    TOP_USERS,
    Dashboard,
    Headline,
    MyWeek,
    dashboard,
    headline,
    my_week,
    week_by_day,
    week_by_task,
)
from sprintsync.services.analytics.scope import (
    MAX_RANGE_DAYS,
    OTHERS,
    check_range,
    default_range,
    default_start,
)
from sprintsync.services.analytics.sprints import (
    SprintReport,
    Tally,
    project_sprints,
    sprint_report,
    velocity,
)
from sprintsync.services.analytics.taskflow import tasks_by_status, time_in_status
from sprintsync.services.analytics.work import (
    estimate_vs_actual,
    time_per_person_per_project,
    time_per_project,
)

__all__ = [
    "MAX_RANGE_DAYS",
    "NAMED_PEOPLE",
    "OTHERS",
    "TOP_USERS",
    "Dashboard",
    "Headline",
    "MyWeek",
    "SprintReport",
    "Tally",
    "check_range",
    "dashboard",
    "default_range",
    "default_start",
    "estimate_accuracy",
    "estimate_vs_actual",
    "headline",
    "minutes_by",
    "my_week",
    "project_sprints",
    "sprint_report",
    "tasks_by_status",
    "team_per_day",
    "time_in_status",
    "time_per_person_per_project",
    "time_per_project",
    "time_per_user",
    "top_users",
    "velocity",
    "week_by_day",
    "week_by_task",
]
