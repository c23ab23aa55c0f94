"""Sprint figures from the ledger: planned, added, removed, done, carried over, the burndown
and velocity; and a closed sprint's figures never move, whatever happens to its tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from sprintsync import clock
from sprintsync.errors import PermissionDenied
from sprintsync.models import Sprint, SprintChange
from sprintsync.services import analytics, projects, sprints, tasks

TODAY = dt.date.today()


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


class Ledger:
    """Dates what the services just wrote to the ledger, to script a sprint's past."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions
        self.mark = self._last()

    def _last(self) -> int:
        with self._sessions() as s:
            return int(s.scalar(select(func.coalesce(func.max(SprintChange.id), 0))))

    def stamp(self, offset: int, hour: int) -> None:
        """Date every ledger row written since the last stamp at that day and hour."""
        when = dt.datetime.combine(day(offset), dt.time(hour), clock.tz())
        with self._sessions() as s:
            s.execute(update(SprintChange).where(SprintChange.id > self.mark).values(at=when))
            s.commit()
        self.mark = self._last()

    def dates(self, sprint_id: int, start: int, end: int) -> None:
        """Time passes: the sprint ran from `start` to `end` (days from today)."""
        with self._sessions() as s:
            s.execute(
                update(Sprint)
                .where(Sprint.id == sprint_id)
                .values(starts_on=day(start), ends_on=day(end))
            )
            s.commit()


@pytest.fixture
def ledger(db_session_factory) -> Ledger:
    return Ledger(db_session_factory)


@pytest.fixture
def history(uow, manager, member, ledger):
    """Sprint 1 of WEB ran from 20 to 7 days ago; Sprint 2 runs now.

    Three tasks were planned into Sprint 1 the day before it started (A 4h, B 2h, C 1h);
    D (3h) was added on its fifth day; A was done on day 8; B re-estimated to 5h on day 10;
    C taken out on day 11."""
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    first = sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="Sprint 1", starts_on=day(30),
        ends_on=day(43),
    )  # fmt: skip
    second = sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="Sprint 2", starts_on=day(-6),
        ends_on=day(7),
    )  # fmt: skip

    def task(title: str, estimate: str) -> int:
        made = tasks.create_task(
            uow(), actor=member, title=title, estimate=estimate, project_id=web.id,
            sprint_id=first.id,
        )  # fmt: skip
        return made.id

    ids = {name: task(name, est) for name, est in [("A", "4h"), ("B", "2h"), ("C", "1h")]}
    ledger.stamp(-21, 16)
    ids["D"] = task("D", "3h")
    ledger.stamp(-16, 10)
    tasks.move_task(uow(), actor=member, task_id=ids["A"], to_status="in_progress")
    tasks.move_task(uow(), actor=member, task_id=ids["A"], to_status="done")
    ledger.stamp(-13, 11)
    tasks.update_task(uow(), actor=member, task_id=ids["B"], expected_version=1, estimate="5h")
    ledger.stamp(-11, 9)
    tasks.move_to_sprint(uow(), actor=member, task_id=ids["C"], sprint_id=None)
    ledger.stamp(-10, 12)
    ledger.dates(first.id, -20, -7)
    return {"web": web, "first": first, "second": second, **ids}


def tallies(report) -> dict[str, tuple[int, int]]:
    names = ("planned", "added", "removed", "done", "open", "carried")
    return {n: (getattr(report, n).tasks, getattr(report, n).minutes) for n in names}


def test_a_closed_sprints_report_reads_its_start_and_its_end(uow, member, history):
    report = analytics.sprint_report(uow(), actor=member, sprint_id=history["first"].id)
    assert report.sprint.state == "closed" and report.next_sprint == "Sprint 2"
    assert tallies(report) == {
        "planned": (3, 420),  # A, B, C as estimated then
        "added": (1, 180),  # D
        "removed": (1, 60),  # C
        "done": (1, 240),  # A
        "open": (2, 480),  # B (re-estimated to 5h) and D
        "carried": (2, 480),
    }


