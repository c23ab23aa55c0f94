"""Run the Streamlit server in this process (what `sprintsync serve` ends with)."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli as streamlit_cli

# Registers the live session count on /metrics before the first page run.
from sprintsync.ui import observe  # noqa: F401


def run_streamlit(app: Path, *, port: int | None = None, address: str | None = None) -> int:
    """Blocks until the server stops; returns its exit code. Unset options come from
    .streamlit/config.toml, as with `streamlit run`."""
    # app.py sits next to pages/, so Streamlit would serve each process's first page load in
    # its old pages/-directory mode (a deep link would run the page file without app.py and
    # show "Page not found"). Navigation is st.navigation's alone; see ui/navigation.py.
    # Not public API: streamlit is pinned exactly in pyproject.toml.
    PagesManager.uses_pages_directory = False
    args = ["run", str(app), "--server.headless", "true"]
    if port is not None:
        args += ["--server.port", str(port)]
    if address is not None:
        args += ["--server.address", address]
    try:
        streamlit_cli.main.main(args=args, prog_name="streamlit", standalone_mode=False)
    except SystemExit as done:  # Streamlit exits through sys.exit on shutdown
        return int(done.code or 0)
    return 0
