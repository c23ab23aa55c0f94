import datetime as dt

import pytest

from sprintsync.domain import Status
from sprintsync.errors import Conflict, NotFound, PermissionDenied, ValidationError
from sprintsync.services import audit, tasks, timelog


@pytest.fixture
def task(uow, member):
    return tasks.create_task(
        uow(), actor=member, title="Fix login", description="Safari", estimate="2h"
    )


def test_a_new_task_is_todo_assigned_to_its_creator_with_its_first_event(uow, member, task):
    assert (task.status, task.assignee, task.created_by, task.estimate_minutes) == (
        Status.TODO,
        "mia",
        "mia",
        120,
    )
    assert (task.version, task.total_minutes, task.started_at, task.done_at) == (1, 0, None, None)
    events = tasks.task_history(uow(), actor=member, task_id=task.id)
    assert [(e.from_status, e.to_status) for e in events] == [(None, Status.TODO)]


def test_members_cannot_assign_tasks_to_others(uow, member, other_member):
    with pytest.raises(PermissionDenied, match="assign"):
        tasks.create_task(uow(), actor=member, title="X", assignee_id=other_member.id)


def test_managers_assign_tasks_to_team_members(uow, manager, member):
    task = tasks.create_task(uow(), actor=manager, title="For Mia", assignee_id=member.id)
    assert task.assignee == "mia" and task.created_by == "manny"
    assert tasks.get_task(uow(), actor=member, task_id=task.id).id == task.id


def test_tasks_cannot_be_assigned_to_deactivated_or_missing_users(uow, manager, make_user):
    gone = make_user("gone", active=False)
    with pytest.raises(ValidationError, match="deactivated"):
        tasks.create_task(uow(), actor=manager, title="X", assignee_id=gone.id)
    with pytest.raises(NotFound):
        tasks.create_task(uow(), actor=manager, title="X", assignee_id=999_999)


def test_the_full_status_cycle_keeps_timestamps_and_history_right(uow, member, task):
    started = tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    assert started.started_at is not None and started.done_at is None
    done = tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")
    assert done.done_at is not None and done.started_at == started.started_at
    reopened = tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    assert reopened.done_at is None and reopened.started_at == started.started_at
    back = tasks.move_task(uow(), actor=member, task_id=task.id, to_status="todo")
    assert back.started_at is None and back.status == Status.TODO
    history = tasks.task_history(uow(), actor=member, task_id=task.id)
    assert [e.to_status.value for e in history] == [
        "todo",
        "in_progress",
        "done",
        "in_progress",
        "todo",
    ]
    assert all(e.actor == "mia" for e in history)


@pytest.mark.parametrize(
    ("path", "illegal"), [([], "done"), ([], "todo"), (["in_progress", "done"], "todo")]
)
def test_illegal_moves_are_refused_and_change_nothing(uow, member, task, path, illegal):
    for step in path:
        tasks.move_task(uow(), actor=member, task_id=task.id, to_status=step)
    before = tasks.get_task(uow(), actor=member, task_id=task.id)
    with pytest.raises(ValidationError):
        tasks.move_task(uow(), actor=member, task_id=task.id, to_status=illegal)
    assert tasks.get_task(uow(), actor=member, task_id=task.id) == before


def test_an_update_with_the_current_version_saves_and_bumps_it(uow, member, task):
    updated = tasks.update_task(
        uow(),
        actor=member,
        task_id=task.id,
        expected_version=1,
        title="Fix login on Safari",
        estimate="3h",
        description="",
    )
    assert (updated.title, updated.estimate_minutes, updated.description, updated.version) == (
        "Fix login on Safari",
        180,
        "",
        2,
    )


def test_a_stale_update_is_a_conflict_and_overwrites_nothing(uow, member, task):
    tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, title="First")
    with pytest.raises(Conflict, match="changed by someone else"):
        tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, title="Second")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).title == "First"


def test_an_estimate_can_be_cleared(uow, member, task):
    cleared = tasks.update_task(
        uow(), actor=member, task_id=task.id, expected_version=1, estimate=None
    )
    assert cleared.estimate_minutes is None


