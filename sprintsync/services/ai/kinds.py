"""Which kind of work a title describes: bug, feature, refactor, docs, CI/build, flaky test,
performance, security, dependency or runtime upgrade, data migration, UI/accessibility,
investigation, tests, or general work when nothing says.

Each kind has cues: words (a trailing * matches a word's start: "crash*" is crash, crashes,
crashing), phrases of whole words, and prefix hints ("[BUG]", "fix(ci):", "Docs:"), each with a
weight. The kind with the most weight wins; ties go to the more specific kind (KINDS' order).
A symptom (something fails, is wrong or missing) counts for a bug unless a more specific kind
explains it ("Nightly build fails" is CI work, "Dashboard is slow" performance work). Matching
is set look-ups and substring tests over the words of the title: no regular expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

from sprintsync.services.ai.titles import ReadTitle, is_versionish, read_title, words_of

# Most specific first: a tie between two kinds goes to the earlier one.
KINDS = (
    "security",
    "data_migration",
    "flaky",
    "upgrade",
    "ci",
    "performance",
    "docs",
    "tests",
    "ui",
    "refactor",
    "bug",
    "investigation",
    "feature",
    "general",
)

LABELS = {
    "security": "security",
    "data_migration": "data migration",
    "flaky": "flaky test",
    "upgrade": "upgrade",
    "ci": "CI/build",
    "performance": "performance",
    "docs": "docs",
    "tests": "tests",
    "ui": "UI/accessibility",
    "refactor": "refactor",
    "bug": "bug",
    "investigation": "investigation",
    "feature": "feature",
    "general": "general",
}


@dataclass(frozen=True, slots=True)
class Cues:
    words: dict[str, int]
    phrases: dict[str, int]
    hints: frozenset[str]


def _w(weight: int, text: str) -> dict[str, int]:
    return dict.fromkeys(text.split(), weight)


def _p(weight: int, *phrases: str) -> dict[str, int]:
    return dict.fromkeys(phrases, weight)


CUES: dict[str, Cues] = {
    "security": Cues(
        _w(4, "xss csrf ssrf cve* vulnerab* exploit* injection rce idor clickjacking")
        | _w(3, "insecure unauthori* unauthenticated exposes exposed secrets malicious")
        | _w(2, "leak leaks leaked leaking")
        | _w(2, "security escalation bypass sanitize sanitise brute plaintext csp cors hsts")
        | _w(1, "permission permissions authorization secret encrypt* tls ssl"),
        _p(4, "sql injection", "privilege escalation", "open redirect", "secure flag")
        | _p(3, "can see other", "can access other", "other people's", "other users'")
        | _p(3, "rate limit", "written to the logs", "in the logs", "tokens are", "api keys")
        | _p(2, "password reset", "without permission", "session fixation", "brute force")
        | _p(3, "plain text", "password hashes", "passwords are", "constant-time", "not own")
        | _p(3, "can delete", "can edit other", "can change other", "don't own"),
        words_of("security sec vuln vulnerability cve"),
    ),
    "data_migration": Cues(
        _w(4, "backfill* backfilling")
        | _w(2, "columns column records rows existing stored")
        | _w(1, "migrate migrating migration data dedupe merge convert split"),
        _p(5, "data migration", "migrate data", "existing data", "existing records", "legacy data")
        | _p(3, "to object storage", "name columns", "existing rows", "stored durations")
        | _p(2, "from hours to", "into first", "in the database", "duplicate tags"),
        words_of("migration migrations data db"),
    ),
    "flaky": Cues(
        _w(5, "flaky flakey flake flakes flakiness")
        | _w(3, "intermittent* nondeterministic non-deterministic")
        | _w(2, "randomly sometimes occasionally xdist")
        | _w(1, "runs"),
        _p(4, "order-dependent failure", "fails randomly", "sometimes fails", "race in test")
        | _p(2, "on ci", "first run", "times out on"),
        words_of("flaky flake flakes"),
    ),
    "upgrade": Cues(
        _w(4, "upgrade* upgarde* bump bumps bumping")
        | _w(3, "deprecated deprecation eol")
        | _w(2, "dependency dependencies deps lockfile sdk runtime")
        | _w(1, "python node postgresql postgres django react java go ruby pandas"),
        _p(4, "end of life", "drop support for", "move to python", "move to postgresql")
        | _p(3, "update dependencies", "new version", "major version"),
        words_of("deps dependencies dependency upgrade bump dependabot renovate"),
    ),
    "ci": Cues(
        _w(4, "ci pipeline pipelines workflow workflows jenkins runner runners")
        | _w(3, "nightly build builds lint wheel wheels artifact* dockerfile")
        | _w(1, "job jobs release publish cache push"),
        _p(4, "github actions", "gitlab ci", "build fails", "release pipeline", "ci job")
        | _p(3, "lint job", "docker image", "every push", "pre-commit"),
        words_of("ci build cd pipeline infra devops"),
    ),
    "performance": Cues(
        _w(4, "slow slowly slowness latency perf performance sluggish")
        | _w(3, "faster optimi* speed n+1 memory cpu seconds timeouts")
        | _w(1, "takes load loading cache caching queries heavy"),
        _p(4, "takes too long", "too slow", "so slow", "memory usage", "speed up", "high cpu")
        | _p(5, "memory leak", "takes forever", "takes ages")
        | _p(3, "to load", "grows until"),
        words_of("perf performance speed"),
    ),
    "docs": Cues(
        _w(4, "docs documentation readme docstring* changelog")
        | _w(3, "document documented guide tutorial wiki typo typos")
        | _w(1, "explain describe example examples reference"),
        _p(4, "how do i", "how to", "api reference", "out of date", "installation guide")
        | _p(2, "setup steps", "export format"),
        words_of("docs doc documentation readme"),
    ),
    "tests": Cues(
        _w(3, "coverage tests") | _w(2, "test e2e unit integration"),
        _p(5, "add tests", "write tests", "test coverage", "unit tests", "e2e test")
        | _p(3, "tests for", "integration tests", "an e2e test", "regression tests"),
        words_of("test tests testing qa"),
    ),
    "ui": Cues(
        _w(4, "accessibility a11y aria* contrast screen-reader misaligned overlaps overflows")
        | _w(3, "button buttons css layout responsive tooltip modal dialog keyboard dark")
        | _w(2, "align alignment columns screens mobile icon icons font colour color")
        | _w(1, "page view board readable display shown"),
        _p(4, "screen reader", "dark mode", "small screens", "keyboard shortcuts", "focus ring")
        | _p(3, "not readable", "hard to read", "cut off"),
        words_of("ui ux a11y frontend design css"),
    ),
    "refactor": Cues(
        _w(4, "refactor* restructur* decouple* cleanup")
        | _w(3, "duplicated duplication extract simplify consolidate")
        | _w(1, "split helpers modules rename replace tidy move shared fixtures"),
        _p(4, "clean up", "tech debt", "dead code", "smaller modules", "technical debt")
        | _p(2, "hand-rolled", "left over", "lines long", "over 1000"),
        words_of("refactor refactoring cleanup chore tech-debt"),
    ),
    "bug": Cues(
        _w(3, "crash* error errors exception traceback broken bug bugs regression typeerror")
        | _w(3, "fails failing failed failure wrong incorrect 500 404 hang hangs freezes")
        | _w(2, "duplicate duplicated drops missing stuck keeps differ differs off")
        | _w(2, "can't cannot unable won't")
        | _w(1, "not")
        | _w(2, "loop loops infinite ignores ignored throws thrown loses lost disappears blank")
        | _w(2, "overwrites stale corrupt* garbled mismatch invalid unexpected* panic* segfault")
        | _w(2, "twice negative")
        | _w(1, "returns shows expires after instead early deleted never"),
        _p(3, "does not", "doesn't work", "not working", "no longer", "off by one")
        | _p(2, "instead of", "redirect loop", "null pointer", "stack trace")
        | _p(2, "too early", "keeps running", "get a", "undefined", "is empty"),
        words_of("bug fix bugfix hotfix regression defect"),
    ),
    "investigation": Cues(
        _w(4, "investigate investigation spike research evaluate")
        | _w(2, "explore assess compare vs vs. options why understand occasional")
        | _w(1, "should can"),
        _p(4, "look into", "find out", "figure out", "root cause", "proof of concept")
        | _p(2, "should we", "can we", "is it possible"),
        words_of("spike investigation research question rfc poc"),
    ),
    "feature": Cues(
        _w(3, "add support allow implement introduce enable ability")
        | _w(2, "new option")
        | _w(2, "webhook export integrate integration endpoint digest recurring mention")
        | _w(1, "let create want sort filter notify notifications reminder command bulk custom")
        | _w(1, "configurable toggle preview import settings setting"),
        _p(4, "feature request", "as a user", "i want", "would like", "ability to")
        | _p(3, "option to", "able to"),
        words_of("feat feature enhancement rfe story"),
    ),
}

_HINT_WEIGHT = 6
# What must not be seen, and the ways it gets seen: together they are a security problem
# ("Secret key printed in the startup banner", "API tokens written to the logs").
_SENSITIVE = words_of(
    "password passwords secret secrets token tokens credentials credential cookie cookies "
    "hashes hash pii ssn"
)
_EXPOSED = words_of(
    "printed logged shown exposed leaked visible written sent stored cached returned echoed "
    "displayed readable"
)
# Things software does, said of it: a title that states one is reporting behaviour
# ("Sign-up form accepts an empty email", "Weekly report email arrives twice").
_BEHAVES = words_of(
    "accepts allows arrives counts creates deletes displays ignores jumps lists loads logs "
    "opens prints redirects rejects refuses renders reports resets returns saves sends "
    "shows skips uploads uses"
)
# Verbs that open a request for a change, not a report of a symptom.
_REQUESTS = words_of(
    "use replace move switch make convert rename extract remove drop add allow support "
    "implement introduce show hide let enable disable create build sort filter group send "
    "notify"
)
# A symptom explained by a more specific kind is that kind's, not a bug.
_SYMPTOM_KINDS = frozenset({"ci", "flaky", "performance", "ui", "docs", "security"})


def _word_score(words: frozenset[str], cues: dict[str, int]) -> int:
    score = 0
    for cue, weight in cues.items():
        if cue.endswith("*"):
            stem = cue[:-1]
            score += weight if any(w.startswith(stem) for w in words) else 0
        elif cue in words:
            score += weight
    return score


def scores(read: ReadTitle) -> dict[str, int]:
    words = read.word_set
    padded = f" {' '.join(read.words)} "
    hints = frozenset(read.hints)
    found: dict[str, int] = {}
    for kind, cues in CUES.items():
        score = _word_score(words, cues.words)
        score += sum(w for phrase, w in cues.phrases.items() if f" {phrase} " in padded)
        score += _HINT_WEIGHT * len(hints & cues.hints)
        found[kind] = score
    _adjust(read, found)
    return found


def _adjust(read: ReadTitle, found: dict[str, int]) -> None:
    words = read.words
    if _SENSITIVE & set(words) and _EXPOSED & set(words):
        found["security"] += 4
    if any(w.endswith((".yml", ".yaml")) for w in words):
        found["ci"] += 2
    if words and words[0] in _REQUESTS and any(w.endswith((".py", ".js", ".ts")) for w in words):
        found["refactor"] += 2
    if not read.question and words and words[0] not in _REQUESTS and _BEHAVES & set(words[1:]):
        found["bug"] += 2
    if read.question:  # "Why does the total differ?" reports a bug; "Should we...?" asks
        if found["bug"] >= 2:
            found["bug"] += 2
        else:
            found["investigation"] += 3
    if words and words[0] in _REQUESTS:  # "Use X instead of Y" asks for a change
        found["bug"] = max(0, found["bug"] - 2)
        found["feature"] += 1
    # "to 5.1", "Python 3.9", "PostgreSQL 16": a version named is an upgrade's.
    versions = [w for w in words if is_versionish(w)]
    if versions and (found["upgrade"] or "to" in words):
        found["upgrade"] += 3
    if any(w.startswith("cve-") for w in words):
        found["upgrade"] = min(found["upgrade"], found["security"] - 1)
    if "test" in words or "tests" in words or any(w.startswith("test_") for w in words):
        found["flaky"] += 2 if found["flaky"] else 0
    named_test = any(w.startswith("test_") for w in words)
    if named_test and (found["bug"] >= 3 or found["flaky"]):  # a named test that fails
        found["flaky"] += 3
        found["tests"] = 0
    # Fixing a build, a flaky test, a slow page: "fix:" says bug, the rest says which.
    specific = max(found[k] for k in _SYMPTOM_KINDS)
    if specific >= 4 and found["bug"] <= specific + _HINT_WEIGHT:
        found["bug"] = min(found["bug"], specific - 1)
    # "Add tests for X", "Add docs for Y": the verb is a feature's, the work is not.
    if found["tests"] >= 5 or found["docs"] >= 4:
        found["feature"] = min(found["feature"], 2)


def classify(title: str | ReadTitle) -> str:
    read = read_title(title) if isinstance(title, str) else title
    found = scores(read)
    best = max(KINDS[:-1], key=lambda kind: (found[kind], -KINDS.index(kind)))
    return best if found[best] >= 2 else "general"


def label(kind: str) -> str:
    return LABELS.get(kind, kind)
