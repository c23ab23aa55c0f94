"""Scrub secrets from log output: passwords, tokens, cookies, API keys, URL credentials.

Two nets, because neither alone is enough: the secrets this process knows (its settings) are
removed wherever they appear, and well-known shapes of secrets (JWTs, Google API keys, bcrypt
hashes, `password=...` pairs, `Authorization`/`Cookie` headers, `user:pass@` in URLs) are
removed even when nobody registered them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "[REDACTED]"

# A field whose *name* says it holds a secret is masked whole, whatever its value.
SENSITIVE_KEY = re.compile(
    r"pass(word|wd|phrase)?|pwd|secret|token|cookie|api[_-]?key|authorization|credential",
    re.IGNORECASE,
)

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JSON Web Tokens (session cookies of streamlit-authenticator are JWTs).
    (re.compile(r"\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}"), MASK),
    # Google API keys (Gemini).
    (re.compile(r"\bAIza[\w-]{30,}"), MASK),
    # bcrypt hashes: not the password, but an offline-crackable copy of it.
    (re.compile(r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"), MASK),
    # Header lines and HTTP-ish pairs: "Authorization: Bearer x", "Cookie: a=b; c=d".
    (
        re.compile(
            r"(?i)\b(authorization|proxy-authorization|cookie|set-cookie)(\s*[:=]\s*)[^\n]+"
        ),
        r"\1\2" + MASK,
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]{8,}"), r"\1 " + MASK),
    # key=value, key: value and "key": "value" where the key names a secret.
    (
        re.compile(
            r"""(?ix)
            (["']?\b[\w-]*(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|cookie)
              [\w-]*["']?\s*[:=]\s*)
            (?:"[^"]*"|'[^']*'|[^\s,;&)}\]]+)
            """
        ),
        r"\1" + MASK,
    ),
    # Credentials inside URLs: scheme://user:password@host
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.IGNORECASE), r"\1" + MASK + "@"),
)

_known: set[str] = set()
_known_lock = threading.Lock()
# Shorter strings are too likely to be ordinary words to mask everywhere.
MIN_KNOWN_LENGTH = 6


def register_secrets(values: Iterable[str | None]) -> None:
    """Remember secret values (the secret key, passwords from the settings) to mask them."""
    with _known_lock:
        _known.update(v for v in values if v and len(v) >= MIN_KNOWN_LENGTH)


def redact_text(text: str) -> str:
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, key: str | None = None) -> Any:
    """A copy of value with secrets masked; containers are walked, other types kept."""
    if key is not None and SENSITIVE_KEY.search(key) and value not in (None, ""):
        return MASK
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [redact(v) for v in value]
    return value
