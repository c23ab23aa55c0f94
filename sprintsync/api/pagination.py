"""Cursor pagination: `cursor` is opaque to callers, who pass back the `next_cursor` of the
page before. It holds the position and a digest of the filters, so a cursor is refused with
other filters instead of silently skipping or repeating items. Every listing the API pages
through is ordered to the id, so a position names the same place between requests (a row
added or removed before it shifts later pages by that row, as in any position-based page)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from typing import Any, TypeVar

from sprintsync.errors import ValidationError

T = TypeVar("T")
CURSOR_MAX = 200
LIMIT_MAX = 500
BAD_CURSOR = "That cursor is not one this listing gave out; start again without it."


def _digest(filters: dict[str, Any]) -> str:
    text = json.dumps(filters, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def encode(offset: int, filters: dict[str, Any]) -> str:
    raw = json.dumps({"o": offset, "f": _digest(filters)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str | None, filters: dict[str, Any]) -> int:
    """The offset a cursor names for these filters (0 without one)."""
    if not cursor:
        return 0
    if len(cursor) > CURSOR_MAX:
        raise ValidationError(BAD_CURSOR)
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise ValidationError(BAD_CURSOR) from None
    offset = data.get("o") if isinstance(data, dict) else None
    if not isinstance(offset, int) or offset < 0 or data.get("f") != _digest(filters):
        raise ValidationError(BAD_CURSOR)
    return offset


def next_cursor(offset: int, got: int, total: int, filters: dict[str, Any]) -> str | None:
    after = offset + got
    return encode(after, filters) if got and after < total else None


def window(items: Sequence[T], offset: int, limit: int) -> list[T]:
    return list(items[offset : offset + limit])
