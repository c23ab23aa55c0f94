"""What the AI helpers exchange: requests in, content from a provider, a Suggestion out.

Every provider (Gemini, the offline fallback) implements SuggestionProvider; a provider that
cannot answer raises ProviderFailure with one of the REASONS codes, and the caller falls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from sprintsync.domain import Status, format_duration

Mode = Literal["draft", "plan"]
Source = Literal["gemini", "fallback"]

# Why an answer came from the offline helper. The codes are metric label values (a fixed set),
# the texts finish the caption "Drafted by the offline helper (...)".
REASONS: dict[str, str] = {
    "no_key": "no Gemini API key is set",
    "no_open_tasks": "you have no open tasks",
    "timeout": "Gemini did not answer in time",
    "quota": "Gemini's rate limit was reached",
    "server_error": "Gemini had a server error",
    "client_error": "Gemini refused the request",
    "network": "Gemini could not be reached",
    "empty": "Gemini gave an empty answer",
    "malformed": "Gemini's answer was not valid JSON",
    "off_schema": "Gemini's answer did not have the expected shape",
    "too_long": "Gemini's answer was too long",
    "unexpected": "calling Gemini failed unexpectedly",
}


class ProviderFailure(Exception):
    """A provider could not give a usable answer; `reason` is a key of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        assert reason in REASONS, reason
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class DraftRequest:
    title: str
    context: str = ""


@dataclass(frozen=True, slots=True)
class OpenTask:
    """One of the user's open tasks as the planners see it."""

    id: int
    title: str
    status: Status
    estimate_minutes: int | None
    logged_minutes: int
    age_days: int

    @property
    def remaining_minutes(self) -> int | None:
        if self.estimate_minutes is None:
            return None
        return self.estimate_minutes - self.logged_minutes


@dataclass(frozen=True, slots=True)
class PlanRequest:
    tasks: tuple[OpenTask, ...]
    focus_minutes: int


@dataclass(frozen=True, slots=True)
class DraftContent:
    goal: str
    steps: tuple[str, ...]
    acceptance_criteria: tuple[str, ...]
    estimate_minutes: int


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A task in the plan: `minutes` is today's time box, or for "later" what is left of it
    (None when it has no estimate)."""

    task_id: int
    title: str
    status: Status
    minutes: int | None
    note: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "title": self.title,
            "status": self.status.value,
            "minutes": self.minutes,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class PlanContent:
    items: tuple[PlanItem, ...]
    later: tuple[PlanItem, ...]
    tip: str


class SuggestionProvider(Protocol):
    source: Source

    def draft(self, request: DraftRequest) -> DraftContent: ...

    def plan(self, request: PlanRequest) -> PlanContent: ...


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An answer for the UI or CLI, always plain text. Draft fields are empty for a plan and
    plan fields empty for a draft."""

    mode: Mode
    source: Source
    reason: str | None
    latency_seconds: float
    cached: bool = False
    goal: str = ""
    steps: tuple[str, ...] = ()
    acceptance_criteria: tuple[str, ...] = ()
    estimate_minutes: int | None = None
    items: tuple[PlanItem, ...] = ()
    later: tuple[PlanItem, ...] = ()
    tip: str = ""
    focus_minutes: int = 0

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None

    @property
    def planned_minutes(self) -> int:
        return sum(item.minutes or 0 for item in self.items)

    @property
    def attribution(self) -> str:
        """'Drafted by Gemini' or 'Planned by the offline helper (no Gemini API key is set)'."""
        verb = "Drafted" if self.mode == "draft" else "Planned"
        if self.source == "gemini":
            return f"{verb} by Gemini"
        return f"{verb} by the offline helper ({self.reason_text or 'no reason given'})"

    def description(self) -> str:
        """The draft as text for a task's description field."""
        steps = "\n".join(f"{n}. {step}" for n, step in enumerate(self.steps, 1))
        criteria = "\n".join(f"- {line}" for line in self.acceptance_criteria)
        return f"Goal: {self.goal}\n\nSteps:\n{steps}\n\nAcceptance criteria:\n{criteria}"

    def as_text(self) -> str:
        """The whole suggestion for a terminal."""
        if self.mode == "draft":
            estimate = format_duration(self.estimate_minutes)
            return f"{self.description()}\n\nEstimate: {estimate}\n\n{self.attribution}."
        lines = [
            f"Plan for today: {format_duration(self.planned_minutes)} of "
            f"{format_duration(self.focus_minutes)} focus time"
        ]
        lines += [_plan_line(item) for item in self.items] or ["  (nothing planned)"]
        if self.later:
            lines += ["", "Later:"] + [_plan_line(item) for item in self.later]
        lines += ["", f"Tip: {self.tip}", "", f"{self.attribution}."]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        common = {
            "mode": self.mode,
            "source": self.source,
            "reason": self.reason,
            "reason_text": self.reason_text,
            "cached": self.cached,
            "latency_ms": round(self.latency_seconds * 1000, 1),
        }
        if self.mode == "draft":
            return common | {
                "goal": self.goal,
                "steps": list(self.steps),
                "acceptance_criteria": list(self.acceptance_criteria),
                "estimate_minutes": self.estimate_minutes,
                "description": self.description(),
            }
        return common | {
            "focus_minutes": self.focus_minutes,
            "planned_minutes": self.planned_minutes,
            "items": [item.as_json() for item in self.items],
            "later": [item.as_json() for item in self.later],
            "tip": self.tip,
        }


def _plan_line(item: PlanItem) -> str:
    box = format_duration(item.minutes) if item.minutes is not None else "?"
    note = f"  ({item.note})" if item.note else ""
    return f"  {box:>6}  #{item.task_id} {item.title}{note}"
