"""A short run of benchmarks/soak.py in the suite (two teams sharing their tasks): the long
soak stays a benchmark."""

import importlib.util
from pathlib import Path

SOAK = Path(__file__).resolve().parents[2] / "benchmarks" / "soak.py"


def test_a_short_soak_ends_consistent_with_no_unexpected_errors(fresh_db):
    spec = importlib.util.spec_from_file_location("soak", SOAK)
    soak = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(soak)
    report = soak.run(fresh_db, n_users=10, seconds=5, think=0.05)
    assert report["actions"] > 50
    assert report["errors"] == {}
    assert set(report["consistency"].values()) == {0}
    assert report["teams"] == 2
    assert set(report["per_action"]) >= {"list_tasks", "log_time", "get_task", "hand_over"}
    # The team shares its tasks: hand-overs happen and race members' actions.
    assert report["per_action"]["hand_over"]["outcomes"].get("ok", 0) > 0
