"""The AI helpers' cache and per-user rate limit. Both live in this process's memory: each app
or CLI process has its own (several Streamlit workers each allow a user the full rate).
`limits` can keep its windows in Redis or memcached instead if that ever matters.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Hashable

from cachetools import TTLCache
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from sprintsync.errors import RateLimited
from sprintsync.services.ai.suggestion import Suggestion

CACHE_SIZE = 2048

_lock = threading.Lock()
_cache: TTLCache[Hashable, Suggestion] | None = None
_storage = MemoryStorage()
_limiter = MovingWindowRateLimiter(_storage)


def clock() -> float:
    """The cache's clock; tests move it forward instead of sleeping."""
    return time.monotonic()


def _cache_for(ttl_seconds: float) -> TTLCache[Hashable, Suggestion]:
    global _cache
    if _cache is None or _cache.ttl != ttl_seconds:
        _cache = TTLCache(maxsize=CACHE_SIZE, ttl=ttl_seconds, timer=lambda: clock())
    return _cache


def cached(key: Hashable, ttl_seconds: float) -> Suggestion | None:
    if ttl_seconds <= 0:
        return None
    with _lock:
        return _cache_for(ttl_seconds).get(key)


def remember(key: Hashable, suggestion: Suggestion, ttl_seconds: float) -> None:
    if ttl_seconds <= 0:
        return
    with _lock:
        _cache_for(ttl_seconds)[key] = suggestion


def check_rate(user_id: int, per_minute: int) -> None:
    """Count one request for the user, or raise RateLimited if they are over the limit."""
    item = RateLimitItemPerMinute(per_minute)
    if _limiter.hit(item, "ai", str(user_id)):
        return
    reset_at = _limiter.get_window_stats(item, "ai", str(user_id)).reset_time
    wait = max(1, math.ceil(reset_at - time.time()))
    raise RateLimited(
        f"You have asked for {per_minute} AI suggestions in the last minute, the most allowed; "
        f"try again in {wait} second{'s' if wait != 1 else ''}."
    )


def reset() -> None:
    """Forget every cached answer and every counted request (tests, operators)."""
    global _cache
    with _lock:
        _cache = None
    _storage.reset()
