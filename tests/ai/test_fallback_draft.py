"""The offline helper's drafts: deterministic, about the title's subject, fitting its verb."""

from __future__ import annotations

import re

import pytest

from sprintsync.services.ai.fallback import draft_from_title

# title, the subject the text must name, words at least one step must use for that kind of work
FAMILIES = [
    ("Fix login redirect loop on Safari", "login redirect loop", ["reproduce", "failing test"]),
    ("Add CSV export to reports", "CSV export", ["edge cases", "review"]),
    ("Build admin analytics dashboard", "admin analytics dashboard", ["slice", "demo"]),
    ("Refactor payment service", "payment service", ["small steps", "behaviour"]),
    ("Write Q3 planning doc", "Q3 planning doc", ["outline", "draft"]),
    ("Investigate slow dashboard queries", "slow dashboard queries", ["evidence", "findings"]),
    ("Test checkout flow", "checkout flow", ["edge cases", "flaky"]),
    ("Deploy v2.3 to production", "v2.3", ["staging", "rollback"]),
    ("Document the billing webhook", "billing webhook", ["worked example", "overview"]),
    ("Write unit tests for the invoice parser", "invoice parser", ["tests", "edge cases"]),
    ("Set up CI for the docs site", "CI", ["configure", "end to end"]),
    ("Upgrade Django to 5.1", "Django", ["changelog", "deprecated"]),
    ("Remove legacy cron jobs", "legacy cron jobs", ["every use", "cut-off"]),
    ("Optimize search query latency", "search query latency", ["measure", "profile"]),
    ("Review the onboarding PR", "onboarding PR", ["correctness", "readability"]),
    ("Checkout crashes on empty cart", "checkout crashes", ["reproduce"]),
    ("Update onboarding email copy", "onboarding email copy", ["review"]),
]


@pytest.mark.parametrize(("title", "subject", "words"), FAMILIES)
def test_fallback_steps_name_the_subject_and_fit_the_kind_of_work(title, subject, words):
    draft = draft_from_title(title)
    steps = " ".join(draft.steps).lower()
    assert subject.lower() in draft.goal.lower()
    assert any(subject.lower() in step.lower() for step in draft.steps)
    assert any(subject.lower() in line.lower() for line in draft.acceptance_criteria)
    for word in words:
        assert word in steps, f"{word!r} missing from the steps for {title!r}"


@pytest.mark.parametrize("title", [t for t, _, _ in FAMILIES])
def test_fallback_draft_reads_like_prose_not_a_template(title):
    draft = draft_from_title(title)
    lines = [draft.goal, *draft.steps, *draft.acceptance_criteria]
    assert 2 <= len(draft.steps) <= 5
    assert 1 <= len(draft.acceptance_criteria) <= 5
    for line in lines:
        assert "{" not in line
        assert "}" not in line
        assert not re.search(r"\b(\w+) \1\b", line.lower()), line  # "the the", "to to"
        assert "  " not in line
        assert line == line.strip()
        assert line[0].isupper() or line[0].isdigit() or line.startswith("v"), line
    # The subject is woven in, not the title pasted into line after line.
    assert sum(title.lower() in line.lower() for line in lines) < len(lines) / 2


def test_the_same_title_always_gets_the_same_draft():
    first = draft_from_title("Fix login redirect loop on Safari", "Only since 17.4")
    again = draft_from_title("Fix login redirect loop on Safari", "Only since 17.4")
    assert first == again


def test_different_kinds_of_work_get_different_steps():
    drafts = {t: draft_from_title(t).steps for t, _, _ in FAMILIES}
    assert len(set(drafts.values())) == len(drafts)


@pytest.mark.parametrize(
    ("small", "usual", "large"),
    [
        ("Fix typo in footer", "Fix login redirect loop", "Fix the whole billing pipeline"),
        ("Add a small tooltip to export", "Add CSV export to reports", "Add SSO across all apps"),
    ],
)
def test_estimates_grow_with_the_size_words_in_the_title(small, usual, large):
    sizes = [draft_from_title(t).estimate_minutes for t in (small, usual, large)]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[1] < sizes[2]
    assert all(m % 15 == 0 and 15 <= m <= 960 for m in sizes)


def test_a_tag_in_front_of_the_title_is_not_the_work():
    draft = draft_from_title("[API] Add rate limiting to public endpoints")
    assert "API" not in draft.goal
    assert "the rate limiting" in draft.steps[0]


def test_context_words_can_change_the_size_but_not_the_text():
    plain = draft_from_title("Add audit export")
    bigger = draft_from_title("Add audit export", "It has to work across every workspace")
    assert bigger.steps == plain.steps
    assert bigger.estimate_minutes > plain.estimate_minutes
