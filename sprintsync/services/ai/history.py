"""The team's own history behind a draft: the finished tasks most like a new title, found by
PostgreSQL full-text search (the GIN index over titles and descriptions, ix_tasks_search, and
tag names), and what they took.

Only finished tasks with time logged count. Their figures (how long they took) are the whole
team's: numbers that name nobody, as the Projects page's are. Their titles and descriptions
reach a draft (and Gemini's prompt) only from tasks the person may read: members their own,
managers and admins everyone's. The estimate is the similar tasks' median and interquartile
range of actual minutes, scaled by the person's own usual ratio of actual time to estimate
(their recent finished tasks, when there are enough); the evidence sentence says all of it.
"""

# The SQL here is built from constants only (every value is a bound parameter).
# ruff: noqa: S608

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from sprintsync.domain import format_duration
from sprintsync.models import SEARCH_DOCUMENT
from sprintsync.services.ai.kinds import classify, label
from sprintsync.services.ai.titles import ReadTitle, is_versionish, words_of
from sprintsync.services.views import Actor

MIN_SIMILAR = 3  # fewer than this is no history: the kind of work decides
SIMILAR_MAX = 8
CANDIDATES = 40
RECENT_MATCHES = 500  # on a big workspace the newest matches are ranked, not all of them
TERMS_MAX = 12
RATIO_TASKS = 50  # the person's most recent finished, estimated tasks
RATIO_MIN_TASKS = 3
RATIO_BOUNDS = (0.5, 3.0)
DESCRIPTION_READ = 2000
SLOT = 15

# Words that say nothing about which work it is; PostgreSQL drops English stop words itself.
_VAGUE = words_of(
    "a an the to of in on for and or not with from by is are be it this that when after "
    "before into via add fix make update change use new task issue problem"
)


@dataclass(frozen=True, slots=True)
class Similar:
    """A finished task like the new one. task_id and title are None and "" unless the
    person may read it; steps are lines from its description (readable ones only)."""

    task_id: int | None
    title: str
    kind: str
    actual_minutes: int
    estimate_minutes: int | None
    steps: tuple[str, ...]
    score: float


@dataclass(frozen=True, slots=True)
class History:
    kind: str
    similar: tuple[Similar, ...]
    low: int | None  # the suggested range and figure, in minutes (None: no history)
    median: int | None
    high: int | None
    ratio: float | None  # the person's usual actual / estimate (None: too few tasks)
    ratio_tasks: int
    evidence: str

    @property
    def grounded(self) -> bool:
        return len(self.similar) >= MIN_SIMILAR

    @property
    def readable(self) -> tuple[Similar, ...]:
        return tuple(s for s in self.similar if s.task_id is not None)


def search_terms(read: ReadTitle) -> list[str]:
    """The title's telling words, for an OR search (websearch_to_tsquery reads "or")."""
    found: list[str] = []
    for word in read.words:
        bare = "".join(c for c in word if c.isalnum() or c in "._")
        if len(bare) < 2 or bare in _VAGUE or bare in found or is_versionish(bare):
            continue
        found.append(bare)
    return found[:TERMS_MAX]


_CANDIDATES_SQL = f"""
WITH q AS (
    SELECT websearch_to_tsquery('english', :terms) AS query,
           tsvector_to_array(to_tsvector('english', :text)) AS lexemes
), matched AS (
    SELECT id FROM (
        SELECT t.id, t.done_at FROM tasks t, q
        WHERE {SEARCH_DOCUMENT} @@ q.query AND t.status = 'done' AND t.total_minutes > 0
        UNION
        SELECT t.id, t.done_at FROM tasks t
        JOIN task_tags tt ON tt.task_id = t.id JOIN tags g ON g.id = tt.tag_id, q
        WHERE to_tsvector('english', replace(g.name, '-', ' ')) @@ q.query
          AND t.status = 'done' AND t.total_minutes > 0
    ) m ORDER BY done_at DESC LIMIT :recent
)
SELECT t.id, t.title, left(t.description, :description_read), t.estimate_minutes,
       t.total_minutes, coalesce(t.assignee_id, t.created_by_id) AS owner_id,
       ts_rank({SEARCH_DOCUMENT}, q.query) AS rank,
       (SELECT count(*) FROM unnest(q.lexemes) l
        WHERE l = ANY (tsvector_to_array(to_tsvector('english', t.title)))) AS title_hits,
       (SELECT count(*) FROM unnest(q.lexemes) l
        WHERE l = ANY (tsvector_to_array(to_tsvector('english', coalesce((
            SELECT string_agg(replace(g.name, '-', ' '), ' ') FROM task_tags tt
            JOIN tags g ON g.id = tt.tag_id WHERE tt.task_id = t.id), ''))))) AS tag_hits
FROM tasks t JOIN matched ON matched.id = t.id, q
ORDER BY rank DESC, t.done_at DESC
LIMIT :candidates
"""

_RATIO_SQL = """
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ratio), count(*) FROM (
    SELECT total_minutes::float / estimate_minutes AS ratio FROM tasks
    WHERE status = 'done' AND total_minutes > 0 AND estimate_minutes > 0
      AND coalesce(assignee_id, created_by_id) = :user_id
    ORDER BY done_at DESC LIMIT :recent
) recent
"""


