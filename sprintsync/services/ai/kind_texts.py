"""What a teammate would write for each kind of work: a goal, steps and acceptance criteria,
and a typical size. The title is only ever quoted ({title} is “the title as typed”), never
pasted into a sentence as if it were a noun: most titles are symptoms or questions, and
"Get the checkout crashes when the cart is empty done" is not English.

`extras` add a step when the title names something that needs one (a screen reader, a
version, a secret): (words, step), the first match only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sprintsync.services.ai.titles import words_of


@dataclass(frozen=True, slots=True)
class KindText:
    minutes: int
    goal: str
    steps: tuple[str, ...]
    criteria: tuple[str, ...]
    extras: tuple[tuple[frozenset[str], str], ...] = ()


def _on(words: str, step: str) -> tuple[frozenset[str], str]:
    return frozenset(words.split()), step


TEXTS: dict[str, KindText] = {
    "bug": KindText(
        180,
        "The problem reported as {title} is fixed at its cause, and a test keeps it fixed.",
        (
            "Reproduce the problem and write down the exact steps, data and environment",
            "Find the cause in the logs, the recent changes and the code involved",
            "Write a test that fails because of the problem, then fix the code until it passes",
            "Check the neighbouring cases (other inputs, roles, browsers) for the same fault",
        ),
        (
            "Following the reproduction steps no longer shows the problem",
            "A regression test covers the case and passes in CI",
            "The pull request says what the cause was",
        ),
        (
            _on(
                "safari firefox chrome edge mobile ios android",
                "Check the fix in the browser or device from the report, not only locally",
            ),
            _on(
                "500 error exception traceback typeerror crash crashes",
                "Find the error's stack trace in the logs and keep it in the task for the review",
            ),
        ),
    ),
    "feature": KindText(
        360,
        "People can do what {title} asks for, in a small change that is reviewed and tested.",
        (
            "Agree with whoever asked on the main use case, the edge cases and what is out of "
            "scope",
            "Sketch where the change fits in the existing code and data, and check it with a "
            "teammate",
            "Build the main path first with tests, then the edge cases and error messages",
            "Try it end to end as a user would and ask for a review",
        ),
        (
            "The agreed main use case works end to end",
            "Bad input and failures get a clear message and change nothing",
            "Tests cover the new behaviour and pass in CI; the docs mention it",
        ),
        (
            _on(
                "api endpoint endpoints webhook",
                "Write down the request and response shapes, and the errors, before building them",
            ),
            _on(
                "export xlsx csv pdf",
                "Open the exported file in the program people will use and check it there",
            ),
        ),
    ),
    "refactor": KindText(
        240,
        "The code behind {title} is easier to read and change, and behaves exactly as before.",
        (
            "Make sure tests pin down today's behaviour; add them where coverage is thin",
            "Change the structure in small steps (move, rename, extract) and run the tests after "
            "each",
            "Delete whatever is no longer used, imports and helpers included",
            "Open a review that says what moved and why the behaviour did not change",
        ),
        (
            "Existing tests pass with their assertions untouched",
            "The reviewer agrees the code is simpler to follow",
            "Linters and type checks pass with no new warnings",
        ),
    ),
    "docs": KindText(
        90,
        "The docs answer {title} correctly, and a teammate can follow them without help.",
        (
            "Find the page or section concerned and check what is wrong, missing or out of date",
            "Try the steps yourself on a clean setup and note every place you had to guess",
            "Write the change with one worked example, in the words people search for",
            "Ask someone new to the topic to follow it, and fix where they get stuck",
        ),
        (
            "The page matches how the product behaves today",
            "Someone new to the topic followed it without asking for help",
            "Links and commands on the page work",
        ),
    ),
    "ci": KindText(
        150,
        "The CI or build problem in {title} is fixed, and the pipeline stays green and quick.",
        (
            "Find the failing or slow job in the CI history and note when it started",
            "Reproduce the job locally or on a branch with the same runner and configuration",
            "Change the pipeline configuration in the repository, not by hand on the server",
            "Run the pipeline a few times on the branch to confirm it is reliable, then merge",
        ),
        (
            "The job passes on the main branch several runs in a row",
            "The change lives in the repository's pipeline configuration and was reviewed",
            "Build time did not grow (compare with the runs before)",
        ),
    ),
    "flaky": KindText(
        240,
        "The test named in {title} passes or fails for a reason, every time.",
        (
            "Run the test in a loop (and in the suite's order, in parallel) until it fails, and "
            "keep the output",
            "Look for the hidden dependency: time and time zones, ordering, shared state, sleeps, "
            "network",
            "Fix the cause in the test or the code; never add a retry or a longer sleep to hide it",
            "Run it a few hundred times on the branch and in CI to show it is stable",
        ),
        (
            "The test passes hundreds of runs in a row, locally and in CI",
            "The cause of the flakiness is written in the pull request",
            "No retry, skip or sleep was added to make it pass",
        ),
    ),
    "performance": KindText(
        300,
        "What is slow in {title} is measurably faster, with figures from before and after.",
        (
            "Measure it as it is today with realistic data, and agree on a target",
            "Profile to find where the time or memory actually goes (query plans, profiles)",
            "Fix the biggest cost first, then measure again the same way",
            "Add a benchmark or a dashboard panel so a slowdown gets noticed",
        ),
        (
            "The agreed target is met, measured the same way as before",
            "The before and after figures are written in the task",
            "Behaviour is unchanged and the tests pass",
        ),
        (
            _on(
                "query queries sql n+1 database",
                "Read the query plans (EXPLAIN ANALYZE) before and after the change",
            ),
            _on(
                "memory leak leaks",
                "Compare memory over a long run before and after, not only a single request",
            ),
        ),
    ),
    "security": KindText(
        240,
        "The weakness reported as {title} is closed, shown by a test of the attack, and no one "
        "else is exposed.",
        (
            "Confirm the issue privately and judge its severity: who could exploit it, and what "
            "they would reach",
            "Fix it at the source (validation, escaping, permission check) rather than hiding the "
            "symptom",
            "Add a test that performs the attack and fails without the fix",
            "Look for the same pattern elsewhere in the code and fix those places too",
        ),
        (
            "The attack from the report no longer works, and a test shows it",
            "Places with the same pattern were checked and fixed",
            "Exposed secrets were rotated, and the people affected were told if needed",
        ),
        (
            _on(
                "token tokens secret secrets password passwords key keys credentials",
                "Rotate any secret that may have been exposed, and check the logs for its use",
            ),
        ),
    ),
    "upgrade": KindText(
        150,
        "The upgrade in {title} is done in every environment, with nothing broken by it.",
        (
            "Read the release notes and changelog up to the target version for breaking changes",
            "Upgrade on a branch, update the lock file, and run the whole test suite",
            "Fix what breaks and replace deprecated calls, so no new warnings are left",
            "Deploy to staging and watch for errors before releasing",
        ),
        (
            "Every environment (CI, staging, production, local setup) runs the new version",
            "All tests pass and no new deprecation warnings show up",
            "Behaviour changes worth knowing are written in the release notes",
        ),
    ),
    "data_migration": KindText(
        480,
        "The data change in {title} is applied to every existing row, reversibly and without "
        "downtime.",
        (
            "Write the migration and its reverse, and count the rows it will touch on a copy of "
            "production data",
            "Run it on that copy first, timing it and checking the results against the counts",
            "Make the code work with both the old and the new shape, so the change can roll out "
            "safely",
            "Run it in production in batches, watch locks and errors, and keep a backup for the "
            "way back",
        ),
        (
            "Every existing row has the new shape, and counts before and after agree",
            "The reverse migration was tested on the copy",
            "Nothing was locked long enough for users to notice",
        ),
    ),
    "ui": KindText(
        120,
        "What {title} describes looks and works right for everyone, keyboard and screen reader "
        "users included.",
        (
            "Reproduce it in the browsers and screen sizes named in the report, and take a "
            "screenshot",
            "Fix it in the shared styles or component rather than with a one-off exception",
            "Check it with the keyboard alone, at 200% zoom and in dark mode",
            "Add a before and after screenshot to the review",
        ),
        (
            "The screen looks right on small and large screens and in dark mode",
            "Everything can be reached and used with the keyboard alone",
            "Colour contrast meets WCAG AA",
        ),
        (
            _on(
                "screen reader aria announce icons alternative accessibility a11y",
                "Test it with a screen reader (NVDA or VoiceOver) and fix what it reads out",
            ),
        ),
    ),
    "investigation": KindText(
        120,
        "A time-boxed answer to {title}, with the evidence and a recommended next step.",
        (
            "Write down the question, what a good answer looks like, and the time box",
            "Gather evidence: logs, metrics, the code, and the people who know the area",
            "Try the most likely explanations or options first and note what you ruled out",
            "Write up the findings with a recommendation and file the follow-up tasks",
        ),
        (
            "A short write-up answers the question, with the evidence behind it",
            "Follow-up work is filed as tasks with rough sizes",
            "The time box held, or extending it was agreed",
        ),
    ),
    "tests": KindText(
        210,
        "Tests cover what {title} names, and would fail if it broke.",
        (
            "List the behaviours that matter most, the edge cases and failure paths included",
            "Write tests for the main path first, then for the edge cases",
            "Break the code on purpose once to see each new test fail for the right reason",
            "Run the suite in CI a few times and make sure the new tests are not flaky",
        ),
        (
            "The listed behaviours and edge cases are covered",
            "Each test's name says which behaviour it checks",
            "The tests pass reliably in CI",
        ),
    ),
    "general": KindText(
        120,
        "What {title} asks for is done and checked with whoever asked for it.",
        (
            "Confirm with whoever asked what done looks like and by when",
            "Break the work into steps that can each be checked",
            "Do the work, with tests or a review where there is behaviour to check",
            "Show the result to whoever asked and close the task",
        ),
        (
            "Whoever asked has checked the result and is happy with it",
            "Anything left over is filed as a task of its own",
        ),
    ),
}

SMALL_WORDS = words_of(
    "typo typos small minor quick tiny simple trivial wording tooltip label one-line"
)
LARGE_WORDS = words_of(
    "entire whole every all across overhaul redesign rewrite platform architecture"
)
