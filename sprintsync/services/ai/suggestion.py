"""What the AI helpers exchange: requests in, content from a provider, a Suggestion out.

Every provider (Gemini, the offline fallback) implements SuggestionProvider; a provider that
cannot answer raises ProviderFailure with one of the REASONS codes, and the caller falls back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sprintsync.domain import Status, format_duration
from sprintsync.planning import Priority

if TYPE_CHECKING:
    from sprintsync.services.ai.history import History

Mode = Literal["draft", "plan"]
Source = Literal["gemini", "fallback"]  # who answered (a metric label): Gemini or offline
Basis = Literal["gemini", "history", "rules"]  # what the UI names as the source

# Why an answer came from the offline helper. The codes are metric label values (a fixed set),
# the texts finish captions such as "Drafted by rules (...)".
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
    "off_topic": "Gemini's draft was not about this task",
    "unsafe": "Gemini's draft held links, commands or requests for secrets",
    "plan_rules": "Gemini's plan broke the planning rules",
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
    history: History | None = None


@dataclass(frozen=True, slots=True)
class OpenTask:
    """One of the user's open tasks as the planners see it."""

    id: int
    title: str
    status: Status
    estimate_minutes: int | None
    logged_minutes: int
    age_days: int
    priority: Priority = Priority.NORMAL
    due_date: dt.date | None = None
    blocked: bool = False

    @property
    def remaining_minutes(self) -> int | None:
        if self.estimate_minutes is None:
            return None
        return self.estimate_minutes - self.logged_minutes


@dataclass(frozen=True, slots=True)
class PlanRequest:
    tasks: tuple[OpenTask, ...]
    focus_minutes: int  # the person's focus time for a whole day
    logged_today: int = 0  # minutes they already logged today
    day: dt.date | None = None  # today, for due dates

    @property
    def available(self) -> int:
        return max(0, self.focus_minutes - self.logged_today)


@dataclass(frozen=True, slots=True)
class DraftContent:
    goal: str
    steps: tuple[str, ...]
    acceptance_criteria: tuple[str, ...]
    estimate_minutes: int
    kind: str = "general"
    unsure: str = ""  # Gemini's own doubt, in its words ("" when it is sure)
    flags: tuple[str, ...] = ()  # what the checks changed in Gemini's answer


@dataclass(frozen=True, slots=True)
class PlanItem:
    """A task in the plan: `minutes` is today's time box, or for "later" what is left of it
    (None when it has no estimate); `note` says why (for "later", starting with the reason:
    did not fit, lower priority or blocked)."""

    task_id: int
    title: str
    status: Status
    minutes: int | None
    note: str = ""
    priority: Priority = Priority.NORMAL
    due_date: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "title": self.title,
            "status": self.status.value,
            "minutes": self.minutes,
            "note": self.note,
            "priority": self.priority.value,
            "due": self.due_date.isoformat() if self.due_date else None,
        }


@dataclass(frozen=True, slots=True)
class Split:
    """A task too big for one day, and how to split it."""

    task_id: int
    title: str
    remaining_minutes: int
    parts: int
    part_minutes: int

    @property
    def text(self) -> str:
        return (
            f"#{self.task_id} {self.title} has {format_duration(self.remaining_minutes)} left, "
            f"more than a day's focus: split it into {self.parts} tasks of about "
            f"{format_duration(self.part_minutes)}, each one finishable in a day."
        )


