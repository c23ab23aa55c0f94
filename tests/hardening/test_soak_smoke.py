"""A short run of benchmarks/soak.py in the suite: the long soak stays a benchmark."""

import importlib.util
from pathlib import Path

SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


def test_a_short_soak_ends_consistent_with_no_unexpected_errors(fresh_db):
    spec = importlib.util.spec_from_file_location("soak", SOAK)
    soak = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(soak)
    report = soak.run(fresh_db, n_users=6, seconds=4, think=0.05)
    assert report["actions"] > 50
    assert report["errors"] == {}
    assert report["consistency"] == {
        "tasks_whose_total_differs_from_their_entries": 0,
        "tasks_with_negative_totals": 0,
        "connections_checked_out_at_end": 0,
    }
    assert set(report["per_action"]) >= {"list_tasks", "log_time", "get_task"}
