"""Gemini through the google-genai SDK: one call per suggestion, one retry on transient errors,
JSON answers validated before use. Every failure becomes a ProviderFailure with a reason code.

The SDK's own retries are switched off (HttpRetryOptions(attempts=1)) so that this module owns
the retry policy: at most two attempts, each with the configured timeout.
"""

from __future__ import annotations

import importlib
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError

from sprintsync.config import Settings
from sprintsync.services.ai import planner, prompts
from sprintsync.services.ai.suggestion import (
    DraftContent,
    DraftRequest,
    OpenTask,
    PlanContent,
    PlanItem,
    PlanRequest,
    ProviderFailure,
    Source,
)

log = logging.getLogger("sprintsync.ai")

TRANSIENT_CODES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_DELAY_SECONDS = 0.5
DRAFT_MAX_TOKENS = 1024
PLAN_MAX_TOKENS = 2048
# Models whose thinking can be switched off: a plan or a draft does not need it, and thinking
# tokens would eat into the timeout and the output budget.
NO_THINKING_PREFIXES = ("gemini-2.5-flash",)


def _transport_errors() -> tuple[tuple[type[BaseException], ...], tuple[type[BaseException], ...]]:
    """(timeouts, other transport errors) of whichever httpx the installed SDK uses."""
    timeouts: list[type[BaseException]] = [TimeoutError]
    transport: list[type[BaseException]] = [ConnectionError]
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        transport.append(module.TransportError)
    return tuple(timeouts), tuple(transport)


TIMEOUT_ERRORS, TRANSPORT_ERRORS = _transport_errors()


def make_client(settings: Settings) -> Any:
    """The SDK client. Tests replace this function with one returning a fake client."""
    return genai.Client(
        api_key=settings.ai_api_key,
        http_options=types.HttpOptions(
            timeout=int(settings.gemini_timeout_seconds * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),
        ),
    )


_clients: dict[tuple[str | None, float], Any] = {}
_clients_lock = threading.Lock()


def shared_client(settings: Settings) -> Any:
    """One client per key and timeout, so connections are reused between requests."""
    key = (settings.ai_api_key, settings.gemini_timeout_seconds)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = make_client(settings)
        return _clients[key]


def forget_clients() -> None:
    with _clients_lock:
        _clients.clear()


class GeminiProvider:
    source: Source = "gemini"

    def __init__(self, settings: Settings, client_for: Callable[[Settings], Any] = shared_client):
        self._settings = settings
        self._client_for = client_for

    def draft(self, request: DraftRequest) -> DraftContent:
        answer = self._ask(
            prompts.DRAFT_INSTRUCTIONS,
            prompts.draft_prompt(request),
            prompts.DraftAnswer,
            DRAFT_MAX_TOKENS,
        )
        assert isinstance(answer, prompts.DraftAnswer)
        return DraftContent(
            goal=_line(answer.goal),
            steps=tuple(_line(step) for step in answer.steps),
            acceptance_criteria=tuple(_line(line) for line in answer.acceptance_criteria),
            estimate_minutes=answer.estimate_minutes,
        )

    def plan(self, request: PlanRequest) -> PlanContent:
        ordered = planner.priority_order(request.tasks)
        shown = ordered[: prompts.MAX_TASKS_FOR_MODEL]
        answer = self._ask(
            prompts.PLAN_INSTRUCTIONS,
            prompts.plan_prompt(shown, request.focus_minutes),
            prompts.PlanAnswer,
            PLAN_MAX_TOKENS,
        )
        assert isinstance(answer, prompts.PlanAnswer)
        return _plan_from_answer(answer, ordered, shown, request.focus_minutes)

    def _ask(
        self, instructions: str, prompt: str, schema: type[BaseModel], max_tokens: int
    ) -> BaseModel:
        settings = self._settings
        config = types.GenerateContentConfig(
            system_instruction=instructions,
            response_mime_type="application/json",
            response_schema=schema,
            temperature=0.3,
            max_output_tokens=max_tokens,
            thinking_config=(
                types.ThinkingConfig(thinking_budget=0)
                if settings.gemini_model.startswith(NO_THINKING_PREFIXES)
                else None
            ),
        )
        client = self._client_for(settings)
        for attempt in (1, 2):
            try:
                response = client.models.generate_content(
                    model=settings.gemini_model, contents=prompt, config=config
                )
            except Exception as error:  # sorted into reasons; nothing raw reaches the caller
                failure = _as_failure(error)
                if attempt == 1 and _transient(error):
                    log.info("gemini attempt 1 failed (%s); retrying once", failure)
                    time.sleep(RETRY_DELAY_SECONDS)
                    continue
                raise failure from error
            # A bad answer is not retried: the same prompt tends to give the same shape.
            return _validated(response, schema)
        raise AssertionError("unreachable")


