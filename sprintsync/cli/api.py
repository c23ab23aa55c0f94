"""`sprintsync api`: the HTTP API on uvicorn, beside the app (see docs/API.md)."""

from __future__ import annotations

import logging

import click

from sprintsync import observability, startup

log = logging.getLogger("sprintsync.api")


@click.command("api")
@click.option("--host", default=None, help="Bind address (SPRINTSYNC_API_HOST, default 127.0.0.1).")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Port (SPRINTSYNC_API_PORT, default 8502).",
)
def api(host: str | None, port: int | None) -> None:
    """Check the settings, migrate, then serve the JSON API under /api/v1 (docs at
    /api/v1/docs). Its metrics sidecar listens on SPRINTSYNC_API_METRICS_PORT (9465)."""
    import uvicorn  # late: only this command needs the server

    from sprintsync.api import create_app

    settings = startup.check_settings()
    sidecar = observability.start_once(
        settings.model_copy(update={"metrics_port": settings.api_metrics_port})
    )
    startup.prepare_database()
    host, port = host or settings.api_host, port or settings.api_port
    log.info(
        "API on http://%s:%d/api/v1 (%s); metrics %s",
        host,
        port,
        settings.env,
        sidecar.url if sidecar else "unavailable",
        extra={"event": "api_starting", "outcome": "ok"},
    )
    # uvicorn's own access log would print raw paths and queries: ours logs route templates.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        server_header=False,
    )
