"""The offline helper: deterministic drafts and plans, no network. Not AI, and not called so:
a draft is written from the team's history when there is enough of it ("history"), from the
kind of work otherwise ("rules").

A draft reads the title (titles.py: prefixes, symptoms, questions), names its kind of work
(kinds.py) and writes that kind's goal, steps and acceptance criteria (kind_texts.py), quoting
the title rather than bending it into a sentence. With history (history.py), the estimate is
the similar tasks' median actual time and the steps start from how they were done.
"""

from __future__ import annotations

import math

from sprintsync.services.ai import history as hist
from sprintsync.services.ai.kind_texts import LARGE_WORDS, SMALL_WORDS, TEXTS, KindText
from sprintsync.services.ai.kinds import classify
from sprintsync.services.ai.planner import plan_day as _plan_day
from sprintsync.services.ai.suggestion import (
    DraftContent,
    DraftRequest,
    PlanContent,
    PlanRequest,
    Source,
)
from sprintsync.services.ai.titles import ReadTitle, read_title

STEPS_MAX = 5


class FallbackProvider:
    source: Source = "fallback"

    def draft(self, request: DraftRequest) -> DraftContent:
        return draft_from_title(request.title, request.context, request.history)

    def plan(self, request: PlanRequest) -> PlanContent:
        return _plan_day(request)


def draft_from_title(
    title: str, context: str = "", history: hist.History | None = None
) -> DraftContent:
    read = read_title(title)
    kind = history.kind if history else classify(read)
    text = TEXTS[kind]
    quoted = f"“{_shown(read)}”"
    steps = list(text.steps)
    extra = _extra(text, read, context)
    if extra:
        steps.insert(len(steps) - 1, extra)
    if history and history.readable:
        steps = _from_history(steps, history)
    return DraftContent(
        goal=text.goal.format(title=quoted),
        steps=tuple(steps[:STEPS_MAX]),
        acceptance_criteria=text.criteria,
        estimate_minutes=_estimate(text, read, context, history),
        kind=kind,
    )


def _shown(read: ReadTitle) -> str:
    """The title as it is quoted: without its tags, with a question's question mark and
    without a statement's full stop."""
    shown = read.text.rstrip(" .!")
    return shown[:1].upper() + shown[1:] if shown[:1].islower() else shown


def _extra(text: KindText, read: ReadTitle, context: str) -> str | None:
    words = read.word_set | frozenset(w.strip(".,;:!?()").lower() for w in context.split()[:200])
    for cue, step in text.extras:
        if cue & words:
            return step
    return None


def _from_history(steps: list[str], history: hist.History) -> list[str]:
    """Start from how similar finished work was done: a step naming it, and one of its own
    steps where the kind's steps have nothing like it."""
    shown = hist.references(history.similar)
    steps = [steps[0], f"Read how similar finished work was done first: {shown}", *steps[1:]]
    # A line whose opening verb a step already has ("Reproduce...") would say it twice.
    openings = {s.split(" ", 1)[0].casefold() for s in steps}
    for similar in history.readable:
        for line in similar.steps:
            if line.split(" ", 1)[0].casefold() not in openings:
                steps[-1:-1] = [f"As on #{similar.task_id}: {line}"]
                return steps[:STEPS_MAX]
    return steps[:STEPS_MAX]


def _estimate(text: KindText, read: ReadTitle, context: str, history: hist.History | None) -> int:
    if history and history.median is not None:
        return history.median
    words = read.word_set | frozenset(w.lower() for w in context.split()[:200])
    factor = 1.0
    if words & SMALL_WORDS:
        factor /= 2
    if words & LARGE_WORDS:
        factor *= 2
    minutes = 15 * math.ceil(text.minutes * factor / 15)
    if history is not None:
        minutes = hist.scaled(minutes, history.ratio)
    return max(15, min(minutes, 16 * 60))