def test_bad_updates_are_refused_before_anything_is_written(uow, member, task):
    with pytest.raises(ValidationError):
        tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, title=" ")
    assert tasks.get_task(uow(), actor=member, task_id=task.id).version == 1


def test_members_see_and_change_only_their_own_tasks(uow, member, other_member, task):
    with pytest.raises(PermissionDenied):
        tasks.get_task(uow(), actor=other_member, task_id=task.id)
    with pytest.raises(PermissionDenied):
        tasks.move_task(uow(), actor=other_member, task_id=task.id, to_status="in_progress")
    with pytest.raises(PermissionDenied):
        tasks.update_task(
            uow(), actor=other_member, task_id=task.id, expected_version=1, title="Mine now"
        )
    with pytest.raises(PermissionDenied):
        tasks.delete_task(uow(), actor=other_member, task_id=task.id)
    with pytest.raises(PermissionDenied):
        tasks.list_tasks(uow(), actor=other_member, everyone=True)


def test_managers_read_but_do_not_change_others_tasks(uow, manager, task):
    assert tasks.get_task(uow(), actor=manager, task_id=task.id).id == task.id
    assert task.id in [t.id for t in tasks.list_tasks(uow(), actor=manager, everyone=True).items]
    with pytest.raises(PermissionDenied):
        tasks.move_task(uow(), actor=manager, task_id=task.id, to_status="in_progress")
    with pytest.raises(PermissionDenied):
        timelog.log_time(uow(), actor=manager, task_id=task.id, duration="1h")


def test_admins_may_change_anyones_task(uow, admin, task):
    moved = tasks.move_task(uow(), actor=admin, task_id=task.id, to_status="in_progress")
    assert moved.status == Status.IN_PROGRESS


def test_missing_tasks_are_not_found(uow, member):
    with pytest.raises(NotFound, match="#424242"):
        tasks.get_task(uow(), actor=member, task_id=424242)


def test_listing_filters_by_status_and_text_and_pages(uow, member, other_member):
    for i in range(7):
        tasks.create_task(uow(), actor=member, title=f"Write docs part {i}")
    special = tasks.create_task(uow(), actor=member, title="Fix 100% CPU_usage")
    tasks.create_task(uow(), actor=other_member, title="Write docs elsewhere")
    tasks.move_task(uow(), actor=member, task_id=special.id, to_status="in_progress")

    page = tasks.list_tasks(uow(), actor=member, search="docs", per_page=3, page=2)
    assert (page.total, page.pages, len(page.items)) == (7, 3, 3)
    assert all("docs" in t.title and t.assignee == "mia" for t in page.items)
    assert [t.id for t in tasks.list_tasks(uow(), actor=member, status="in_progress").items] == [
        special.id
    ]
    # LIKE wildcards in the search are taken literally
    assert [t.id for t in tasks.list_tasks(uow(), actor=member, search="100%").items] == [
        special.id
    ]
    assert tasks.list_tasks(uow(), actor=member, search="U_age").total == 0


def test_deleting_a_task_with_time_needs_confirmation_and_is_audited(uow, member, admin, task):
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="45m")
    with pytest.raises(Conflict, match="1 time entry"):
        tasks.delete_task(uow(), actor=member, task_id=task.id)
    assert tasks.get_task(uow(), actor=member, task_id=task.id)
    tasks.delete_task(uow(), actor=member, task_id=task.id, delete_entries=True)
    with pytest.raises(NotFound):
        tasks.get_task(uow(), actor=member, task_id=task.id)
    record = audit.list_audit(uow(), actor=admin, action="task.delete").items[0]
    assert record.details == {"title": "Fix login", "entries_deleted": 1, "minutes_deleted": 45}


def test_every_task_change_writes_one_audit_row(uow, member, admin, task):
    tasks.update_task(uow(), actor=member, task_id=task.id, expected_version=1, title="T2")
    tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    actions = [e.action for e in audit.list_audit(uow(), actor=admin, action="task.").items]
    assert actions == ["task.move", "task.update", "task.create"]


