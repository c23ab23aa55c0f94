"""The server's garbage collection: no full collection after each run, a frozen start-up heap."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_does_not_collect_the_whole_heap_after_every_run():
    config = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_settle_heap_imports_the_pages_parts_and_freezes_what_is_alive():
    # A process of its own: freezing is for the life of a process.
    probe = (
        "import gc, sys\n"
        "from sprintsync.ui.server import settle_heap\n"
        "assert gc.get_freeze_count() == 0\n"
        "assert 'sprintsync.ui.parts.analytics' not in sys.modules\n"
        "settle_heap()\n"
        "print(gc.get_freeze_count(), 'sprintsync.ui.parts.analytics' in sys.modules,"
        " 'plotly.graph_objects' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    frozen, parts, plotly = done.stdout.split()
    assert int(frozen) > 50_000  # the modules' objects, not a handful
    assert parts == "True" and plotly == "True"