def _transient(error: BaseException) -> bool:
    if isinstance(error, genai_errors.APIError):
        return error.code in TRANSIENT_CODES
    return isinstance(error, TIMEOUT_ERRORS + TRANSPORT_ERRORS)


def _as_failure(error: BaseException) -> ProviderFailure:
    if isinstance(error, ProviderFailure):
        return error
    if isinstance(error, genai_errors.APIError):
        detail = f"HTTP {error.code} {error.status or ''}".strip()
        if error.code == 429:
            return ProviderFailure("quota", detail)
        if error.code in (408, 504):
            return ProviderFailure("timeout", detail)
        if isinstance(error, genai_errors.ServerError) or (error.code or 0) >= 500:
            return ProviderFailure("server_error", detail)
        return ProviderFailure("client_error", detail)
    if isinstance(error, TIMEOUT_ERRORS):
        return ProviderFailure("timeout", type(error).__name__)
    if isinstance(error, TRANSPORT_ERRORS):
        return ProviderFailure("network", type(error).__name__)
    return ProviderFailure("unexpected", type(error).__name__)


def _validated(response: Any, schema: type[BaseModel]) -> BaseModel:
    candidates = getattr(response, "candidates", None) or []
    finish = getattr(candidates[0], "finish_reason", None) if candidates else None
    if finish is not None and getattr(finish, "name", str(finish)) == "MAX_TOKENS":
        raise ProviderFailure("too_long", "stopped at the output token limit")
    text = response.text if candidates else None
    if not text or not text.strip():
        raise ProviderFailure("empty", f"finish reason {finish}")
    if len(text) > prompts.MAX_ANSWER_CHARS:
        raise ProviderFailure("too_long", f"{len(text)} characters")
    try:
        return schema.model_validate_json(text)
    except SchemaError as error:
        kinds = sorted({e["type"] for e in error.errors()})
        # Error types and locations only: the values could echo the user's text.
        where = ", ".join(".".join(map(str, e["loc"])) for e in error.errors()[:5])
        if "json_invalid" in kinds or "json_type" in kinds:
            raise ProviderFailure("malformed", ", ".join(kinds)) from None
        if {"string_too_long", "too_long"} & set(kinds):
            raise ProviderFailure("too_long", where) from None
        raise ProviderFailure("off_schema", f"{', '.join(kinds)} at {where}") from None


def _plan_from_answer(
    answer: prompts.PlanAnswer,
    ordered: list[OpenTask],
    shown: list[OpenTask],
    focus_minutes: int,
) -> PlanContent:
    """Trust Gemini's boxes and tip, but not its ids or arithmetic; titles come from our data."""
    by_id = {task.id: task for task in shown}
    ids = [entry.task_id for entry in answer.items]
    if unknown := sorted(set(ids) - set(by_id)):
        raise ProviderFailure("off_schema", f"{len(unknown)} unknown task ids")
    if len(ids) != len(set(ids)):
        raise ProviderFailure("off_schema", "a task planned twice")
    total = sum(entry.minutes for entry in answer.items)
    if total > focus_minutes:
        raise ProviderFailure("off_schema", f"{total} minutes planned of {focus_minutes}")
    items = [
        PlanItem(
            e.task_id, by_id[e.task_id].title, by_id[e.task_id].status, e.minutes, plain(e.note)
        )
        for e in answer.items
    ]
    # In-progress work first whatever the model's order; otherwise its order stands.
    items.sort(key=lambda item: item.status.value != "in_progress")
    planned = set(ids)
    later = tuple(
        PlanItem(t.id, t.title, t.status, t.remaining_minutes)
        for t in ordered
        if t.id not in planned
    )
    return PlanContent(tuple(items), later, _line(answer.tip))


_MARKUP = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)|\*\*|`|</?[A-Za-z][^>]{0,40}>")


def _line(text: str) -> str:
    """A line of the answer as plain text; one that was only markup (say "**" or "<b>")
    passed the schema's length check but says nothing, which is off-schema."""
    line = plain(text)
    if len(line) < 3:
        raise ProviderFailure("off_schema", "a line of the answer was only markup")
    return line


def plain(text: str) -> str:
    """One line of plain text: no bullets, numbering, Markdown emphasis or tags."""
    text = _MARKUP.sub("", text)
    text = "".join(c for c in text if c.isprintable() or c == " ")
    return re.sub(r"\s+", " ", text).strip()
