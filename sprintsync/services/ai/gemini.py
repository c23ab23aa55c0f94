"""Gemini through the google-genai SDK: one call per suggestion, one retry on transient errors,
JSON answers validated before use. Every failure becomes a ProviderFailure with a reason code.

The SDK's own retries are switched off (HttpRetryOptions(attempts=1)) so that this module owns
the retry policy: at most two attempts, each with the configured timeout. A 429 is retried
after the wait it asks for (its Retry-After header, or Google's RetryInfo retryDelay) when that
wait is at most RETRY_AFTER_MAX_SECONDS; a longer one falls back at once.

Answers are then checked on meaning (draft_checks, plan_rules): drafts with links, commands
or requests for secrets lose those lines, off-topic drafts are refused, estimates far outside
the history are replaced; plans are repaired to the planner's rules or refused.
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
from sprintsync.services.ai.draft_checks import checked_draft
from sprintsync.services.ai.kinds import classify
from sprintsync.services.ai.plan_rules import checked_plan
from sprintsync.services.ai.suggestion import (
    DraftContent,
    DraftRequest,
    PlanContent,
    PlanRequest,
    ProviderFailure,
    Source,
)

log = logging.getLogger("sprintsync.ai")

TRANSIENT_CODES = frozenset({408, 429, 500, 502, 503, 504})
RETRY_DELAY_SECONDS = 0.5
RETRY_AFTER_MAX_SECONDS = 5.0
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
        content = DraftContent(
            goal=_line(answer.goal),
            steps=tuple(_line(step) for step in answer.steps),
            acceptance_criteria=tuple(_line(line) for line in answer.acceptance_criteria),
            estimate_minutes=answer.estimate_minutes,
            kind=request.history.kind if request.history else classify(request.title),
            unsure=plain(answer.unsure),
        )
        return checked_draft(content, request.title, request.history)

    def plan(self, request: PlanRequest) -> PlanContent:
        ordered = planner.priority_order(request.tasks)
        shown = ordered[: prompts.MAX_TASKS_FOR_MODEL]
        answer = self._ask(
            prompts.PLAN_INSTRUCTIONS,
            prompts.plan_prompt(shown, request),
            prompts.PlanAnswer,
            PLAN_MAX_TOKENS,
        )
        assert isinstance(answer, prompts.PlanAnswer)
        entries = [(e.task_id, e.minutes, plain(e.note)) for e in answer.items]
        return checked_plan(entries, _line(answer.tip), request, shown)

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
                wait = retry_after(error)
                if attempt == 1 and _transient(error) and wait <= RETRY_AFTER_MAX_SECONDS:
                    log.info("gemini attempt 1 failed (%s); retrying in %.1f s", failure, wait)
                    time.sleep(wait)
                    continue
                raise failure from error
            # A bad answer is not retried: the same prompt tends to give the same shape.
            return _validated(response, schema)
        raise AssertionError("unreachable")


def retry_after(error: BaseException) -> float:
    """How long a 429 asks us to wait: its Retry-After header (seconds), or the retryDelay of
    Google's RetryInfo in the error body ("7s"); RETRY_DELAY_SECONDS when it says nothing.
    Anything unreadable counts as too long to wait for (inf)."""
    if not isinstance(error, genai_errors.APIError) or error.code != 429:
        return RETRY_DELAY_SECONDS
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    said = headers.get("retry-after") or headers.get("Retry-After")
    if said is None:
        said = _retry_delay(error.details)
    if said is None:
        return RETRY_DELAY_SECONDS
    text = str(said).strip()[:16].removesuffix("s")
    try:
        seconds = float(text)
    except ValueError:
        return float("inf")  # an HTTP date or garbage: not worth waiting for
    return max(0.0, seconds) if seconds == seconds else float("inf")


def _retry_delay(details: Any) -> str | None:
    body = details.get("error", details) if isinstance(details, dict) else {}
    for detail in (body.get("details") if isinstance(body, dict) else None) or []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith("RetryInfo"):
            delay = detail.get("retryDelay")
            return str(delay) if delay is not None else None
    return None


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


_MARKUP = re.compile(r"^\s*(?:[-*•]\s+|\d+[.)]\s+)|\*\*|`|</?[A-Za-z][^>]{0,40}>")


def _line(text: str) -> str:
    """A line of the answer as plain text; one that was only markup (say "**" or "<b>")
    passed the schema's length check but says nothing, which is off-schema."""
    line = plain(text)
    if len(line) < 3:
        raise ProviderFailure("off_schema", "a line of the answer was only markup")
    return line


def plain(text: str) -> str:
    """One line of plain text: no bullets, numbering, Markdown emphasis or tags; line breaks
    and other spacing become single spaces ("Line one\nLine two" is "Line one Line two")."""
    text = " ".join(text.split())  # every kind of whitespace, line breaks included
    text = _MARKUP.sub("", text)
    text = "".join(c for c in text if c.isprintable() or c == " ")
    return " ".join(text.split())