def test_a_move_is_dated_when_it_took_the_task_not_when_its_transaction_began(
    uow, db_session_factory, member, task
):
    """now() is the transaction's start: a stale tab's reopen, begun before someone else's
    finish but locking after it, would be dated before the finish it undoes."""
    import datetime as dt
    import time

    from sqlalchemy import func, select

    from sprintsync.models import TaskEvent

    with db_session_factory() as s:
        began = s.scalar(select(func.now()))  # the test's one transaction began here
    time.sleep(0.05)
    tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    done = tasks.move_task(uow(), actor=member, task_id=task.id, to_status="done")
    with db_session_factory() as s:
        stamps = s.scalars(
            select(TaskEvent.at)
            .where(TaskEvent.task_id == task.id, TaskEvent.from_status.is_not(None))
            .order_by(TaskEvent.id)
        ).all()
    assert stamps[0] - began >= dt.timedelta(milliseconds=50)
    assert stamps[0] < stamps[1] == done.done_at
    assert done.started_at == stamps[0]


@pytest.mark.parametrize(
    ("order", "titles"),
    [
        ("newest", ["charlie", "Bravo", "alpha"]),
        ("oldest", ["alpha", "Bravo", "charlie"]),
        ("title", ["alpha", "Bravo", "charlie"]),  # case does not split the alphabet
        ("changed", ["alpha", "charlie", "Bravo"]),  # alpha moved last
    ],
)
def test_a_listing_keeps_the_order_asked_for(uow, member, order, titles):
    made = [tasks.create_task(uow(), actor=member, title=t) for t in ("alpha", "Bravo", "charlie")]
    tasks.move_task(uow(), actor=member, task_id=made[0].id, to_status="in_progress")
    listed = tasks.list_tasks(uow(), actor=member, sort=order).items
    assert [t.title for t in listed] == titles


def test_newest_first_does_not_move_a_task_that_changes(uow, member):
    made = [tasks.create_task(uow(), actor=member, title=t) for t in ("one", "two")]
    before = [t.id for t in tasks.list_tasks(uow(), actor=member, sort="newest").items]
    tasks.move_task(uow(), actor=member, task_id=made[0].id, to_status="in_progress")
    timelog.log_time(uow(), actor=member, task_id=made[0].id, duration="1h")
    assert [t.id for t in tasks.list_tasks(uow(), actor=member, sort="newest").items] == before


def test_an_unknown_order_is_refused(uow, member):
    with pytest.raises(ValidationError, match="Unknown order; choose one of newest, oldest"):
        tasks.list_tasks(uow(), actor=member, sort="random()")


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"everyone": True},
        {"everyone": True, "status": "in_progress"},
        {"everyone": True, "tag": "ops"},
        {"everyone": True, "search": "docs"},
        {"everyone": True, "priority": "high", "due": "overdue"},
        {"tag": "ops", "status": ["todo", "in_progress"]},
    ],
    ids=repr,
)
def test_the_total_counts_exactly_the_tasks_listed(uow, manager, member, filters):
    # The total is counted on tasks alone (task_query.count_of), the list read with its joins.
    past = dt.date.today() - dt.timedelta(days=3)
    for i in range(4):
        tasks.create_task(uow(), actor=member, title=f"docs {i}", tags=["ops"] if i % 2 else [])
    tasks.create_task(uow(), actor=manager, title="Plan docs", priority="high", due=past)
    tasks.create_task(uow(), actor=manager, title="Unassigned", tags=["ops"], assignee_id=None)
    moved = tasks.create_task(uow(), actor=member, title="Started", tags=["ops"])
    tasks.move_task(uow(), actor=member, task_id=moved.id, to_status="in_progress")
    page = tasks.list_tasks(uow(), actor=manager, per_page=100, **filters)
    assert page.total == len(page.items) > 0
    assert tasks.list_tasks(uow(), actor=manager, per_page=1, **filters).total == page.total