def test_the_burndown_follows_each_day_of_the_sprint(uow, member, history):
    burndown = analytics.sprint_report(uow(), actor=member, sprint_id=history["first"].id).burndown
    assert list(burndown["day"]) == [day(i) for i in range(-20, -6)]
    by_day = burndown.set_index("day")
    expected = {  # day: (scope, done, remaining) at the end of that day
        -20: (420, 0, 420),
        -16: (600, 0, 600),  # D added
        -13: (600, 240, 360),  # A done
        -11: (780, 240, 540),  # B re-estimated
        -10: (720, 240, 480),  # C taken out
        -7: (720, 240, 480),
    }
    for offset, figures in expected.items():
        row = by_day.loc[day(offset)]
        assert (row.scope_minutes, row.done_minutes, row.remaining_minutes) == figures, offset
    assert burndown["ideal_minutes"].iloc[0] == 420  # the plan, falling evenly
    assert burndown["ideal_minutes"].iloc[1] == round(420 * 12 / 13)
    assert burndown["ideal_minutes"].iloc[-1] == 0


def test_what_happens_after_a_sprint_closed_never_changes_its_figures(
    uow, member, admin, history, ledger
):
    before = analytics.sprint_report(uow(), actor=member, sprint_id=history["first"].id).as_json()
    for name in ("B", "D"):  # carried over into the next sprint, and worked on there
        tasks.move_to_sprint(
            uow(), actor=member, task_id=history[name], sprint_id=history["second"].id
        )
    ledger.stamp(-6, 9)  # the next sprint's planning day
    tasks.update_task(uow(), actor=member, task_id=history["D"], expected_version=2, estimate="10h")
    tasks.move_task(uow(), actor=member, task_id=history["A"], to_status="in_progress")  # reopened
    tasks.delete_task(uow(), actor=admin, task_id=history["C"])
    tasks.move_to_sprint(uow(), actor=member, task_id=history["A"], sprint_id=history["second"].id)
    after = analytics.sprint_report(uow(), actor=member, sprint_id=history["first"].id).as_json()
    assert after == before
    second = analytics.sprint_report(uow(), actor=member, sprint_id=history["second"].id)
    assert tallies(second)["planned"] == (2, 300 + 180)  # B and D, carried in on day one
    assert tallies(second)["added"] == (1, 240)  # A, moved in later
    assert tallies(second)["open"] == (3, 300 + 600 + 240)


def test_velocity_counts_the_estimate_done_in_each_closed_sprint(uow, member, history):
    rows = analytics.velocity(uow(), actor=member, project_id=history["web"].id)
    assert rows.to_dict(orient="records") == [
        {
            "sprint": "Sprint 1",
            "starts_on": day(-20),
            "ends_on": day(-7),
            "planned_minutes": 420,
            "done_minutes": 240,
            "done_tasks": 1,
        }
    ]


def test_velocity_shows_the_last_sprints_only(uow, manager, member, ledger, db_session_factory):
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    with db_session_factory() as s:
        for n in range(8):  # eight closed two-week sprints, oldest first
            start = day(-16 * (8 - n))
            s.execute(
                text(
                    "INSERT INTO sprints (project_id, name, starts_on, ends_on) "
                    "VALUES (:p, :n, :a, :b)"
                ),
                {"p": web.id, "n": f"S{n + 1}", "a": start, "b": start + dt.timedelta(days=13)},
            )
        s.commit()
    rows = analytics.velocity(uow(), actor=member, project_id=web.id)
    assert list(rows["sprint"]) == ["S3", "S4", "S5", "S6", "S7", "S8"]
    assert list(analytics.velocity(uow(), actor=member, project_id=web.id, last=2)["sprint"]) == [
        "S7",
        "S8",
    ]


def test_a_planned_sprints_plan_is_what_it_holds_now(uow, manager, member):
    web = projects.create_project(uow(), actor=manager, key="WEB", name="Website")
    later = sprints.create_sprint(
        uow(), actor=manager, project_id=web.id, name="Later", starts_on=day(5), ends_on=day(18)
    )
    for estimate in ("1h", "2h"):
        tasks.create_task(
            uow(), actor=member, title="T", estimate=estimate, project_id=web.id, sprint_id=later.id
        )
    report = analytics.sprint_report(uow(), actor=member, sprint_id=later.id)
    assert tallies(report)["planned"] == (2, 180) and tallies(report)["added"] == (0, 0)
    assert report.burndown["scope_minutes"].isna().all()  # nothing to show before it starts
    table = analytics.project_sprints(uow(), actor=member, project_id=web.id)
    assert table[["sprint", "state", "planned_tasks", "open_minutes"]].to_dict("records") == [
        {"sprint": "Later", "state": "planned", "planned_tasks": 2, "open_minutes": 180}
    ]


