"""What the benchmark scripts share: the load average beside every figure, p50 / p95 of
samples, a call timed after its warm-up, and a page timed through AppTest."""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def load() -> dict[str, float]:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def percentiles(samples: list[float], digits: int = 1) -> dict[str, float]:
    """The median and the nearest-rank 95th percentile, in the samples' unit."""
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "p50": round(statistics.median(ordered), digits),
        "p95": round(p95, digits),
        "runs": len(ordered),
    }


def timed(fn: Callable[[], Any], runs: int, *, warm: int = 1, digits: int = 1) -> dict[str, float]:
    """Milliseconds per call of `fn` over `runs` calls after `warm` unmeasured ones (plans,
    caches and connections)."""
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples, digits)


def page_run_times(
    page: Path, actor: Any, runs: int, change: Callable[[Any], None] | None = None
) -> dict[str, Any]:
    """A page through AppTest as `actor` sees it: the first run (after `change`, if given, as
    a person's widget changes) and then `runs` reruns, with the number of charts drawn."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(page), default_timeout=60)
    at.session_state["actor"] = actor
    started = time.perf_counter()
    at.run()
    if change is not None:
        change(at)
        at.run()
    first = (time.perf_counter() - started) * 1000
    if at.exception or at.error:
        raise SystemExit(f"{page.name} failed: {at.exception or at.error}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        samples.append((time.perf_counter() - started) * 1000)
    charts = len(at.get("plotly_chart"))
    return percentiles(samples) | {"first_ms": round(first, 1), "charts": charts} | load()
