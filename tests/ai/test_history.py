"""Drafts grounded in the team's own finished work, over the real database: full-text search
for similar tasks, the estimate from what they took, the person's usual overrun, what a
member may see of other people's tasks, and the record of each draft's fate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintsync.models import AiDraft
from sprintsync.services import ai, tasks, timelog

STEPS = (
    "Steps:\n1. Reproduce the redirect loop in a private window\n"
    "2. Check the SameSite attribute of the session cookie\n3. Add a regression test"
)


@pytest.fixture
def finish(uow):
    """finish(actor, title, estimate, logged, description="", tags=()): a finished task."""

    def make(actor, title, estimate, logged, description="", tags=(), done=True):
        task = tasks.create_task(
            uow(), actor=actor, title=title, estimate=estimate, description=description, tags=tags
        )
        tasks.move_task(uow(), actor=actor, task_id=task.id, to_status="in_progress")
        if logged:
            timelog.log_time(
                uow(), actor=actor, task_id=task.id, duration=logged, spent_on="2026-01-05"
            )
        if done:
            tasks.move_task(uow(), actor=actor, task_id=task.id, to_status="done")
        return task.id

    return make


@pytest.fixture
def login_history(finish, member, other_member):
    """Three finished login bugs of Mia's and two of Otto's, and unrelated work."""
    ids = {
        "safari": finish(member, "Fix login redirect loop on Safari", "2h", "2h", STEPS),
        "cookie": finish(member, "Login fails after the session cookie expires", "1h", "1h30m"),
        "sso": finish(member, "Login broken for SSO users", "2h", "3h"),
        "otto1": finish(other_member, "Login page crashes on Firefox", "2h", "4h"),
        "otto2": finish(other_member, "Login rejects valid passwords", "1h", "1h"),
    }
    finish(member, "Write the release notes", "1h", "1h30m")
    finish(member, "Login redirect loop in Edge", "1h", None, done=False)  # not finished
    return ids


def test_a_draft_rests_on_similar_finished_tasks_and_says_so(uow, member, login_history):
    draft = ai.draft_task(uow(), actor=member, title="Login loops back to the sign-in page")

    assert (draft.source, draft.basis, draft.kind) == ("fallback", "history", "bug")
    assert draft.grounded
    assert draft.attribution == "Drafted from your team's history (no Gemini API key is set)"
    # 1h, 1h30m, 2h, 3h, 4h: median 2h, quartiles 1h30m and 3h; Mia ran 1.0x, 1.5x, 1.5x
    # over her own estimates (median 1.5x), so the range is scaled by 1.5.
    assert draft.evidence == (
        "5 similar finished tasks took 1h30m-3h (median 2h); you usually run 1.5x over your "
        "estimates, so 2h15m-4h30m is suggested."
    )
    assert (draft.estimate_low, draft.estimate_minutes, draft.estimate_high) == (135, 180, 270)
    text = draft.description()
    assert f"#{login_history['safari']} “Fix login redirect loop on Safari” (2h)" in text
    # Its own steps, where the kind's steps open with other verbs ("Reproduce", "Check"...).
    assert f"As on #{login_history['safari']}: Add a regression test" in text
    assert "Write the release notes" not in text and "Edge" not in text


def test_a_member_learns_from_others_figures_but_never_sees_their_titles(
    uow, member, other_member, manager, login_history
):
    mine = ai.draft_task(uow(), actor=member, title="Login loops back to the sign-in page")
    assert "5 similar finished tasks" in mine.evidence  # Otto's count in the figures
    assert "Firefox" not in mine.description() and "valid passwords" not in mine.description()

    lead = ai.draft_task(uow(), actor=manager, title="Login loops back to the sign-in page")
    assert "Login page crashes on Firefox" in lead.description()  # managers read everyone's


def test_without_similar_work_the_draft_says_so_and_uses_the_kind_of_work(uow, member):
    draft = ai.draft_task(uow(), actor=member, title="Nightly build fails on the arm64 runner")
    assert (draft.basis, draft.kind, draft.grounded) == ("rules", "ci", False)
    assert draft.evidence == (
        "No finished tasks like this one yet (0 found, 3 needed), so the estimate is a "
        "typical size for CI/build work."
    )
    assert draft.attribution == "Drafted by rules (no Gemini API key is set)"
    assert draft.estimate_minutes == 150


def test_tags_count_as_words_of_the_work(uow, member, finish):
    for n in range(3):
        finish(member, f"Quarterly statement shows wrong sums {n}", "1h", "45m", tags=["invoicing"])
    draft = ai.draft_task(uow(), actor=member, title="Invoicing totals differ from the export")
    assert draft.grounded
    assert draft.evidence.startswith("3 similar finished tasks took 45m-45m")


def test_each_draft_is_recorded_and_a_new_one_discards_the_last(uow, member, db_session_factory):
    first = ai.draft_task(uow(), actor=member, title="Export to CSV drops the last row")
    second = ai.draft_task(uow(), actor=member, title="Export to CSV drops the first row")
    with db_session_factory() as s:
        rows = {d.id: d for d in s.scalars(select(AiDraft))}
    assert rows[first.draft_id].outcome == "discarded"
    assert rows[second.draft_id].outcome == "open"
    assert (rows[second.draft_id].kind, rows[second.draft_id].source) == ("bug", "rules")
    assert rows[second.draft_id].description == second.description()


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({}, "kept"),
        ({"prefix": "Only on Windows.\n\n"}, "kept"),  # their own words above the draft
        ({"estimate": "5h"}, "edited"),
        ({"title": "Export to XLSX drops the last row"}, "edited"),
        ({"description": "Rewritten entirely"}, "edited"),
    ],
)
def test_a_task_created_from_a_draft_records_whether_it_was_kept_or_edited(
    uow, member, db_session_factory, change, outcome
):
    title = "Export to CSV drops the last row"
    draft = ai.draft_task(uow(), actor=member, title=title)
    description = change.get("description", change.get("prefix", "") + draft.description())
    task = tasks.create_task(
        uow(),
        actor=member,
        title=change.get("title", title),
        description=description,
        estimate=change.get("estimate", draft.estimate_minutes),
        draft_id=draft.draft_id,
    )
    with db_session_factory() as s:
        row = s.get(AiDraft, draft.draft_id)
    assert (row.task_id, row.outcome) == (task.id, outcome)
    assert row.decided_at is not None


def test_someone_elses_or_a_used_draft_id_is_ignored_and_the_task_still_saved(
    uow, member, other_member, db_session_factory
):
    draft = ai.draft_task(uow(), actor=member, title="Export to CSV drops the last row")
    theirs = tasks.create_task(uow(), actor=other_member, title="Mine", draft_id=draft.draft_id)
    first = tasks.create_task(uow(), actor=member, title="Export", draft_id=draft.draft_id)
    again = tasks.create_task(uow(), actor=member, title="Again", draft_id=draft.draft_id)
    with db_session_factory() as s:
        row = s.get(AiDraft, draft.draft_id)
    assert row.task_id == first.id
    assert {theirs.title, again.title} == {"Mine", "Again"}
