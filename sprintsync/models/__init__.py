"""The schema: SQLAlchemy 2.0 typed tables. Nothing outside this package knows table or
column names. One module per part of the product; everything is importable from here."""

from sprintsync.models.ai import DRAFT_OUTCOMES, DRAFT_SOURCES, AiDraft
from sprintsync.models.base import NAMING, PRIORITIES, ROLES, STATUSES, Base, Timestamp
from sprintsync.models.core import (
    FOCUS_MINUTES_MAX,
    FOCUS_MINUTES_MIN,
    SEARCH_DOCUMENT,
    WEEK_OF_SPENT_ON,
    AuditLog,
    Task,
    TaskEvent,
    TaskFlow,
    TimeEntry,
    Timer,
    User,
    UserDayTotal,
)
from sprintsync.models.planning import (
    WORK_KEY,
    Project,
    ProjectDayTotal,
    Sprint,
    SprintChange,
    Tag,
    TagDayTotal,
    TaskTag,
)
from sprintsync.models.shared_state import AiCacheEntry, RateHit, SignInFailure, name_digest
from sprintsync.models.timesheets import WEEK_STATES, Reminder, TimesheetWeek
from sprintsync.models.tokens import TOKEN_SCOPES, ApiToken

__all__ = [
    "DRAFT_OUTCOMES",
    "DRAFT_SOURCES",
    "FOCUS_MINUTES_MAX",
    "FOCUS_MINUTES_MIN",
    "NAMING",
    "PRIORITIES",
    "ROLES",
    "SEARCH_DOCUMENT",
    "STATUSES",
    "TOKEN_SCOPES",
    "WEEK_OF_SPENT_ON",
    "WEEK_STATES",
    "WORK_KEY",
    "AiCacheEntry",
    "AiDraft",
    "ApiToken",
    "AuditLog",
    "Base",
    "Project",
    "ProjectDayTotal",
    "RateHit",
    "Reminder",
    "SignInFailure",
    "Sprint",
    "SprintChange",
    "Tag",
    "TagDayTotal",
    "Task",
    "TaskEvent",
    "TaskFlow",
    "TaskTag",
    "TimeEntry",
    "Timer",
    "TimesheetWeek",
    "Timestamp",
    "User",
    "UserDayTotal",
    "name_digest",
]
