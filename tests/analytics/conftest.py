"""Hand-built work for analytics tests: tasks with their event histories, and time entries,
written straight to the tables (the rollup triggers keep the totals as they would in use)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from sprintsync import config
from sprintsync.models import Task, TaskEvent, TimeEntry
from sprintsync.services.views import Actor


def at(text: str) -> dt.datetime:
    """An ISO timestamp; UTC unless it says otherwise."""
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Work:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def task(
        self,
        owner: Actor,
        history: list[tuple[str, str]] = (),  # type: ignore[assignment]
        *,
        title: str = "Task",
        assigned: bool = True,
    ) -> int:
        """A task of `owner` whose events are `history`: (to_status, timestamp) in order,
        starting with the move to todo. Status, started_at and done_at follow the events."""
        history = list(history) or [("todo", "2025-03-03T09:00")]
        status = history[-1][0]
        started = next((at(t) for s, t in history if s == "in_progress"), None)
        with self._sessions() as s:
            task_id = s.scalar(
                insert(Task)
                .values(
                    title=title,
                    status=status,
                    assignee_id=owner.id if assigned else None,
                    created_by_id=owner.id,
                    created_at=at(history[0][1]),
                    started_at=started if status != "todo" else None,
                    done_at=at(history[-1][1]) if status == "done" else None,
                )
                .returning(Task.id)
            )
            previous = None
            for to_status, when in history:
                s.execute(
                    insert(TaskEvent).values(
                        task_id=task_id,
                        from_status=previous,
                        to_status=to_status,
                        actor_id=owner.id,
                        at=at(when),
                    )
                )
                previous = to_status
            s.commit()
        return int(task_id)

    def time(self, user: Actor, task_id: int, *entries: tuple[str, int]) -> None:
        """Entries of (day, minutes) by `user` on the task."""
        with self._sessions() as s:
            s.execute(
                insert(TimeEntry),
                [
                    {
                        "task_id": task_id,
                        "user_id": user.id,
                        "minutes": minutes,
                        "spent_on": dt.date.fromisoformat(day),
                    }
                    for day, minutes in entries
                ],
            )
            s.commit()

    def forget_time(self) -> None:
        with self._sessions() as s:
            s.execute(delete(TimeEntry))
            s.commit()


@pytest.fixture
def work(db_session_factory) -> Work:
    return Work(db_session_factory)


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    """Switch SPRINTSYNC_TIMEZONE for one test."""
    before = os.environ.get("SPRINTSYNC_TIMEZONE")

    def use(name: str) -> None:
        os.environ["SPRINTSYNC_TIMEZONE"] = name
        config.get_settings.cache_clear()

    yield use
    if before is None:
        os.environ.pop("SPRINTSYNC_TIMEZONE", None)
    else:
        os.environ["SPRINTSYNC_TIMEZONE"] = before
    config.get_settings.cache_clear()
