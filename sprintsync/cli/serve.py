"""`sprintsync serve`: the app as the container and `make run` start it."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from sprintsync import observability, startup

log = logging.getLogger("sprintsync.serve")

# app.py sits at the root of a checkout; in the container image, in the working dir /app.
CHECKOUT_APP = Path(__file__).resolve().parents[2] / "app.py"


@click.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="App port (8501).")
@click.option(
    "--address", default=None, help="App bind address (127.0.0.1; 0.0.0.0 in a container)."
)
@click.option(
    "--app",
    "app_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The Streamlit script (default: app.py of this installation).",
)
def serve(port: int | None, address: str | None, app_path: Path | None) -> None:
    """Check the settings, start the metrics sidecar, migrate, then run the Streamlit app.

    The sidecar (/metrics, /healthz on SPRINTSYNC_METRICS_HOST:SPRINTSYNC_METRICS_PORT) is up
    before the first visitor; migrations run under an advisory lock, so replicas may start
    together."""
    app_path = app_path or _default_app()
    settings = startup.check_settings()
    sidecar = observability.start_once(settings)
    log.info(
        "serving %s (%s); metrics %s",
        app_path,
        settings.env,
        sidecar.url if sidecar else "unavailable",
        extra={"event": "serve_starting", "outcome": "ok"},
    )
    startup.prepare_database()
    from sprintsync.ui.server import run_streamlit  # late: only this command needs Streamlit

    raise click.exceptions.Exit(run_streamlit(app_path, port=port, address=address))


def _default_app() -> Path:
    for candidate in (CHECKOUT_APP, Path.cwd() / "app.py"):
        if candidate.is_file():
            return candidate
    raise click.UsageError("Cannot find app.py; pass --app PATH.")
