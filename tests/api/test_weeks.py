"""A week through the API, checked in the database behind it: cells set in one transaction,
submitted, approved by a manager, and then every change refused with 409 and the service's
own words."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sprintsync.clock import today
from sprintsync.errors import WeekLocked
from sprintsync.models import TimeEntry
from sprintsync.services import tasks, timelog, timesheet_grid, weeks
from sprintsync.services.timesheet_views import GridCell
from tests.api.conftest import V1, bearer

DAY = today().weekday()


def _minutes(db_session_factory, user_id: int) -> int:
    with db_session_factory() as s:
        return int(
            s.scalar(select(func.sum(TimeEntry.minutes)).where(TimeEntry.user_id == user_id)) or 0
        )


def test_a_script_sets_cells_submits_and_a_manager_approves_the_week(
    client, uow, member, manager, token_for, db_session_factory
):
    task = tasks.create_task(uow(), actor=member, title="Grid")
    h = bearer(token_for(member))
    url = f"{V1}/timesheets/{today()}"
    saved = client.put(
        f"{url}/cells",
        json={"cells": [{"task_id": task.id, "day": DAY, "duration": "1h30m"}]},
        headers=h,
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["cells_changed"] == 1 and saved.json()["entries_added"] == 1
    assert _minutes(db_session_factory, member.id) == 90
    submitted = client.post(f"{url}/submit", headers=h)
    assert submitted.json()["state"] == "submitted"
    state = client.get(f"{url}/state?user_id={member.id}", headers=bearer(token_for(manager)))
    assert state.json()["logged_minutes"] == 90
    approved = client.post(
        f"{url}/approve",
        json={"user_id": member.id, "version": state.json()["version"]},
        headers=bearer(token_for(manager)),
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    assert weeks.week_status(uow(), actor=member, week_start=today()).locked


def test_a_manager_sends_a_week_back_with_a_comment_its_person_reads(
    client, uow, member, manager, token_for
):
    tasks.create_task(uow(), actor=member, title="Grid")
    weeks.submit_week(uow(), actor=member, week_start=today())
    url = f"{V1}/timesheets/{today()}"
    back = client.post(
        f"{url}/return",
        json={"user_id": member.id, "comment": "Tuesday is missing."},
        headers=bearer(token_for(manager)),
    )
    assert back.json()["state"] == "returned"
    mine = client.get(f"{url}/state", headers=bearer(token_for(member, "read"))).json()
    assert mine["state"] == "returned" and mine["comment"] == "Tuesday is missing."


def _same_change_by_the_service(uow, member, task_id: int, change: str) -> None:
    if change == "submit":
        weeks.submit_week(uow(), actor=member, week_start=today())
    elif change == "cells":
        grid = [GridCell(task_id, DAY, "3h", 60)]
        timesheet_grid.save_grid(uow(), actor=member, week_start=today(), cells=grid)
    else:
        timelog.log_time(uow(), actor=member, task_id=task_id, duration="30m")


REQUESTS = {
    "cells": lambda tid: (
        "PUT",
        f"/timesheets/{today()}/cells",
        {"cells": [{"task_id": tid, "day": DAY, "duration": "3h", "was": 60}]},
    ),
    "log": lambda tid: ("POST", "/time-entries", {"task_id": tid, "duration": "30m"}),
    "submit": lambda tid: ("POST", f"/timesheets/{today()}/submit", None),
}


@pytest.mark.parametrize("change", sorted(REQUESTS))
def test_an_approved_week_refuses_every_change_with_409_and_the_services_message(
    client, uow, member, manager, token_for, db_session_factory, change
):
    task = tasks.create_task(uow(), actor=member, title="Locked")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="1h")
    weeks.submit_week(uow(), actor=member, week_start=today())
    weeks.approve_week(uow(), actor=manager, user_id=member.id, week_start=today())
    method, path, body = REQUESTS[change](task.id)
    answer = client.request(method, V1 + path, json=body, headers=bearer(token_for(member)))
    with pytest.raises(WeekLocked) as said:
        _same_change_by_the_service(uow, member, task.id, change)
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
    assert answer.json()["error"]["message"] == str(said.value)
    assert _minutes(db_session_factory, member.id) == 60


def test_a_cell_changed_since_it_was_read_is_409_and_saves_nothing(
    client, uow, member, token_for, db_session_factory
):
    task = tasks.create_task(uow(), actor=member, title="Raced")
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="2h")
    stale = {"task_id": task.id, "day": DAY, "duration": "3h", "was": 60}
    answer = client.put(
        f"{V1}/timesheets/{today()}/cells",
        json={"cells": [stale]},
        headers=bearer(token_for(member)),
    )
    assert answer.status_code == 409, answer.text
    assert "changed elsewhere" in answer.json()["error"]["message"]
    assert _minutes(db_session_factory, member.id) == 120


@pytest.mark.parametrize(
    "body",
    [
        {"cells": []},
        {"cells": [{"task_id": 1, "day": 7, "duration": "1h"}]},
        {"cells": [{"task_id": 1, "day": 0, "duration": "1h", "extra": 1}]},
        {"cells": [{"task_id": "1", "day": 0, "duration": "1h"}]},
    ],
)
def test_malformed_cells_are_422_and_change_nothing(
    client, member, token_for, db_session_factory, body
):
    answer = client.put(
        f"{V1}/timesheets/{today()}/cells", json=body, headers=bearer(token_for(member))
    )
    assert answer.status_code == 422
    assert _minutes(db_session_factory, member.id) == 0
