"""The week workflow: submit, approve, send back, reopen; and the lock an approval puts on
every change of time in the week (entries, moves, timers, task deletion, the grid)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from sprintsync.clock import today
from sprintsync.domain import monday_of
from sprintsync.errors import Conflict, PermissionDenied, ValidationError, WeekLocked
from sprintsync.models import AuditLog
from sprintsync.services import tasks, timelog, timers, weeks
from sprintsync.services.timesheet_grid import save_grid
from sprintsync.services.timesheet_views import GridCell
from sprintsync.workweek import WeekState

THIS_MONDAY = monday_of(today())
MONDAY = THIS_MONDAY - dt.timedelta(days=7)


@pytest.fixture
def task(uow, member):
    return tasks.create_task(uow(), actor=member, title="Week work")


@pytest.fixture
def logged(uow, member, task):
    return timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h", spent_on=MONDAY)


def state(uow, member, monday=MONDAY):
    return weeks.week_status(uow(), actor=member, week_start=monday).state


def approved(uow, member, manager):
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    return weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY)


def test_a_week_is_missing_then_a_draft_then_submitted_then_approved(uow, member, manager, task):
    assert state(uow, member) == WeekState.MISSING
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h", spent_on=MONDAY)
    assert state(uow, member) == WeekState.DRAFT
    submitted = weeks.submit_week(uow(), actor=member, week_start=MONDAY + dt.timedelta(days=3))
    assert (submitted.state, submitted.week_start, submitted.logged_minutes) == (
        WeekState.SUBMITTED,
        MONDAY,
        120,
    )
    done = weeks.approve_week(
        uow(), actor=manager, user_id=member.id, week_start=MONDAY, comment="Thanks"
    )
    assert (done.state, done.decided_by, done.comment) == (WeekState.APPROVED, "manny", "Thanks")
    assert weeks.describe(done) == "Approved: 2h of 40h expected; approved by manny: Thanks"


def test_a_week_sent_back_shows_the_comment_and_can_be_submitted_again(
    uow, member, manager, logged
):
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    with pytest.raises(ValidationError, match="Comment is required"):
        weeks.return_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY, comment=" ")
    weeks.return_week(
        uow(), actor=manager, user_id=member.id, week_start=MONDAY, comment="Tuesday is empty"
    )
    mine = weeks.week_status(uow(), actor=member, week_start=MONDAY)
    assert (mine.state, mine.comment, mine.decided_by) == (
        WeekState.RETURNED,
        "Tuesday is empty",
        "manny",
    )
    timelog.log_time(uow(), actor=member, task_id=logged.task_id, duration="1h", spent_on=MONDAY)
    assert state(uow, member) == WeekState.RETURNED  # changes keep it sent back until submitted
    again = weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    assert (again.state, again.comment) == (WeekState.SUBMITTED, "")


def test_a_change_after_submitting_withdraws_the_submission_and_approval_says_so(
    uow, member, manager, logged
):
    seen = weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    timelog.edit_entry(uow(), actor=member, entry_id=logged.id, duration="3h")
    assert state(uow, member) == WeekState.DRAFT
    with pytest.raises(Conflict, match="changed after it was submitted"):
        weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY)
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    with pytest.raises(Conflict, match="submitted again after you opened it"):
        weeks.approve_week(
            uow(),
            actor=manager,
            user_id=member.id,
            week_start=MONDAY,
            expected_version=seen.version,
        )


@pytest.mark.parametrize(
    ("decide", "message"),
    [
        ("approve", "is missing, not submitted"),
        ("return", "is missing, not submitted"),
    ],
)
def test_only_submitted_weeks_are_decided(uow, member, manager, decide, message):
    call = weeks.approve_week if decide == "approve" else weeks.return_week
    extra = {} if decide == "approve" else {"comment": "why"}
    with pytest.raises(ValidationError, match=message):
        call(uow(), actor=manager, user_id=member.id, week_start=MONDAY, **extra)


def test_nobody_decides_their_own_week_and_members_decide_none(
    uow, member, other_member, manager, admin
):
    for person in (manager, member):
        weeks.submit_week(uow(), actor=person, week_start=MONDAY)
    with pytest.raises(PermissionDenied, match="Someone else must approve"):
        weeks.approve_week(uow(), actor=manager, user_id=manager.id, week_start=MONDAY)
    with pytest.raises(PermissionDenied, match="Only managers and admins"):
        weeks.approve_week(uow(), actor=other_member, user_id=member.id, week_start=MONDAY)
    weeks.approve_week(uow(), actor=admin, user_id=manager.id, week_start=MONDAY)


def test_a_future_week_cannot_be_submitted(uow, member):
    with pytest.raises(ValidationError, match="has not begun yet"):
        weeks.submit_week(uow(), actor=member, week_start=THIS_MONDAY + dt.timedelta(days=7))


def test_a_week_with_a_timer_running_in_it_is_not_approved(uow, member, manager, task):
    weeks.submit_week(uow(), actor=member, week_start=THIS_MONDAY)
    timers.start_timer(uow(), actor=member, task_id=task.id)
    with pytest.raises(Conflict, match="has a timer running"):
        weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=THIS_MONDAY)


def test_only_admins_reopen_an_approved_week_with_a_reason_which_is_audited(
    uow, member, manager, admin, logged, db_session_factory
):
    approved(uow, member, manager)
    with pytest.raises(PermissionDenied, match="Only admins"):
        weeks.reopen_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY, reason="Typo")
    with pytest.raises(ValidationError, match="The reason is required"):
        weeks.reopen_week(uow(), actor=admin, user_id=member.id, week_start=MONDAY, reason="")
    week = weeks.reopen_week(
        uow(), actor=admin, user_id=member.id, week_start=MONDAY, reason="Hours on the wrong task"
    )
    assert (week.state, week.comment, week.decided_by) == (
        WeekState.RETURNED,
        "Hours on the wrong task",
        "ada",
    )
    with db_session_factory() as s:
        details = s.scalar(select(AuditLog.details).where(AuditLog.action == "week.reopen"))
    assert details["reason"] == "Hours on the wrong task"
    assert details["approved_by_id"] == manager.id
    timelog.edit_entry(uow(), actor=member, entry_id=logged.id, duration="1h")  # open again
    with pytest.raises(ValidationError, match="not approved: there is nothing to reopen"):
        weeks.reopen_week(uow(), actor=admin, user_id=member.id, week_start=MONDAY, reason="x")


# Every way time changes, tried in an approved week: refused with WeekLocked, nothing changed.
LOCKED_CHANGES = {
    "log_time": lambda u, w: timelog.log_time(
        u(), actor=w["member"], task_id=w["task"].id, duration="1h", spent_on=MONDAY
    ),
    "edit_entry": lambda u, w: timelog.edit_entry(
        u(), actor=w["member"], entry_id=w["entry"].id, duration="3h"
    ),
    "edit_entry(note)": lambda u, w: timelog.edit_entry(
        u(), actor=w["member"], entry_id=w["entry"].id, note="later"
    ),
    "edit_entry(move out)": lambda u, w: timelog.edit_entry(
        u(), actor=w["member"], entry_id=w["entry"].id, spent_on=THIS_MONDAY
    ),
    "edit_entry(move in)": lambda u, w: timelog.edit_entry(
        u(), actor=w["member"], entry_id=w["fresh"].id, spent_on=MONDAY
    ),
    "edit_entry(admin)": lambda u, w: timelog.edit_entry(
        u(), actor=w["admin"], entry_id=w["entry"].id, duration="1h"
    ),
    "delete_entry": lambda u, w: timelog.delete_entry(
        u(), actor=w["member"], entry_id=w["entry"].id
    ),
    "delete_task": lambda u, w: tasks.delete_task(
        u(), actor=w["member"], task_id=w["task"].id, delete_entries=True
    ),
    "save_grid": lambda u, w: save_grid(
        u(), actor=w["member"], week_start=MONDAY, cells=[GridCell(w["task"].id, 2, "1h", 0)]
    ),
}


@pytest.mark.parametrize("change", LOCKED_CHANGES.values(), ids=LOCKED_CHANGES.keys())
def test_every_change_of_time_in_an_approved_week_is_refused(
    uow, member, manager, admin, task, logged, change
):
    fresh = timelog.log_time(
        uow(), actor=member, task_id=task.id, duration="30m", spent_on=THIS_MONDAY
    )
    approved(uow, member, manager)
    before = timelog.user_entries(
        uow(), actor=member, start=MONDAY, end=THIS_MONDAY + dt.timedelta(days=6)
    )
    world = {"member": member, "admin": admin, "task": task, "entry": logged, "fresh": fresh}
    with pytest.raises(WeekLocked, match="approved, so its time cannot change"):
        change(uow, world)
    after = timelog.user_entries(
        uow(), actor=member, start=MONDAY, end=THIS_MONDAY + dt.timedelta(days=6)
    )
    assert after == before
    assert state(uow, member) == WeekState.APPROVED


def test_timers_never_land_in_an_approved_week(uow, member, manager, task, age_timer):
    weeks.submit_week(uow(), actor=member, week_start=THIS_MONDAY)
    weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=THIS_MONDAY)
    with pytest.raises(WeekLocked):
        timers.start_timer(uow(), actor=member, task_id=task.id)
    assert timers.running_timer(uow(), actor=member) is None


def test_a_timer_started_before_an_approval_cannot_stop_into_it_but_can_be_discarded(
    uow, member, manager, task, age_timer
):
    """Approvals refuse a week with a timer running in it; a timer that started in a week
    approved later anyway (reopened, approved again with the clock moved) stops refused."""
    other = tasks.create_task(uow(), actor=member, title="Next")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h", spent_on=MONDAY)
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=MONDAY)
    timers.start_timer(uow(), actor=member, task_id=task.id)
    age_timer(member.id, dt.timedelta(days=7))  # as if it had started in the approved week
    for attempt in (
        lambda: timers.stop_timer(uow(), actor=member, duration="1h"),
        lambda: timers.start_timer(uow(), actor=member, task_id=other.id),
    ):
        with pytest.raises(WeekLocked):
            attempt()
    assert timers.running_timer(uow(), actor=member).task_id == task.id
    timers.discard_timer(uow(), actor=member)


def test_expected_hours_come_from_the_setting_or_the_persons_own(uow, member, admin, env):
    env(SPRINTSYNC_EXPECTED_WEEK_HOURS="30")
    assert weeks.week_status(uow(), actor=member, week_start=MONDAY).expected_minutes == 1800
    weeks.set_expected_hours(uow(), actor=admin, username="MIA", hours="20h")
    assert weeks.week_status(uow(), actor=member, week_start=MONDAY).expected_minutes == 1200
    weeks.set_expected_hours(uow(), actor=admin, username="mia", hours="")
    assert weeks.week_status(uow(), actor=member, week_start=MONDAY).expected_minutes == 1800
    with pytest.raises(ValidationError, match="between 0 and 168"):
        weeks.set_expected_hours(uow(), actor=admin, username="mia", hours="200h")


def test_the_team_view_shows_every_state_and_who_is_short(
    uow, member, other_member, manager, admin, logged
):
    weeks.submit_week(uow(), actor=member, week_start=MONDAY)
    weeks.set_expected_hours(uow(), actor=admin, username="ada", hours="0")
    seen = {
        w.username: (w.state, w.logged_minutes, w.short)
        for w in weeks.team_weeks(uow(), actor=manager, week_start=MONDAY)
    }
    assert seen == {
        "ada": (WeekState.MISSING, 0, False),  # expected to log nothing: never short
        "manny": (WeekState.MISSING, 0, True),
        "mia": (WeekState.SUBMITTED, 120, True),
        "otto": (WeekState.MISSING, 0, True),
    }