@dataclass(frozen=True, slots=True)
class PlanContent:
    items: tuple[PlanItem, ...]
    later: tuple[PlanItem, ...]
    tip: str
    splits: tuple[Split, ...] = ()
    flags: tuple[str, ...] = ()


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
    kind: str = ""  # a draft's kind of work (kinds.KINDS)
    evidence: str = ""  # what the estimate rests on, in a sentence
    estimate_low: int | None = None
    estimate_high: int | None = None
    grounded: bool = False  # drawn from enough of the team's finished work
    draft_id: int | None = None  # the record of this draft (ai_drafts), for create_task
    flags: tuple[str, ...] = ()
    unsure: str = ""
    splits: tuple[Split, ...] = ()
    logged_today: int = 0

    @property
    def reason_text(self) -> str | None:
        return REASONS.get(self.reason) if self.reason else None

    @property
    def planned_minutes(self) -> int:
        return sum(item.minutes or 0 for item in self.items)

    @property
    def available_minutes(self) -> int:
        return max(0, self.focus_minutes - self.logged_today)

    @property
    def basis(self) -> Basis:
        """Who wrote it: Gemini, the offline helper from the team's history, or its rules."""
        if self.source == "gemini":
            return "gemini"
        return "history" if self.grounded and self.mode == "draft" else "rules"

    @property
    def attribution(self) -> str:
        """'Drafted by Gemini', 'Drafted from your team's history (no Gemini API key is
        set)', 'Planned by rules (you have no open tasks)'."""
        verb = "Drafted" if self.mode == "draft" else "Planned"
        why = f" ({self.reason_text or 'no reason given'})"
        if self.basis == "gemini":
            return f"{verb} by Gemini" + (", given your team's history" if self.grounded else "")
        if self.basis == "history":
            return f"{verb} from your team's history{why}"
        return f"{verb} by rules{why}"

    def description(self) -> str:
        """The draft as text for a task's description field."""
        steps = "\n".join(f"{n}. {step}" for n, step in enumerate(self.steps, 1))
        criteria = "\n".join(f"- {line}" for line in self.acceptance_criteria)
        return f"Goal: {self.goal}\n\nSteps:\n{steps}\n\nAcceptance criteria:\n{criteria}"

    @property
    def estimate_range(self) -> str:
        """'1h30m-3h' when the history gives one, else ''."""
        if self.estimate_low is None or self.estimate_high is None:
            return ""
        return f"{format_duration(self.estimate_low)}-{format_duration(self.estimate_high)}"

    @property
    def capacity_line(self) -> str:
        line = (
            f"Today: {format_duration(self.planned_minutes)} planned of "
            f"{format_duration(self.available_minutes)} available"
        )
        if self.logged_today:
            line += (
                f" ({format_duration(self.focus_minutes)} focus time, "
                f"{format_duration(self.logged_today)} already logged today)"
            )
        else:
            line += f" ({format_duration(self.focus_minutes)} focus time)"
        return line

    def as_text(self) -> str:
        """The whole suggestion for a terminal."""
        notes = [f"Checked: {flag}" for flag in self.flags]
        if self.unsure:
            notes.append(f"Gemini is unsure: {self.unsure}")
        if self.mode == "draft":
            estimate = format_duration(self.estimate_minutes)
            if self.estimate_range:
                estimate += f" (range {self.estimate_range})"
            lines = [self.description(), "", f"Estimate: {estimate}", self.evidence, *notes]
            return "\n".join([*filter(None, lines), "", f"{self.attribution}."])
        lines = [self.capacity_line]
        lines += [_plan_line(item) for item in self.items] or ["  (nothing planned)"]
        if self.later:
            lines += ["", "Later:"] + [_plan_line(item) for item in self.later]
        if self.splits:
            lines += ["", "Too big for a day:"] + [f"  {split.text}" for split in self.splits]
        lines += ["", f"Tip: {self.tip}", *notes, "", f"{self.attribution}."]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        common = {
            "mode": self.mode,
            "source": self.source,
            "basis": self.basis,
            "attribution": self.attribution,
            "reason": self.reason,
            "reason_text": self.reason_text,
            "cached": self.cached,
            "latency_ms": round(self.latency_seconds * 1000, 1),
            "flags": list(self.flags),
            "unsure": self.unsure,
        }
        if self.mode == "draft":
            return common | {
                "kind": self.kind,
                "goal": self.goal,
                "steps": list(self.steps),
                "acceptance_criteria": list(self.acceptance_criteria),
                "estimate_minutes": self.estimate_minutes,
                "estimate_low": self.estimate_low,
                "estimate_high": self.estimate_high,
                "evidence": self.evidence,
                "draft_id": self.draft_id,
                "description": self.description(),
            }
        return common | {
            "focus_minutes": self.focus_minutes,
            "logged_today": self.logged_today,
            "available_minutes": self.available_minutes,
            "planned_minutes": self.planned_minutes,
            "items": [item.as_json() for item in self.items],
            "later": [item.as_json() for item in self.later],
            "splits": [
                {"task_id": x.task_id, "parts": x.parts, "part_minutes": x.part_minutes}
                for x in self.splits
            ],
            "tip": self.tip,
        }


def _plan_line(item: PlanItem) -> str:
    box = format_duration(item.minutes) if item.minutes is not None else "?"
    note = f"  ({item.note})" if item.note else ""
    return f"  {box:>6}  #{item.task_id} {item.title}{note}"
