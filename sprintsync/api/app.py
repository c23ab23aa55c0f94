"""The app factory: /api/v1 routes over the services, local OpenAPI docs, one error shape."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from sprintsync import __version__
from sprintsync.api import errors, schemas
from sprintsync.api.middleware import RequestContext
from sprintsync.api.routers import me, planning, reports, tasks, time, weeks
from sprintsync.config import Settings, get_settings

PREFIX = "/api/v1"
OPENAPI = f"{PREFIX}/openapi.json"
ASSETS = f"{PREFIX}/docs/assets"
DESCRIPTION = (
    "SprintSync's JSON API: the same services and permissions as the app and the CLI. "
    "Send a personal access token (Account page, or `sprintsync tokens add`) as "
    '`Authorization: Bearer <token>`. Errors: `{"error": {"code", "message", '
    '"request_id"}}`.'
)
ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": schemas.Error, "description": code}
    for status, code in (
        (401, "no token, or one not valid"),
        (403, "not allowed (role, or a read-only token)"),
        (404, "not found"),
        (409, "conflict: changed meanwhile"),
        (422, "invalid input"),
        (429, "rate limited"),
    )
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="SprintSync API",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=OPENAPI,
        # FastAPI's own docs pages load their scripts from a CDN; ours come from the
        # swagger-ui-bundle wheel, served below.
        docs_url=None,
        redoc_url=None,
    )
    errors.install(app)
    app.add_middleware(RequestContext, body_max=settings.api_body_max_bytes)
    app.mount(ASSETS, StaticFiles(directory=Path(swagger_ui_path)), name="docs-assets")

    @app.get(f"{PREFIX}/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI,
            title="SprintSync API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )

    v1 = APIRouter(prefix=PREFIX, responses=ERRORS)
    for module in (me, tasks, time, weeks, planning, reports):
        v1.include_router(module.router)
    app.include_router(v1)
    return app
