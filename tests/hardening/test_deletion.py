"""Deleting never cascades silently. People are deactivated, not deleted: no service removes a
user, and the database itself refuses to drop one who has work on record. A task with time is
deleted only when the caller says so, and the audit record of it stays."""

import inspect

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from sprintsync.errors import Conflict, NotFound, PermissionDenied
from sprintsync.models import AuditLog, Task, TimeEntry, User
from sprintsync.services import audit, tasks, timelog, users


def test_no_service_deletes_a_user():
    names = [name for name, _ in inspect.getmembers(users, inspect.isfunction)]
    assert not [n for n in names if "delete" in n or "remove" in n or "purge" in n]


def test_the_database_refuses_to_delete_a_user_with_time_or_tasks(uow, db_session_factory, member):
    task = tasks.create_task(uow(), actor=member, title="Keep me")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m")
    with db_session_factory() as s, pytest.raises(IntegrityError, match=r"time_entries|tasks"):
        s.execute(delete(User).where(User.id == member.id))
    with db_session_factory() as s:
        assert s.get(User, member.id) is not None
        logged = select(func.sum(TimeEntry.minutes)).where(TimeEntry.user_id == member.id)
        assert s.scalar(logged) == 30


def test_deactivating_keeps_every_row_of_their_work(uow, member, admin):
    task = tasks.create_task(uow(), actor=member, title="Their work")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    users.set_active(uow(), actor=admin, username=member.username, active=False)
    assert tasks.get_task(uow(), actor=admin, task_id=task.id).total_minutes == 60


def test_a_task_with_time_is_kept_until_the_caller_confirms_and_the_audit_row_outlives_it(
    uow, db_session_factory, member, admin
):
    task = tasks.create_task(uow(), actor=member, title="Short-lived")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="20m")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="25m")
    with pytest.raises(Conflict, match="2 time entries"):
        tasks.delete_task(uow(), actor=member, task_id=task.id)
    with db_session_factory() as s:
        assert s.scalar(select(func.count()).where(TimeEntry.task_id == task.id)) == 2
    tasks.delete_task(uow(), actor=member, task_id=task.id, delete_entries=True)
    with pytest.raises(NotFound):
        tasks.get_task(uow(), actor=member, task_id=task.id)
    with db_session_factory() as s:
        assert s.get(Task, task.id) is None
        created = (AuditLog.action == "task.create") & (AuditLog.target == f"task:{task.id}")
        creation = s.scalars(select(AuditLog).where(created)).all()
    assert len(creation) == 1
    record = audit.list_audit(uow(), actor=admin, action="task.delete").items[0]
    assert record.target == f"task:{task.id}"
    assert record.details["entries_deleted"] == 2
    assert record.details["minutes_deleted"] == 45


def test_a_member_cannot_delete_time_someone_else_logged(uow, member, other_member, admin):
    task = tasks.create_task(uow(), actor=other_member, title="Handed over")
    timelog.log_time(uow(), actor=other_member, task_id=task.id, duration="3h")
    tasks.update_task(
        uow(), actor=admin, task_id=task.id, expected_version=1, assignee_id=member.id
    )
    with pytest.raises(PermissionDenied, match=f"logged by {other_member.username}.*only an admin"):
        tasks.delete_task(uow(), actor=member, task_id=task.id, delete_entries=True)
    assert tasks.get_task(uow(), actor=member, task_id=task.id).total_minutes == 180
    tasks.delete_task(uow(), actor=admin, task_id=task.id, delete_entries=True)
    with pytest.raises(NotFound):
        tasks.get_task(uow(), actor=admin, task_id=task.id)