def test_a_member_cannot_read_the_sprints_of_an_archived_project(uow, manager, member):
    old = projects.create_project(uow(), actor=manager, key="OLD", name="Legacy")
    sprint = sprints.create_sprint(
        uow(), actor=manager, project_id=old.id, name="Last", starts_on=day(0), ends_on=day(3)
    )
    projects.archive_project(uow(), actor=manager, project_id=old.id)
    with pytest.raises(PermissionDenied):
        analytics.sprint_report(uow(), actor=member, sprint_id=sprint.id)
    assert analytics.sprint_report(uow(), actor=manager, sprint_id=sprint.id).sprint.name == "Last"


LATEST = """
SELECT sprint_id, task_id, estimate_minutes, done FROM (
    SELECT DISTINCT ON (sprint_id, task_id) * FROM sprint_changes
    ORDER BY sprint_id, task_id, at DESC, id DESC
) latest WHERE in_sprint
"""
NOW = (
    "SELECT sprint_id, id, estimate_minutes, status = 'done' FROM tasks WHERE sprint_id IS NOT NULL"
)
ledger_ops = st.lists(
    st.one_of(
        st.tuples(st.just("sprint"), st.integers(0, 3), st.integers(0, 2)),
        st.tuples(st.just("estimate"), st.integers(0, 3), st.sampled_from([None, 30, 60, 90])),
        st.tuples(st.just("status"), st.integers(0, 3), st.sampled_from(["todo", "done"])),
        st.tuples(st.just("all"), st.integers(0, 2)),  # one statement moving every task
        st.tuples(st.just("delete"), st.integers(0, 3)),
        st.tuples(st.just("new"), st.integers(0, 2)),
    ),
    max_size=20,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=ledger_ops)
def test_the_ledgers_latest_rows_are_always_the_tasks_as_they_are(db_session_factory, member, ops):
    """Whoever writes tasks (one row or many per statement), each sprint's latest ledger rows
    say which tasks are in it now, with their estimate and whether they are done."""
    with db_session_factory() as probe:
        connection = probe.get_bind()
    savepoint = connection.begin_nested()
    try:
        with db_session_factory() as s:
            project = s.scalar(
                text("INSERT INTO projects (key, name) VALUES ('LED', 'L') RETURNING id")
            )
            ids = [
                s.scalar(
                    text(
                        "INSERT INTO sprints (project_id, name, starts_on, ends_on) "
                        "VALUES (:p, :n, :a, :a) RETURNING id"
                    ),
                    {"p": project, "n": f"S{i}", "a": day(i)},
                )
                for i in range(2)
            ]
            places = [None, *ids]

            def new(place: int) -> int:
                return s.scalar(
                    text(
                        "INSERT INTO tasks (title, created_by_id, project_id, sprint_id) "
                        "VALUES ('T', :u, :p, :s) RETURNING id"
                    ),
                    {"u": member.id, "p": project, "s": places[place]},
                )

            task_ids = [new(i % 3) for i in range(4)]
            for kind, *args in ops:
                target = task_ids[args[0] % len(task_ids)] if task_ids else None
                if kind == "new":
                    task_ids.append(new(args[0]))
                elif target is None:
                    continue
                elif kind == "sprint":
                    s.execute(
                        text("UPDATE tasks SET sprint_id = :s WHERE id = :t"),
                        {"s": places[args[1]], "t": target},
                    )
                elif kind == "estimate":
                    s.execute(
                        text("UPDATE tasks SET estimate_minutes = :e WHERE id = :t"),
                        {"e": args[1], "t": target},
                    )
                elif kind == "status":
                    s.execute(
                        text("UPDATE tasks SET status = :v WHERE id = :t"),
                        {"v": args[1], "t": target},
                    )
                elif kind == "all":
                    s.execute(
                        text("UPDATE tasks SET sprint_id = :s WHERE project_id = :p"),
                        {"s": places[args[0]], "p": project},
                    )
                elif kind == "delete":
                    s.execute(text("DELETE FROM tasks WHERE id = :t"), {"t": target})
                    task_ids.remove(target)
            assert set(s.execute(text(LATEST)).all()) == set(s.execute(text(NOW)).all())
    finally:
        savepoint.rollback()
