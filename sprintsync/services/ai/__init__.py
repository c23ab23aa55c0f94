"""AI suggestions: draft a task from its title, plan the day from the user's open tasks.

Both entry points always answer with a Suggestion: from Gemini when a key is set and the call
works, otherwise from the deterministic offline helper, with `reason` saying why. Problems with
the model never raise. What does raise are domain errors, shown like any other
(ui.show_errors, the CLI's exit codes): ValidationError for an empty title, AuthError for a
deactivated user, and RateLimited past SPRINTSYNC_AI_RATE_PER_MINUTE requests a minute, which
is raised before any call is made (a refusal is not a suggestion; a Suggestion carrying an
error would let callers show it as one, and the CLI would exit 0).

Drafts are grounded in the team's history (history.py: similar finished tasks by full-text
search, their actual time, the person's usual ratio of actual time to estimate), for Gemini
(as context in the prompt) and offline alike, and each draft shown is recorded (outcomes.py)
so the task created from it can tell whether it was kept or edited. Plans use priorities, due
dates, blocked tags, the person's focus hours (preferences.py) less the time logged today.

Gemini answers are cached for SPRINTSYNC_AI_CACHE_MINUTES (drafts by title, context and the
history shown, plans per user and keyed on the state of their open tasks and the capacity);
offline answers are cheap and not cached.
The cache and the rate limit live in PostgreSQL (guards), shared by every replica.
Every request is counted in sprintsync_ai_requests_total{mode,source,outcome} (source gemini,
fallback, cache or none; outcome ok, hit, rate_limited or the fallback reason) and timed in
sprintsync_ai_request_seconds; each is logged without the user's text.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import replace

from sprintsync import metrics
from sprintsync.clock import today, tz
from sprintsync.config import Settings, get_settings
from sprintsync.db import UnitOfWork
from sprintsync.domain import Status, clean_text, clean_title
from sprintsync.errors import RateLimited
from sprintsync.services import preferences
from sprintsync.services import tasks as tasks_service
from sprintsync.services.ai import guards, outcomes
from sprintsync.services.ai.fallback import FallbackProvider
from sprintsync.services.ai.history import History, find_history
from sprintsync.services.ai.planner import BLOCKED_TAGS
from sprintsync.services.ai.suggestion import (
    DraftContent,
    DraftRequest,
    Mode,
    OpenTask,
    PlanContent,
    PlanItem,
    PlanRequest,
    ProviderFailure,
    Source,
    Suggestion,
    SuggestionProvider,
)
from sprintsync.services.ai.titles import read_title
from sprintsync.services.common import acting_user
from sprintsync.services.views import Actor, TaskView

__all__ = ["CONTEXT_MAX", "PlanItem", "Suggestion", "choose_provider", "draft_task", "plan_day"]

log = logging.getLogger("sprintsync.ai")

CONTEXT_MAX = 2000
FALLBACK = FallbackProvider()

Content = DraftContent | PlanContent


def choose_provider(settings: Settings) -> SuggestionProvider:
    """The one place that picks the provider: Gemini with a key, the offline helper without."""
    if not settings.ai_api_key:
        return FALLBACK
    # Imported here: google.genai takes about a second to import, which the CLI and a
    # keyless app need not pay.
    from sprintsync.services.ai.gemini import GeminiProvider

    return GeminiProvider(settings)


def draft_task(uow: UnitOfWork, *, actor: Actor, title: str, context: str = "") -> Suggestion:
    """A goal, 2-5 steps, acceptance criteria and an estimate for a task called `title`,
    grounded in the team's finished work; recorded as this person's open draft."""
    started = time.perf_counter()
    settings = get_settings()
    request = DraftRequest(
        clean_title(title), clean_text(context, field="Context", max_len=CONTEXT_MAX)
    )
    with uow:
        me = acting_user(uow.session, actor)
    _check_rate(uow, "draft", me, settings)
    with uow:
        history = find_history(uow.session, me, read_title(request.title))
    request = replace(request, history=history)
    key = (
        "draft",
        settings.gemini_model,
        " ".join(request.title.split()).casefold(),
        request.context,
        _fingerprint(history),
    )
    suggestion = _suggest(uow, "draft", key, lambda p: p.draft(request), started, settings)
    suggestion = replace(
        suggestion,
        kind=suggestion.kind or history.kind,
        evidence=history.evidence,
        estimate_low=history.low,
        estimate_high=history.high,
        grounded=history.grounded,
    )
    with uow:
        draft_id = outcomes.record_draft(uow.session, me, suggestion, request.title)
        uow.commit()
    return replace(suggestion, draft_id=draft_id)


def _fingerprint(history: History) -> tuple[object, ...]:
    """What of the history reaches Gemini: who may read which similar task changes it."""
    return (
        history.ratio,
        tuple((s.task_id, s.actual_minutes, s.kind) for s in history.similar),
    )


def plan_day(uow: UnitOfWork, *, actor: Actor) -> Suggestion:
    """Today's plan from the actor's open tasks, within their focus hours less the time they
    already logged today."""
    started = time.perf_counter()
    settings = get_settings()
    with uow:
        me = acting_user(uow.session, actor)
    _check_rate(uow, "plan", me, settings)
    views = tasks_service.all_tasks(uow, actor=actor, status=(Status.TODO, Status.IN_PROGRESS))
    day = today()
    with uow:
        focus = preferences.focus_minutes(uow.session, me.id)
        logged = preferences.logged_on(uow.session, me.id, day)
    request = PlanRequest(tuple(_open_task(view, day) for view in views), focus, logged, day)
    key = (
        "plan",
        actor.id,
        day,
        request.focus_minutes,
        request.logged_today,
        settings.gemini_model,
        tuple(
            sorted(
                (v.id, v.version, v.status, v.estimate_minutes, v.total_minutes, v.tags)
                for v in views
            )
        ),
    )
    return _suggest(
        uow,
        "plan",
        key,
        lambda p: p.plan(request),
        started,
        settings,
        focus_minutes=request.focus_minutes,
        logged_today=request.logged_today,
        offline_reason=None if views else "no_open_tasks",
    )


def _open_task(view: TaskView, day: dt.date) -> OpenTask:
    return OpenTask(
        id=view.id,
        title=view.title,
        status=view.status,
        estimate_minutes=view.estimate_minutes,
        logged_minutes=view.total_minutes,
        age_days=max(0, (day - view.created_at.astimezone(tz()).date()).days),
        priority=view.priority,
        due_date=view.due_date,
        blocked=bool(BLOCKED_TAGS & {tag.casefold() for tag in view.tags}),
    )


def _check_rate(uow: UnitOfWork, mode: Mode, actor: Actor, settings: Settings) -> None:
    try:
        guards.check_rate(uow, actor.id, settings.ai_rate_per_minute)
    except RateLimited:
        metrics.ai_requests.labels(mode=mode, source="none", outcome="rate_limited").inc()
        log.info("ai %s: rate limited user_id=%d", mode, actor.id)
        raise


def _suggest(
    uow: UnitOfWork,
    mode: Mode,
    key: Hashable,
    ask: Callable[[SuggestionProvider], Content],
    started: float,
    settings: Settings,
    *,
    focus_minutes: int = 0,
    logged_today: int = 0,
    offline_reason: str | None = None,
) -> Suggestion:
    ttl = settings.ai_cache_minutes * 60
    if offline_reason is None and (hit := guards.cached(uow, key, ttl)) is not None:
        suggestion = replace(hit, cached=True, latency_seconds=time.perf_counter() - started)
        _record(mode, "cache", "hit", suggestion)
        return suggestion
    provider = FALLBACK if offline_reason else choose_provider(settings)
    reason = offline_reason or (None if provider.source == "gemini" else "no_key")
    content: Content | None = None
    if provider is not FALLBACK:
        try:
            content = ask(provider)
        except ProviderFailure as failure:
            reason = failure.reason
            log.warning("ai %s: gemini failed, using the offline helper: %s", mode, failure)
        except Exception:  # a bug on our side of the call must not cost the user an answer
            reason = "unexpected"
            log.exception("ai %s: gemini call failed unexpectedly", mode)
    source: Source = "gemini" if content is not None else "fallback"
    if content is None:
        content = ask(FALLBACK)
    suggestion = _suggestion(mode, content, source, reason, started, focus_minutes, logged_today)
    if source == "gemini":
        guards.remember(uow, key, suggestion, ttl)
    _record(mode, source, reason or "ok", suggestion)
    return suggestion


def _suggestion(
    mode: Mode,
    content: Content,
    source: Source,
    reason: str | None,
    started: float,
    focus_minutes: int,
    logged_today: int,
) -> Suggestion:
    latency = time.perf_counter() - started
    if isinstance(content, DraftContent):
        return Suggestion(
            mode=mode,
            source=source,
            reason=reason,
            latency_seconds=latency,
            goal=content.goal,
            steps=content.steps,
            acceptance_criteria=content.acceptance_criteria,
            estimate_minutes=content.estimate_minutes,
            kind=content.kind,
            flags=content.flags,
            unsure=content.unsure,
        )
    return Suggestion(
        mode=mode,
        source=source,
        reason=reason,
        latency_seconds=latency,
        items=content.items,
        later=content.later,
        tip=content.tip,
        focus_minutes=focus_minutes,
        logged_today=logged_today,
        splits=content.splits,
        flags=content.flags,
    )


def _record(mode: Mode, source: str, outcome: str, suggestion: Suggestion) -> None:
    metrics.ai_requests.labels(mode=mode, source=source, outcome=outcome).inc()
    metrics.ai_request_seconds.labels(mode=mode, source=source).observe(suggestion.latency_seconds)
    log.info(
        "ai %s: source=%s outcome=%s latency_ms=%.0f reason=%s",
        mode,
        source,
        outcome,
        suggestion.latency_seconds * 1000,
        suggestion.reason or "-",
    )
