import datetime as dt

import pytest
from sqlalchemy import text

from sprintsync.clock import today
from sprintsync.errors import NotFound, PermissionDenied, ValidationError
from sprintsync.services import tasks, timelog


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Fix login")


def total(uow, actor, task_id):
    return tasks.get_task(uow(), actor=actor, task_id=task_id).total_minutes


@pytest.mark.parametrize(
    ("duration", "minutes"), [("90", 90), ("45m", 45), ("1h30m", 90), ("1.5h", 90), (30, 30)]
)
def test_logging_time_adds_to_the_task_total(uow, member, task, duration, minutes):
    entry = timelog.log_time(
        uow(), actor=member, task_id=task.id, duration=duration, note="pairing"
    )
    assert (entry.minutes, entry.spent_on, entry.note, entry.username) == (
        minutes,
        today(),
        "pairing",
        "mia",
    )
    assert total(uow, member, task.id) == minutes


def test_time_can_be_logged_on_a_past_day(uow, member, task):
    entry = timelog.log_time(
        uow(), actor=member, task_id=task.id, duration="1h", spent_on="2026-01-15"
    )
    assert entry.spent_on == dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("duration", "spent_on", "error"),
    [
        ("0", None, "between"),
        ("25h", None, "between"),
        ("soon", None, "duration"),
        ("1h", "1999-12-31", "from 2000-01-01"),
        ("1h", "31/12/2025", "not a date"),
        ("1h", (dt.date.today() + dt.timedelta(days=10)).isoformat(), "up to today"),
    ],
)
def test_bad_entries_are_refused_and_change_nothing(uow, member, task, duration, spent_on, error):
    with pytest.raises(ValidationError, match=error):
        timelog.log_time(uow(), actor=member, task_id=task.id, duration=duration, spent_on=spent_on)
    assert timelog.task_entries(uow(), actor=member, task_id=task.id) == []
    assert total(uow, member, task.id) == 0


def test_editing_an_entry_moves_the_total_by_the_difference(uow, member, task):
    a = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m")
    edited = timelog.edit_entry(uow(), actor=member, entry_id=a.id, duration="2h", note="fixed")
    assert (edited.minutes, edited.note) == (120, "fixed")
    assert total(uow, member, task.id) == 150


def test_deleting_an_entry_takes_it_out_of_the_total(uow, member, task):
    a = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m")
    timelog.delete_entry(uow(), actor=member, entry_id=a.id)
    assert total(uow, member, task.id) == 30
    with pytest.raises(NotFound):
        timelog.delete_entry(uow(), actor=member, entry_id=a.id)


def test_only_the_owner_or_an_admin_changes_an_entry(uow, member, other_member, admin, task):
    entry = timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    with pytest.raises(PermissionDenied):
        timelog.edit_entry(uow(), actor=other_member, entry_id=entry.id, duration="5h")
    with pytest.raises(PermissionDenied):
        timelog.delete_entry(uow(), actor=other_member, entry_id=entry.id)
    timelog.edit_entry(uow(), actor=admin, entry_id=entry.id, duration="2h")
    assert total(uow, member, task.id) == 120


def test_members_log_time_only_on_their_own_tasks(uow, other_member, task):
    with pytest.raises(PermissionDenied):
        timelog.log_time(uow(), actor=other_member, task_id=task.id, duration="1h")


def test_user_entries_cover_a_date_range_for_yourself_or_for_managers(
    uow, member, manager, other_member, task
):
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", spent_on="2026-03-02")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h", spent_on="2026-03-09")
    week = timelog.user_entries(
        uow(), actor=member, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 8)
    )
    assert [e.minutes for e in week] == [60]
    seen = timelog.user_entries(
        uow(), actor=manager, user_id=member.id, start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)
    )
    assert len(seen) == 2
    with pytest.raises(PermissionDenied):
        timelog.user_entries(
            uow(),
            actor=other_member,
            user_id=member.id,
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
        )


def test_the_database_keeps_entries_between_1_and_1440_minutes(db_session_factory, member, task):
    from sqlalchemy.exc import IntegrityError

    with db_session_factory() as s, pytest.raises(IntegrityError):
        s.execute(
            text(
                "INSERT INTO time_entries (task_id, user_id, minutes, spent_on) "
                "VALUES (:t, :u, 1441, current_date)"
            ),
            {"t": task.id, "u": member.id},
        )
