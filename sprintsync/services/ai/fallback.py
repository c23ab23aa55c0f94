"""The offline helper: deterministic suggestions with no network, useful on their own.

A draft reads the title's verb ("Fix", "Add", "Set up"...) to pick a family of work from the
phrasebook, splits off the subject ("the login redirect loop on Safari"), and writes steps and
acceptance criteria about that subject; the estimate comes from the family and size words.
Plans come from the planner.
"""

from __future__ import annotations

import math
import re

from sprintsync.services.ai import phrasebook as pb
from sprintsync.services.ai.planner import plan_day as _plan_day
from sprintsync.services.ai.suggestion import (
    DraftContent,
    DraftRequest,
    PlanContent,
    PlanRequest,
    Source,
)

# "[API] Fix x", "Backend: fix x", "BUG-12 fix x": a tag in front is not part of the work.
_TAG = re.compile(r"^\s*(?:\[[^\]]{1,30}\]|\([^)]{1,30}\)|[A-Za-z0-9_-]{1,20}:|[A-Z]+-\d+)\s*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+#.-]*")
_VERSIONISH = re.compile(
    r"\d|\b(?:version|dependenc(?:y|ies)|deps|packages?|librar(?:y|ies)|sdk)\b"
)
_CODEISH = re.compile(r"[._/\\()\d]")


class FallbackProvider:
    source: Source = "fallback"

    def draft(self, request: DraftRequest) -> DraftContent:
        return draft_from_title(request.title, request.context)

    def plan(self, request: PlanRequest) -> PlanContent:
        return _plan_day(request.tasks, request.focus_minutes)


def draft_from_title(title: str, context: str = "") -> DraftContent:
    words = _TAG.sub("", title).strip().rstrip(".!") or title.strip()
    family, verb, subject = _read_title(words)
    fields = _placeholders(subject, verb)
    return DraftContent(
        goal=_sentence(family.goal.format(**fields), end="."),
        steps=tuple(_sentence(step.format(**fields)) for step in family.steps),
        acceptance_criteria=tuple(_sentence(line.format(**fields)) for line in family.criteria),
        estimate_minutes=_estimate(family, f"{title} {context}"),
    )


def _read_title(text: str) -> tuple[pb.Family, str, str]:
    """(family, verb as written, subject) for a title such as 'Set up CI for the docs site'."""
    tokens = text.split()
    first, rest = (_bare(tokens[0]), tokens[1:]) if tokens else ("", [])
    family, rest = _family_of_verb(first, rest)
    if family is None and first in pb.GENERIC_VERBS:
        family = pb.GENERIC
    if family is None or not rest:  # no verb: the whole title names the work
        words = {_bare(t) for t in tokens}
        if words & pb.PROBLEM_WORDS:
            family = pb.BY_NAME["fix"]
        elif words & pb.SLOW_WORDS:
            family = pb.BY_NAME["optimize"]
        else:
            family = pb.GENERIC
        return family, "finish", _lower_first(text)
    if family.name in pb.TWEAKABLE and {_bare(t) for t in rest} & pb.TWEAK_WORDS:
        family = pb.BY_NAME["tweak"]
    family = _family_for_subject(family, rest)
    return family, first, _strip_work_noun(family, rest)


def _family_of_verb(first: str, rest: list[str]) -> tuple[pb.Family | None, list[str]]:
    particle = pb.PARTICLES.get(first)
    if particle and rest and _bare(rest[0]) == particle[0]:
        rest = rest[1:]
        if first == "get" and rest and _bare(rest[0]) == "of":  # "get rid of X"
            rest = rest[1:]
        return pb.BY_NAME[particle[1]], rest
    if first == "update" and _VERSIONISH.search(" ".join(rest).lower()):
        return pb.BY_NAME["upgrade"], rest
    return pb.BY_VERB.get(first), rest


def _family_for_subject(family: pb.Family, rest: list[str]) -> pb.Family:
    """'Write tests for X' is testing work and 'Add docs for Y' documenting, whatever the verb."""
    if family.name not in {"write", "add", "generic", "build"}:
        return family
    for token in rest[:2]:
        name = pb.SUBJECT_FAMILIES.get(_bare(token))
        if name:
            return pb.BY_NAME[name]
    return family


def _strip_work_noun(family: pb.Family, rest: list[str]) -> str:
    """Drop 'tests for' / 'docs for' once the family says it: 'tests for checkout' -> 'checkout';
    and 'support for' after add: 'Add support for SSO' is adding SSO."""
    if (
        family.name == "add"
        and len(rest) > 2
        and [_bare(t) for t in rest[:2]] == ["support", "for"]
    ):
        return " ".join(rest[2:])
    if family.name in {"test", "document"}:
        for n, token in enumerate(rest[:3]):
            if (
                n > 0
                and _bare(token) in pb.PREPOSITIONS | {"of", "around", "about"}
                and pb.SUBJECT_FAMILIES.get(_bare(rest[n - 1])) == family.name
                and rest[n + 1 :]
            ):
                return " ".join(rest[n + 1 :])
    return " ".join(rest)


def _placeholders(subject: str, verb: str) -> dict[str, str]:
    thing, where = _split_place(subject)
    return {
        "the_subject": _with_article(subject),
        "the_thing": _with_article(thing),
        "where": f" {where}" if where else "",
        "verb": verb,
    }


def _split_place(subject: str) -> tuple[str, str]:
    """'CSV export to reports' -> ('CSV export', 'in reports'): what is added, and where it
    lives ('to' and 'into' become 'in'); no preposition -> (subject, '')."""
    tokens = subject.split()
    for n, token in enumerate(tokens[1:], 1):
        if token.lower() in pb.PREPOSITIONS:
            preposition = "in" if token.lower() in {"to", "into"} else token.lower()
            return " ".join(tokens[:n]), " ".join([preposition, *tokens[n + 1 :]])
    return subject, ""


def _with_article(phrase: str) -> str:
    tokens = _split_place(phrase)[0].split()
    if not tokens:
        return phrase
    head = tokens[0]
    if head.lower() in pb.DETERMINERS or head.lower().endswith("'s"):
        return phrase
    # A lone name (Django, v2.3, docker-compose.yml) reads better bare; "the API" does not.
    if len(tokens) == 1 and (_is_code(head) or (head[:1].isupper() and not head.isupper())):
        return phrase
    return f"the {phrase}"


def _is_code(token: str) -> bool:
    return bool(_CODEISH.search(token))


def _estimate(family: pb.Family, text: str) -> int:
    words = {_bare(w) for w in _WORD.findall(text)}
    factor = 1.0
    if words & pb.SMALL_WORDS and family.name != "tweak":
        factor /= 2
    if words & pb.LARGE_WORDS:
        factor *= 2
    minutes = 15 * math.ceil(family.minutes * factor / 15)
    return max(15, min(minutes, 16 * 60))


def _lower_first(text: str) -> str:
    """'Checkout crashes' -> 'checkout crashes' (a title's capital), but 'API errors' stays."""
    head = text.split(" ", 1)[0]
    if head[:1].isupper() and head[1:].islower():
        return head.lower() + text[len(head) :]
    return text


def _bare(token: str) -> str:
    return token.strip(".,:;!?()[]\"'").lower()


def _sentence(text: str, end: str = "") -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if not _is_code(text.split(" ", 1)[0]):  # "v2.3 is out" keeps its lower-case v
        text = text[:1].upper() + text[1:]
    return text + end if end and not text.endswith(end) else text
