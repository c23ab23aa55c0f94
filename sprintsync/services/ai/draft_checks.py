"""Gemini's drafts checked on meaning, not only shape:

- a line with a link, an e-mail address, a shell command or a request for credentials is
  dropped (a draft left with fewer than two steps, or whose goal has one, is refused);
- a draft that shares no telling word with its title is off topic and refused;
- an estimate far outside what similar finished tasks took (over FAR times the top of the
  range or under 1/FAR of its bottom) is replaced by the history's median.

Each change is said in a flag shown with the draft. Words are compared by their first
letters (STEM), so "migrate" matches "migration". Scanning is by words: no regular expressions.
"""

from __future__ import annotations

from sprintsync.domain import format_duration
from sprintsync.services.ai.history import History, search_terms
from sprintsync.services.ai.suggestion import DraftContent, ProviderFailure
from sprintsync.services.ai.titles import read_title, words_of

FAR = 3
STEM = 5
_SCHEMES = ("http://", "https://", "ftp://", "file://", "www.", "ssh://", "git@")
_SHELL_WORDS = words_of(
    "sudo rm curl wget chmod chown bash sh zsh powershell eval exec scp ssh nc netcat "
    "kubectl mkfs dd"
)
_SHELL_MARKS = ("$(", "&&", "||", "| sh", "|sh", "`", "; rm", "> /dev", ">/dev")
_SECRETS = words_of(
    "password passwords passphrase credentials credential token tokens secret secrets otp "
    "2fa mfa pin ssn"
) | frozenset({"api key", "private key", "access key", "recovery code"})
_SAFE_WITH_SECRETS = words_of("rotate rotated revoke revoked reset expire expired hash")
_ASKING = words_of(
    "send share paste give provide email e-mail post tell dm message reply forward enter "
    "upload type"
)


def problem(line: str) -> str | None:
    """Why a line of a draft must not be shown: a link, an e-mail address, a shell command
    or a request for credentials; None if it is fine."""
    lowered = line.casefold()
    if any(scheme in lowered for scheme in _SCHEMES):
        return "a link"
    words = [w.strip(".,;:!?()[]{}\"'") for w in lowered.split()]
    if any(_is_email(w) for w in words):
        return "an e-mail address"
    if any(mark in lowered for mark in _SHELL_MARKS) or (words and words[0] in _SHELL_WORDS):
        return "a shell command"
    if sum(w in _SHELL_WORDS for w in words) >= 1 and any(w.startswith("-") for w in words):
        return "a shell command"
    if _asks_for_secret(words):
        return "a request for credentials"
    return None


def _asks_for_secret(words: list[str]) -> bool:
    """'Ask them to send their password', 'Share your API key with...': a verb of handing
    over within a few words before a secret. 'Rotate the token' does not ask for one."""
    if _SAFE_WITH_SECRETS & set(words):
        return False
    for n, word in enumerate(words):
        pair = f"{word} {words[n + 1]}" if n + 1 < len(words) else ""
        if (word in _SECRETS or pair in _SECRETS) and _ASKING & set(words[max(0, n - 5) : n]):
            return True
    return False


def _is_email(word: str) -> bool:
    local, at, domain = word.partition("@")
    return bool(at and local and "." in domain.strip(".") and " " not in domain)


def checked_draft(content: DraftContent, title: str, history: History | None) -> DraftContent:
    if why := problem(content.goal):
        raise ProviderFailure("unsafe", f"the goal had {why}")
    flags: list[str] = []
    steps = _kept(content.steps, "step", flags)
    criteria = _kept(content.acceptance_criteria, "acceptance criterion", flags)
    if len(steps) < 2 or not criteria:
        raise ProviderFailure("unsafe", "too little was left once unsafe lines were dropped")
    if _off_topic(title, [content.goal, *steps, *criteria]):
        raise ProviderFailure("off_topic", "no word of the title in the draft")
    estimate = content.estimate_minutes
    if history and history.grounded and history.median is not None:
        low, high = history.low or history.median, history.high or history.median
        if estimate > FAR * high or estimate * FAR < low:
            flags.append(
                f"Gemini's estimate of {format_duration(estimate)} was far outside the "
                f"{format_duration(low)}-{format_duration(high)} that similar tasks took; "
                f"{format_duration(history.median)} from the history is used instead"
            )
            estimate = history.median
    return DraftContent(
        goal=content.goal,
        steps=steps,
        acceptance_criteria=criteria,
        estimate_minutes=estimate,
        kind=content.kind,
        unsure=content.unsure,
        flags=tuple(flags),
    )


def _kept(lines: tuple[str, ...], what: str, flags: list[str]) -> tuple[str, ...]:
    kept = []
    for line in lines:
        why = problem(line)
        if why is None:
            kept.append(line)
        else:
            flags.append(f"a {what} with {why} was dropped")
    return tuple(kept)


def _off_topic(title: str, lines: list[str]) -> bool:
    terms = {t[:STEM] for t in search_terms(read_title(title)) if not t.isdigit()}
    if len(terms) < 2:
        return False  # a one-word title gives too little to judge by
    said = {w.strip(".,;:!?()\"'“”")[:STEM] for line in lines for w in line.casefold().split()}
    return not (terms & said)
