"""How well the offline helper reads titles: the share of labelled titles read as the right
kind of work, per kind, the spread of estimates, and each draft in full.

    .venv/bin/python benchmarks/ai_eval.py                 # the set in tests/ai/labelled_titles.py
    .venv/bin/python benchmarks/ai_eval.py --titles FILE   # lines of "title<TAB>kind"
    .venv/bin/python benchmarks/ai_eval.py --quiet         # figures only, no drafts

The drafts are the offline helper's without history (no database): what a new workspace, or
`make run` without a Gemini key, shows for a title nobody has done before. Kinds are those of
sprintsync.services.ai.kinds.KINDS.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sprintsync.domain import format_duration
from sprintsync.services.ai.fallback import draft_from_title
from sprintsync.services.ai.kinds import KINDS, classify
from sprintsync.services.ai.suggestion import Suggestion


def load(path: str | None) -> list[tuple[str, str]]:
    if path is None:
        from tests.ai.labelled_titles import LABELLED

        return LABELLED
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            title, _, kind = line.rpartition("\t")
            rows.append((title.strip(), kind.strip()))
    unknown = {kind for _, kind in rows} - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown kinds in {path}: {sorted(unknown)}; use {', '.join(KINDS)}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--titles", help="a file of title<TAB>kind lines")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    rows = load(args.titles)

    started = time.perf_counter()
    got = [classify(title) for title, _ in rows]
    per_title_us = (time.perf_counter() - started) / len(rows) * 1e6
    right = [g == k for g, (_, k) in zip(got, rows, strict=True)]

    if not args.quiet:
        for (title, kind), guess in zip(rows, got, strict=True):
            draft = draft_from_title(title)
            mark = "ok  " if guess == kind else "MISS"
            print(f"{mark} [{kind} -> {guess}] {title}")
            shown = Suggestion(
                mode="draft",
                source="fallback",
                reason="no_key",
                latency_seconds=0,
                goal=draft.goal,
                steps=draft.steps,
                acceptance_criteria=draft.acceptance_criteria,
                estimate_minutes=draft.estimate_minutes,
            )
            for line in shown.description().splitlines():
                print(f"    {line}")
            print(f"    Estimate: {format_duration(draft.estimate_minutes)}\n")

    by_kind: dict[str, list[bool]] = defaultdict(list)
    for (_, kind), ok in zip(rows, right, strict=True):
        by_kind[kind].append(ok)
    print(f"Classified right: {sum(right)} of {len(rows)} ({sum(right) / len(rows):.1%})")
    for kind in KINDS:
        if kind in by_kind:
            oks = by_kind[kind]
            print(f"  {kind:<15} {sum(oks):>3} of {len(oks):<3} ({sum(oks) / len(oks):.0%})")
    confused = Counter((k, g) for g, (_, k) in zip(got, rows, strict=True) if g != k)
    if confused:
        print("Most confused (expected -> read):")
        for (kind, guess), n in confused.most_common(5):
            print(f"  {kind} -> {guess}: {n}")
    sizes = Counter(draft_from_title(title).estimate_minutes for title, _ in rows)
    common, count = sizes.most_common(1)[0]
    median = statistics.median(m for m, n in sizes.items() for _ in range(n))
    print(
        f"Estimates: {len(sizes)} distinct values, median {format_duration(int(median))}; "
        f"the most common, {format_duration(common)}, for {count} of {len(rows)} "
        f"({count / len(rows):.0%})"
    )
    print(f"Reading a title: {per_title_us:.0f} µs each")


if __name__ == "__main__":
    main()
