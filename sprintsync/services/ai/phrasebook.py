"""What the offline helper knows about kinds of work: for each family of verbs, the steps and
acceptance criteria a teammate would write, and a typical size.

Placeholders: {the_subject} ("the login redirect loop on Safari"), {the_thing} (the part before
a preposition: "the CSV export"), {where} (" to reports" or ""), {verb} (the title's verb).
Text is written lower-case-first where a placeholder may open a sentence; the caller capitalises.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    verbs: frozenset[str]
    minutes: int
    goal: str
    steps: tuple[str, ...]
    criteria: tuple[str, ...]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FAMILIES: tuple[Family, ...] = (
    Family(
        "fix",
        _words("fix fixes repair resolve patch debug correct hotfix unbreak"),
        120,
        "Sort out {the_subject}: find the root cause, fix it, and keep it from coming back.",
        (
            "reproduce {the_subject} locally or on staging and write down the exact steps",
            "narrow down the cause: logs, recent commits and the code around {the_thing}",
            "write a failing test that shows the problem, then make the fix",
            "run the related tests and re-check the original report against the fix",
        ),
        (
            "following the original steps no longer shows the problem with {the_subject}",
            "a regression test covers the case and passes in CI",
            "no new errors in the logs around {the_thing} after the release",
        ),
    ),
    Family(
        "test",
        _words("test tests verify cover validate qa"),
        120,
        "Cover {the_subject} with tests that would catch it breaking.",
        (
            "list the behaviours of {the_subject} that matter most, edge cases and failure paths"
            " included",
            "write tests for the main path first, then for those edge cases",
            "break the code on purpose once to see each new test fail for the right reason",
            "run the suite in CI a few times and fix anything flaky",
        ),
        (
            "tests cover the main path and the listed edge cases of {the_subject}",
            "the tests pass reliably in CI, with no retries needed",
            "each test's name says which behaviour it checks",
        ),
    ),
    Family(
        "document",
        _words("document documents describe explain"),
        60,
        "Document {the_subject} so a teammate can use it without having to ask.",
        (
            "list the questions people actually ask about {the_subject}",
            "write a short overview, then setup and usage with one worked example",
            "have someone who hasn't used {the_thing} follow the docs and note where they get"
            " stuck",
            "fill those gaps and link the page from wherever people look first",
        ),
        (
            "the docs cover what {the_subject} is for, how to set it up, and one worked example",
            "a teammate new to {the_thing} followed them without help",
            "the page is linked from the README or the team wiki",
        ),
    ),
    Family(
        "add",
        _words("add adds implement introduce support enable allow create integrate"),
        180,
        "Add {the_subject} as a small, reviewable change covered by tests.",
        (
            "agree on what {the_thing} should do{where}: inputs, outputs and the edge cases"
            " that matter",
            "find where it fits in the existing code and sketch the change",
            "implement {the_thing} following the patterns already there, with tests for the main"
            " path and the edge cases",
            "try it end to end{where}, then ask a teammate to review",
        ),
        (
            "the main case agreed for {the_thing} works end to end{where}",
            "empty input and errors are handled with a clear message",
            "tests cover the new behaviour and pass in CI",
        ),
    ),
    Family(
        "build",
        _words("build develop scaffold prototype design"),
        360,
        "Build a first working version of {the_subject} that people can try, then iterate.",
        (
            "write a one-paragraph outline of {the_subject}: who uses it and what it must do first",
            "split the work into slices that can each be demoed, starting with the thinnest one"
            " that runs end to end",
            "build that slice with tests and show it to someone for early feedback",
            "fill in the remaining slices while keeping the main branch releasable",
            "demo {the_subject} to the team and file the follow-ups",
        ),
        (
            "a first version of {the_subject} handles the agreed use case end to end",
            "tests cover the core paths and pass in CI",
            "open questions and follow-ups are filed as tasks",
        ),
    ),
    Family(
        "setup",
        _words("setup configure install provision"),
        120,
        "Set up {the_subject} so it runs on its own and the team knows how it works.",
        (
            "decide what {the_thing} must do{where} and what done looks like",
            "configure it on a branch, with the config kept in the repository",
            "run it once end to end and fix whatever fails",
            "write down how it works, who owns it and how to change it",
        ),
        (
            "no manual steps are needed to run {the_subject}",
            "the configuration lives in the repository and has been reviewed",
            "a short note explains how it works and how to change it",
        ),
    ),
    Family(
        "tweak",
        _words("tweak reword"),
        30,
        "Correct {the_subject} and check it where people see it.",
        (
            "find where {the_subject} comes from (template, translation file or CMS) and change it"
            " there",
            "look at it where it shows up (the page, email or message) in a local or staging build",
            "get a quick review and merge",
        ),
        (
            "the corrected text shows up wherever people see it",
            "nothing else around {the_thing} changed",
        ),
    ),
    Family(
        "refactor",
        _words("refactor restructure simplify clean cleanup tidy extract split rename reorganise"),
        180,
        "Make {the_subject} easier to read and change without changing what it does.",
        (
            "check that tests pin down how {the_subject} behaves today; add some where they are"
            " thin",
            "refactor in small steps (rename, extract, move) and run the tests after each",
            "delete whatever is no longer used",
            "open a review that says what moved and why the behaviour did not change",
        ),
        (
            "the behaviour of {the_subject} is unchanged: existing tests pass with their"
            " assertions untouched",
            "the reviewer agrees the code is simpler (fewer branches, smaller functions, clearer"
            " names)",
            "linters and type checks pass with no new warnings",
        ),
    ),
    Family(
        "write",
        _words("write draft prepare compose outline propose"),
        90,
        "Write {the_subject} so the people reading it can act on it without follow-up questions.",
        (
            "decide who will read {the_subject} and what they need to get from it",
            "outline the main points before writing any prose",
            "write a first draft and cut whatever doesn't help the reader",
            "get one teammate to review it and fold in their comments",
        ),
        (
            "at least one teammate has reviewed {the_subject}",
            "someone new to the topic can follow it without extra help",
            "it is shared where the team will find it",
        ),
    ),
    Family(
        "investigate",
        _words("investigate research explore spike analyse analyze evaluate understand assess"),
        120,
        "Find out what is behind {the_subject} and recommend a next step, within a fixed time box.",
        (
            "write down the question to answer about {the_subject} and what a good answer"
            " looks like",
            "gather evidence: logs, metrics, the code, and anyone who knows the area",
            "test the most likely explanations first and note what you ruled out",
            "summarise the findings with a recommended next step",
        ),
        (
            "a short write-up answers the question about {the_subject}, with the evidence",
            "follow-up work is filed as tasks with rough sizes",
            "the time box held, or extending it was agreed",
        ),
    ),
    Family(
        "deploy",
        _words("deploy release ship launch publish rollout"),
        60,
        "Get {the_thing} into production safely, with a way back if something goes wrong.",
        (
            "check that {the_thing} passed CI and review, and note the exact version going out",
            "write down the rollback step before starting",
            "deploy to staging and run a smoke test",
            "deploy to production and watch errors and latency for 15 minutes",
            "tell the team it is out and link the release notes",
        ),
        (
            "production runs {the_thing}",
            "the smoke test passes and error rates stay at their usual level",
            "the rollback step is written down where on-call can find it",
        ),
    ),
    Family(
        "upgrade",
        _words("upgrade bump"),
        120,
        "Upgrade {the_subject} without breaking anything that depends on it.",
        (
            "read the changelog of {the_thing} for breaking changes up to the target version",
            "bump the version on a branch and run the full test suite",
            "fix what breaks and replace deprecated calls",
            "deploy to staging and watch for errors before releasing",
        ),
        (
            "every environment runs {the_thing} at the new version",
            "all tests pass and no new deprecation warnings show up",
            "behaviour changes worth knowing are shared with the team",
        ),
    ),
    Family(
        "remove",
        _words("remove delete drop deprecate retire decommission"),
        60,
        "Remove {the_subject} cleanly, without breaking anyone who still relies on it.",
        (
            "find every use of {the_thing}: code, config, docs and dashboards",
            "check with anyone who still relies on it and agree on a cut-off date",
            "remove it together with its tests and config",
            "deploy and watch for errors that point at a use you missed",
        ),
        (
            "nothing in code, config or docs refers to {the_thing} any more",
            "tests pass and the logs show nothing pointing at the removed piece",
            "the people affected were told before it went",
        ),
    ),
    Family(
        "optimize",
        _words("optimize optimise speed tune accelerate profile"),
        180,
        "Make {the_subject} measurably faster, with figures from before and after.",
        (
            "measure {the_subject} as it is today and agree on a target",
            "profile to find where the time actually goes",
            "fix the biggest cost first, then measure again the same way",
            "add a dashboard panel or check so a slowdown gets noticed",
        ),
        (
            "the agreed target for {the_subject} is met, measured the same way as before",
            "the before and after figures are written into the task",
            "behaviour is unchanged and the tests pass",
        ),
    ),
    Family(
        "review",
        _words("review audit"),
        45,
        "Review {the_subject} and give clear, actionable feedback.",
        (
            "read the context first (the linked issue, design notes) to review against the goal",
            "go through {the_subject} once for correctness, then once for readability",
            "write comments that say what to change and why, marking the ones that block",
            "follow up on the answers, then approve or ask for changes",
        ),
        (
            "feedback on {the_subject} is written down, with blocking points marked",
            "the author knows exactly what to do next",
        ),
    ),
)

# Titles without a known verb: keep the title's own verb if it has one ({verb}), or "finish".
GENERIC = Family(
    "generic",
    frozenset(),
    120,
    "Get {the_subject} done in small steps that can each be checked.",
    (
        "confirm with whoever asked what done looks like for {the_subject}",
        "{verb} {the_subject} on a short-lived branch, with tests where there is behaviour",
        "check it works where it is used and get a review",
        "ship it and let whoever asked know",
    ),
    (
        "whoever asked has checked {the_subject} and is happy with it",
        "the change is reviewed, merged and released",
    ),
)

BY_VERB: dict[str, Family] = {verb: family for family in FAMILIES for verb in family.verbs}
BY_NAME: dict[str, Family] = {family.name: family for family in (*FAMILIES, GENERIC)}

# Two-word verbs whose particle is not part of the subject ("set up CI", "look into X").
PARTICLES = {
    "set": ("up", "setup"),
    "clean": ("up", "refactor"),
    "look": ("into", "investigate"),
    "dig": ("into", "investigate"),
    "roll": ("out", "deploy"),
    "speed": ("up", "optimize"),
    "write": ("up", "write"),
    "figure": ("out", "investigate"),
    "tidy": ("up", "refactor"),
    "get": ("rid", "remove"),
}

# Verbs with no family of their own: the generic steps keep the title's verb ("Update the
# onboarding email copy on a short-lived branch"). Titles opening with any other word (usually
# a noun: "Login page polish") get "finish".
GENERIC_VERBS = _words(
    "update improve change handle make move migrate convert replace merge sync"
    " rework adjust align increase reduce limit show hide display send store log track"
    " translate localize localise automate schedule monitor measure backfill import export"
    " archive upload download port connect wire expose rotate renew reset restore enforce"
    " switch unify standardize standardise check finish complete polish revisit"
)

# Words that say a title names a problem even without a verb ("Login broken on Safari").
PROBLEM_WORDS = _words(
    "bug broken crash crashes crashing error errors fails failing failure regression"
    " wrong flaky timeout timeouts leak"
)
SLOW_WORDS = _words("slow slowness latency sluggish")

# A subject that starts with one of these is about tests or docs, whatever the verb says
# ("Write tests for X" is testing work, "Add docs for Y" is documenting).
SUBJECT_FAMILIES = {
    "test": "test",
    "tests": "test",
    "docs": "document",
    "documentation": "document",
    "readme": "document",
    "runbook": "document",
}

SMALL_WORDS = _words(
    "typo typos small minor quick tiny simple trivial label labels wording copy tweak"
    " one-line oneliner button link tooltip"
)
LARGE_WORDS = _words(
    "entire whole all system pipeline platform framework architecture overhaul"
    " redesign rewrite migration migrate end-to-end across multiple every"
)
# Small changes to wording need no reproduction or regression test: they are tweaks, whether
# the title says fix, update or change.
TWEAK_WORDS = _words("typo typos wording copy label labels tooltip spelling text")
TWEAKABLE = frozenset({"fix", "generic"})

DETERMINERS = _words("the a an our my your their its this that these those all every each some any")
PREPOSITIONS = _words("to for in on from into with when after during under at via between")
