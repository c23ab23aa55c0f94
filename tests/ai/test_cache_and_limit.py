"""The cache and the per-user rate limit, visible in the metrics."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from sprintsync.errors import RateLimited
from sprintsync.models import AiCacheEntry
from sprintsync.services import ai, tasks, timelog
from tests.ai.gemini_fake import GOOD_DRAFT, json_response

TITLE = "Fix login redirect loop on Safari"
PLAN = {"items": [], "tip": "Take a break."}


def test_an_identical_draft_request_is_served_from_the_cache(uow, member, fake_gemini, ai_count):
    fake_gemini.will(json_response(GOOD_DRAFT))
    hits = ai_count("draft", "cache", "hit")

    first = ai.draft_task(uow(), actor=member, title=TITLE)
    again = ai.draft_task(uow(), actor=member, title="  fix LOGIN redirect   loop on safari ")

    assert len(fake_gemini.calls) == 1
    assert (again.source, again.cached, again.goal) == ("gemini", True, first.goal)
    assert ai_count("draft", "cache", "hit") == hits + 1


def test_other_context_is_another_request(uow, member, fake_gemini):
    fake_gemini.will(json_response(GOOD_DRAFT), json_response(GOOD_DRAFT))
    ai.draft_task(uow(), actor=member, title=TITLE)
    assert not ai.draft_task(uow(), actor=member, title=TITLE, context="Mobile only").cached
    assert len(fake_gemini.calls) == 2


def test_cached_answers_expire_after_the_cache_minutes(
    uow, member, fake_gemini, db_session_factory
):
    def minutes_pass(minutes: int) -> None:
        with db_session_factory() as s:
            s.execute(
                update(AiCacheEntry).values(
                    expires_at=AiCacheEntry.expires_at - dt.timedelta(minutes=minutes)
                )
            )
            s.commit()

    fake_gemini.will(json_response(GOOD_DRAFT), json_response(GOOD_DRAFT))

    ai.draft_task(uow(), actor=member, title=TITLE)
    minutes_pass(59)
    assert ai.draft_task(uow(), actor=member, title=TITLE).cached
    minutes_pass(2)
    assert not ai.draft_task(uow(), actor=member, title=TITLE).cached
    assert len(fake_gemini.calls) == 2


def test_zero_cache_minutes_turns_the_cache_off(uow, member, fake_gemini, env):
    env(SPRINTSYNC_AI_CACHE_MINUTES="0")
    fake_gemini.will(json_response(GOOD_DRAFT), json_response(GOOD_DRAFT))
    ai.draft_task(uow(), actor=member, title=TITLE)
    ai.draft_task(uow(), actor=member, title=TITLE)
    assert len(fake_gemini.calls) == 2


def test_fallback_answers_are_not_cached_so_gemini_is_asked_again(uow, member, fake_gemini):
    fake_gemini.will(ConnectionError("down"), ConnectionError("down"), json_response(GOOD_DRAFT))
    assert ai.draft_task(uow(), actor=member, title=TITLE).reason == "network"
    assert ai.draft_task(uow(), actor=member, title=TITLE).source == "gemini"


def test_the_plan_cache_is_per_user_and_follows_their_open_tasks(
    uow, member, other_member, fake_gemini, ai_count
):
    task = tasks.create_task(uow(), actor=member, title="Fix login redirect loop", estimate="2h")
    tasks.create_task(uow(), actor=other_member, title="Otto's task", estimate="1h")
    fake_gemini.will(*[json_response(PLAN)] * 4)
    hits = ai_count("plan", "cache", "hit")

    assert not ai.plan_day(uow(), actor=member).cached
    assert ai.plan_day(uow(), actor=member).cached
    assert not ai.plan_day(uow(), actor=other_member).cached  # Otto has his own plan
    timelog.log_time(uow(), actor=member, task_id=task.id, duration="30m")
    assert not ai.plan_day(uow(), actor=member).cached  # logged time changes what is left
    tasks.move_task(uow(), actor=member, task_id=task.id, to_status="in_progress")
    assert not ai.plan_day(uow(), actor=member).cached

    assert len(fake_gemini.calls) == 4
    assert ai_count("plan", "cache", "hit") == hits + 1


def test_past_the_rate_limit_a_request_is_refused_without_a_call(
    uow, member, other_member, fake_gemini, env, ai_count
):
    env(SPRINTSYNC_AI_RATE_PER_MINUTE="3")
    fake_gemini.will(*[json_response(GOOD_DRAFT)] * 4)
    limited = ai_count("draft", "none", "rate_limited")

    for n in range(3):
        ai.draft_task(uow(), actor=member, title=f"Safari redirect loop, case {n}")
    with pytest.raises(RateLimited, match=r"3 drafts and plans in the last minute.*try again in"):
        ai.draft_task(uow(), actor=member, title="Safari redirect loop, one more")

    assert len(fake_gemini.calls) == 3
    assert ai_count("draft", "none", "rate_limited") == limited + 1
    # The limit is per user, and cached answers count as requests too.
    assert ai.draft_task(uow(), actor=other_member, title="Safari redirect loop, case 0").cached
    with pytest.raises(RateLimited):
        ai.plan_day(uow(), actor=member)


def test_the_rate_limit_applies_offline_too(uow, member, env, ai_count):
    env(SPRINTSYNC_AI_RATE_PER_MINUTE="1")
    limited = ai_count("plan", "none", "rate_limited")
    ai.plan_day(uow(), actor=member)
    with pytest.raises(RateLimited, match=r"asked for 1 draft or plan in the last minute"):
        ai.plan_day(uow(), actor=member)
    assert ai_count("plan", "none", "rate_limited") == limited + 1


def test_latency_is_observed_per_mode_and_source(uow, member, fake_gemini):
    from sprintsync import metrics

    def observed(source):
        labels = {"mode": "draft", "source": source}
        return metrics.REGISTRY.get_sample_value("sprintsync_ai_request_seconds_count", labels) or 0

    before = {s: observed(s) for s in ("gemini", "cache", "fallback")}
    fake_gemini.will(json_response(GOOD_DRAFT))
    ai.draft_task(uow(), actor=member, title=TITLE)
    ai.draft_task(uow(), actor=member, title=TITLE)
    assert observed("gemini") == before["gemini"] + 1
    assert observed("cache") == before["cache"] + 1
    assert observed("fallback") == before["fallback"]
