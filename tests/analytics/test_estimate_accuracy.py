"""Estimate accuracy by person and kind of work, over the real database: the finished tasks'
estimates against their time, and what became of the drafts; then on the Analytics page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from sprintsync.clock import today
from sprintsync.errors import PermissionDenied
from sprintsync.models import AiDraft
from sprintsync.services import ai, analytics, tasks, timelog
from sprintsync.ui.parts.analytics import SECTION_KEY
from tests.ui.page_runner import open_tables

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "analytics.py")
WEEK_AGO, TODAY = today() - dt.timedelta(days=7), today()


@pytest.fixture
def done(uow):
    def make(actor, title, estimate, logged, draft=None, finish=True):
        task = tasks.create_task(
            uow(),
            actor=actor,
            title=title,
            estimate=estimate,
            description=draft.description() if draft else "",
            draft_id=draft.draft_id if draft else None,
        )
        tasks.move_task(uow(), actor=actor, task_id=task.id, to_status="in_progress")
        if logged:
            timelog.log_time(uow(), actor=actor, task_id=task.id, duration=logged)
        if finish:
            tasks.move_task(uow(), actor=actor, task_id=task.id, to_status="done")
        return task

    return make


@pytest.fixture
def history(uow, done, member, other_member):
    done(member, "Checkout crashes when the cart is empty", "2h", "2h15m")  # within 25%
    done(member, "Search returns deleted tasks", "1h", "3h")  # 3x over
    done(member, "Document the CSV export format", "1h", "30m")
    done(other_member, "Nightly build fails on the arm64 runner", "2h", "2h")
    done(member, "Still open", "1h", "1h", finish=False)  # not finished: not counted
    done(member, "No estimate at all", None, "1h")  # no estimate: not counted
    draft = ai.draft_task(uow(), actor=member, title="Export to CSV drops the last row")
    done(member, "Export to CSV drops the last row", draft.estimate_minutes, "3h", draft)
    ai.draft_task(uow(), actor=member, title="Login loops on Safari")  # discarded by the next
    ai.draft_task(uow(), actor=member, title="Login loops on Firefox")  # still open
    return draft.estimate_minutes


def test_accuracy_is_summed_per_person_and_kind_of_work(uow, manager, member, history):
    frame = analytics.estimate_accuracy(uow(), actor=manager, start=WEEK_AGO, end=TODAY)
    found = {(r["user"], r["kind"]): r for r in frame.to_dict("records")}
    bugs, drafted = found[("mia", "bug")], history  # the export task kept its draft's estimate
    assert (bugs["tasks"], bugs["estimate_minutes"]) == (3, 120 + 60 + drafted)
    assert bugs["actual_minutes"] == 135 + 180 + 180
    assert bugs["within"] == 1 + (abs(180 - drafted) <= drafted / 4)
    assert bugs["miss_minutes"] == 15 + 120 + abs(180 - drafted)
    assert (bugs["drafts_kept"], bugs["drafts_edited"], bugs["drafts_discarded"]) == (1, 0, 1)
    docs = found[("mia", "docs")]
    assert (docs["tasks"], docs["actual_minutes"], docs["within"]) == (1, 30, 0)
    assert found[("otto", "ci")]["within"] == 1
    assert set(found) == {("mia", "bug"), ("mia", "docs"), ("otto", "ci")}


def test_a_draft_left_open_for_a_day_counts_as_discarded(uow, manager, history, db_session_factory):
    with db_session_factory() as s:
        s.execute(
            update(AiDraft)
            .where(AiDraft.outcome == "open")
            .values(created_at=AiDraft.created_at - dt.timedelta(hours=25))
        )
        s.commit()
    frame = analytics.estimate_accuracy(
        uow(), actor=manager, start=WEEK_AGO - dt.timedelta(days=1), end=TODAY
    )
    bugs = frame[(frame.user == "mia") & (frame.kind == "bug")].iloc[0]
    assert bugs.drafts_discarded == 2


def test_members_see_their_own_accuracy_only(uow, member, other_member, history):
    mine = analytics.estimate_accuracy(uow(), actor=member, start=WEEK_AGO, end=TODAY)
    assert set(mine.user) == {"mia"}
    with pytest.raises(PermissionDenied):
        analytics.estimate_accuracy(
            uow(), actor=member, start=WEEK_AGO, end=TODAY, user_ids=[other_member.id]
        )


def test_the_analytics_page_draws_estimate_accuracy_with_its_table_and_csv(manager, history):
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["actor"] = manager
    at.session_state[SECTION_KEY] = "Tasks and estimates"
    at.run()
    assert not at.exception
    assert "Estimate accuracy by person and kind of work" in [s.value for s in at.subheader]
    at = open_tables(at)  # a chart's table is drawn when its tab is opened
    [table] = [d.value for d in at.dataframe if "Logged ÷ estimate" in list(d.value.columns)]
    bug = table[(table["Person"] == "mia") & (table["Kind of work"] == "bug")].iloc[0]
    assert bug["Logged ÷ estimate"] == round(495 / (180 + history), 2)
    assert bug["Finished tasks"] == 3
    assert any("estimate-accuracy-csv" in b.proto.id for b in at.get("download_button"))
