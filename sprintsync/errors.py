"""Domain errors. Each message is fit to show a user as it is."""

from __future__ import annotations


class SprintSyncError(Exception):
    """Something went wrong."""

    exit_code = 1

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self)


class ValidationError(SprintSyncError):
    """That input is not valid."""

    exit_code = 2


class TimerTooLong(ValidationError):
    """This timer ran too long to log as it is; enter the time you actually spent."""


class NotFound(SprintSyncError):
    """That does not exist."""

    exit_code = 3


class PermissionDenied(SprintSyncError):
    """You do not have permission to do that."""

    exit_code = 4


class Conflict(SprintSyncError):
    """Someone else changed this first; reload and try again."""

    exit_code = 5


class WeekLocked(Conflict):
    """That week's timesheet is approved, so its time cannot change; an admin can reopen it."""


class AuthError(SprintSyncError):
    """Invalid username or password."""

    exit_code = 4


class RateLimited(SprintSyncError):
    """Too many requests; wait a minute and try again."""

    exit_code = 2


class DatabaseUnavailable(SprintSyncError):
    """The database is unavailable right now; please try again in a moment."""

    exit_code = 1


class DiskFull(DatabaseUnavailable):
    """The database has run out of disk space, so nothing was saved; please try again later."""


class ConfigurationError(SprintSyncError):
    """The settings are not fit for this environment."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("Refusing to start:\n" + "\n".join(f"  - {p}" for p in problems))