def find_history(session: Session, me: Actor, read: ReadTitle) -> History:
    kind = classify(read)
    terms = search_terms(read)
    ratio, ratio_tasks = personal_ratio(session, me.id)
    similar: list[Similar] = []
    if terms:
        rows = session.execute(
            text(_CANDIDATES_SQL),
            {
                "terms": " or ".join(terms),
                "text": " ".join(terms),
                "recent": RECENT_MATCHES,
                "candidates": CANDIDATES,
                "description_read": DESCRIPTION_READ,
            },
        ).all()
        sees_all = me.sees_everyone
        for row in rows:
            other = classify(row.title)
            score = row.title_hits + 0.5 * row.tag_hits + 0.2 * min(row.rank * 10, 3)
            if other == kind and kind != "general":
                score += 1.0
            if not _alike(row.title_hits, row.tag_hits, other == kind, len(terms)):
                continue
            readable = sees_all or row.owner_id == me.id
            similar.append(
                Similar(
                    row.id if readable else None,
                    row.title if readable else "",
                    other,
                    row.total_minutes,
                    row.estimate_minutes,
                    step_lines(row[2]) if readable else (),
                    score,
                )
            )
    similar.sort(key=lambda s: -s.score)
    chosen = tuple(similar[:SIMILAR_MAX])
    return _summary(kind, chosen, ratio, ratio_tasks)


def _alike(title_hits: int, tag_hits: int, same_kind: bool, terms: int) -> bool:
    """Similar enough to learn from: two telling words of the title shared, or one (or a
    tag) with the same kind of work; a one-word title needs that word and the kind."""
    shared = title_hits + (1 if tag_hits else 0)
    if terms == 1:
        return shared >= 1 and same_kind
    return shared >= 2 or (shared >= 1 and same_kind)


def personal_ratio(session: Session, user_id: int) -> tuple[float | None, int]:
    median, count = session.execute(
        text(_RATIO_SQL), {"user_id": user_id, "recent": RATIO_TASKS}
    ).one()
    if median is None or count < RATIO_MIN_TASKS:
        return None, int(count)
    low, high = RATIO_BOUNDS
    return round(min(high, max(low, float(median))), 2), int(count)


def _summary(
    kind: str, similar: tuple[Similar, ...], ratio: float | None, ratio_tasks: int
) -> History:
    factor = ratio or 1.0
    habit = _habit(ratio, ratio_tasks)
    if len(similar) < MIN_SIMILAR:
        evidence = (
            f"No finished tasks like this one yet ({len(similar)} found, {MIN_SIMILAR} needed), "
            f"so the estimate is a typical size for {label(kind)} work{habit}."
        )
        return History(kind, similar, None, None, None, ratio, ratio_tasks, evidence)
    minutes = sorted(s.actual_minutes for s in similar)
    q1, mid, q3 = statistics.quantiles(minutes, n=4, method="inclusive")
    low, median, high = (_slot(m * factor) for m in (q1, mid, q3))
    took = f"{format_duration(_slot(q1))}-{format_duration(_slot(q3))}"
    evidence = (
        f"{len(similar)} similar finished tasks took {took} (median {format_duration(_slot(mid))})"
    )
    if ratio is not None and abs(ratio - 1) >= 0.05:
        evidence += f"{habit}, so {format_duration(low)}-{format_duration(high)} is suggested."
    else:
        evidence += f"{habit}."
    return History(kind, similar, low, median, high, ratio, ratio_tasks, evidence)


def _habit(ratio: float | None, tasks: int) -> str:
    if ratio is None:
        return ""
    if ratio >= 1.05:
        return f"; you usually run {ratio:.1f}x over your estimates"
    if ratio <= 0.95:
        return f"; you usually finish in {ratio:.1f}x your estimates"
    return "; your estimates are usually about right"


def _slot(minutes: float) -> int:
    return max(SLOT, SLOT * math.ceil(minutes / SLOT))


def scaled(minutes: int, ratio: float | None) -> int:
    """A typical size for the kind of work, scaled by the person's usual ratio."""
    return _slot(minutes * (ratio or 1.0))


_MARKERS = frozenset("-*•")


def step_lines(description: str, limit: int = 4) -> tuple[str, ...]:
    """The steps a description lists: numbered ("1. ...", "2) ...") or bulleted lines of a
    sensible length, without their markers; nothing from prose paragraphs."""
    found: list[str] = []
    for raw in description.splitlines()[:80]:
        line = raw.strip()
        body = _without_marker(line)
        if body is None or not 12 <= len(body) <= 160 or body.endswith(":"):
            continue
        found.append(body[:1].upper() + body[1:].rstrip("."))
        if len(found) == limit:
            break
    return tuple(found)


def _without_marker(line: str) -> str | None:
    if line[:1] in _MARKERS and line[1:2] == " ":
        return line[2:].strip()
    digits = 0
    while digits < len(line) and digits < 3 and line[digits].isdigit():
        digits += 1
    if digits and line[digits : digits + 1] in (".", ")") and line[digits + 1 : digits + 2] == " ":
        return line[digits + 2 :].strip()
    return None


def references(similar: Sequence[Similar], limit: int = 3) -> str:
    """'#41 “Fix cookie loop” (2h10m), #37 “...” (1h50m)' for the readable ones."""
    shown = [s for s in similar if s.task_id is not None][:limit]
    return ", ".join(
        f"#{s.task_id} “{s.title}” ({format_duration(s.actual_minutes)})" for s in shown
    )
