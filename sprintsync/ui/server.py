"""Run the Streamlit server in this process (what `sprintsync serve` ends with)."""

from __future__ import annotations

import gc
import importlib
import pkgutil
from pathlib import Path

from streamlit.web import cli as streamlit_cli

# Registers the live session count on /metrics before the first page run.
from sprintsync.ui import observe  # noqa: F401


def settle_heap() -> None:
    """Import what the pages draw with, then move everything alive into the collector's
    permanent generation: the modules live as long as the process, and Python's full
    collections then walk only what page runs allocate (see runner.postScriptGC in
    .streamlit/config.toml). The first visit to a page also no longer pays its imports."""
    from sprintsync.ui import parts

    for module in pkgutil.iter_modules(parts.__path__):
        importlib.import_module(f"{parts.__name__}.{module.name}")
    gc.collect()
    gc.freeze()


def run_streamlit(app: Path, *, port: int | None = None, address: str | None = None) -> int:
    """Blocks until the server stops; returns its exit code. Unset options come from
    .streamlit/config.toml, as with `streamlit run`."""
    args = ["run", str(app), "--server.headless", "true"]
    if port is not None:
        args += ["--server.port", str(port)]
    if address is not None:
        args += ["--server.address", address]
    settle_heap()
    try:
        streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=False)
    except SystemExit as done:  # Streamlit exits through sys.exit on shutdown
        return int(done.code or 0)
    return 0
