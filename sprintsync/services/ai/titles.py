"""Reading a task title as engineers write them: prefixes ("[BUG]", "[Security]", "feat:",
"fix(ci):", "JIRA-123", "#42", "Backend:"), symptom sentences, questions.

A scanner, not regular expressions: one pass over at most TITLE_READ_MAX characters, so no
title can make it backtrack (the house rule, as in sprintsync.durations).
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE_READ_MAX = 300
PREFIXES_MAX = 4


def words_of(text: str) -> frozenset[str]:
    """A set of words written as one string (tables of cue words read better that way)."""
    return frozenset(text.split())


_BRACKETS = {"[": "]", "(": ")", "{": "}"}
_BRACKET_MAX = 30
_TYPE_MAX = 16
# Characters that may sit inside a word: "don't", "node.js", "v2.3", "c++", "c#", "x-api-key".
_INNER = frozenset("'’.-_/+#")
_QUESTION_WORDS = words_of(
    "why how what which who where when is are can could should would will does do did any"
)
_SEPARATORS = frozenset("-–—|:>»")


@dataclass(frozen=True, slots=True)
class ReadTitle:
    """A title taken apart: `text` without its prefixes, `words` lower-cased, `hints` what
    the prefixes said (a type such as "fix", a scope such as "ci", a bracket's word)."""

    original: str
    text: str
    words: tuple[str, ...]
    hints: tuple[str, ...]
    question: bool

    @property
    def word_set(self) -> frozenset[str]:
        return frozenset(self.words)

    def bigrams(self) -> frozenset[str]:
        return frozenset(f"{a} {b}" for a, b in zip(self.words, self.words[1:], strict=False))


def read_title(title: str) -> ReadTitle:
    original = " ".join(title[:TITLE_READ_MAX].split())
    rest, hints = _strip_prefixes(original)
    rest = rest.strip("".join(_SEPARATORS) + " ") or original
    words = tuple(_words(rest))
    first = words[0] if words else ""
    question = rest.endswith("?") or (first in _QUESTION_WORDS and len(words) > 2 and _asks(words))
    return ReadTitle(original, rest, words, tuple(hints), question)


def _asks(words: tuple[str, ...]) -> bool:
    """'Is the cache shared across replicas' asks; 'Is broken on Safari' (subject dropped)
    and 'Do not retry 4xx' do not."""
    return words[0] != "do" or words[1] not in ("not", "n't")


def _strip_prefixes(text: str) -> tuple[str, list[str]]:
    """The title without its tags and references, and what they said. An area ("Checkout:
    crashes on an empty cart") is a hint but stays in the text: it names what is affected."""
    hints: list[str] = []
    kept = ""
    for _ in range(PREFIXES_MAX):
        text = text.lstrip(" " + "".join(_SEPARATORS))
        taken = _bracket(text) or _commit_type(text) or _ticket(text)
        if taken is None and not kept and (area := _area(text)) is not None:
            hints.extend(area[0])
            kept, text = text[: len(text) - len(area[1])] + " ", area[1]
            continue
        if taken is None:
            break
        found, text = taken
        hints.extend(found)
    return kept + text, hints


def _bracket(text: str) -> tuple[list[str], str] | None:
    """'[BUG] x', '(ui) x': the words inside as hints."""
    if not text or text[0] not in _BRACKETS:
        return None
    close = text.find(_BRACKETS[text[0]], 1, _BRACKET_MAX + 2)
    if close < 2:
        return None
    return _words(text[1:close]), text[close + 1 :]


def _commit_type(text: str) -> tuple[list[str], str] | None:
    """Conventional commits: 'feat: x', 'fix(ci): x', 'chore(deps)!: x', 'perf!: x'."""
    n = 0
    while n < len(text) and n <= _TYPE_MAX and text[n].isascii() and text[n].isalpha():
        n += 1
    if n == 0 or n > _TYPE_MAX:
        return None
    kind, scope, i = text[:n].lower(), "", n
    if i < len(text) and text[i] == "(":
        close = text.find(")", i + 1, i + _BRACKET_MAX + 2)
        if close < 0:
            return None
        scope, i = text[i + 1 : close], close + 1
    if i < len(text) and text[i] == "!":
        i += 1
    if i >= len(text) or text[i] != ":" or (not scope and not _known_type(kind)):
        return None
    return [kind, *_words(scope)], text[i + 1 :]


# Types of conventional commits; any other "word:" is an area ("Backend: x"), see _area.
_COMMIT_TYPES = words_of(
    "feat fix docs doc style refactor perf test tests build ci chore revert deps security "
    "sec bug bugfix hotfix a11y ui ux i18n"
)


def _known_type(word: str) -> bool:
    return word in _COMMIT_TYPES


def _ticket(text: str) -> tuple[list[str], str] | None:
    """'JIRA-123 x', 'ABC-12: x', '#42 x', 'GH-7 x': a reference, not part of the work."""
    if text.startswith("#"):
        n = 1
        while n < len(text) and text[n].isdigit():
            n += 1
        return ([], text[n:]) if n > 1 else None
    n = 0
    while (
        n < len(text)
        and n <= 12
        and (text[n].isascii() and (text[n].isupper() or text[n].isdigit()))
    ):
        n += 1
    if n < 2 or not text[0].isalpha() or n >= len(text) or text[n] != "-":
        return None
    m = n + 1
    while m < len(text) and text[m].isdigit():
        m += 1
    if m == n + 1 or m - n > 9 or (m < len(text) and not (text[m].isspace() or text[m] in ":")):
        return None
    return [], text[m:].lstrip(":")


def _area(text: str) -> tuple[list[str], str] | None:
    """'Backend: x', 'Docs - x', 'API › x': one or two words and a separator, as a hint."""
    for n, c in enumerate(text[:24]):
        if c == ":" and n > 0:
            head = text[:n]
            if 1 <= len(head.split()) <= 2 and not head.endswith(" "):
                return _words(head), text[n + 1 :]
            return None
        if not (c.isalnum() or c in " -_/."):
            return None
    return None


def _words(text: str) -> list[str]:
    """Lower-case words; inner apostrophes, dots, dashes and slashes stay ("don't", "node.js",
    "v2.3", "x-api-key"); "n't" contractions also give "not" after the word."""
    found: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if not text[i].isalnum():
            i += 1
            continue
        j = i + 1
        while j < n and (
            text[j].isalnum() or (text[j] in _INNER and j + 1 < n and text[j + 1].isalnum())
        ):
            j += 1
        while j < n and text[j] in "+#":  # c++, c#
            j += 1
        word = text[i:j].lower().replace("’", "'")
        found.append(word)
        if word.endswith("n't") or word in ("cannot", "cant", "wont", "dont", "doesnt", "isnt"):
            found.append("not")
        i = j
    return found


def is_versionish(word: str) -> bool:
    """'3.12', 'v5', '18.x', 'es2022': a version or a numbered release."""
    body = word[1:] if word[:1] == "v" else word
    return any(c.isdigit() for c in body) and all(c.isdigit() or c in ".x" for c in body[:1])
