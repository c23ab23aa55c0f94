"""One JSON shape for every refusal: {"error": {"code", "message", "request_id"}}.

Domain errors keep their user-fit message and get the HTTP status that says the same thing;
anything unexpected is logged with its stack trace and answered with a short message that
names the request id, so an operator can find it in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sprintsync.domain import shorten
from sprintsync.errors import (
    AuthError,
    Conflict,
    DatabaseUnavailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    SprintSyncError,
    ValidationError,
)

log = logging.getLogger("sprintsync.api")

REQUEST_ID_HEADER = "X-Request-ID"
# Most specific first: TimerTooLong is a ValidationError, DiskFull a DatabaseUnavailable.
STATUS: tuple[tuple[type[SprintSyncError], int, str], ...] = (
    (AuthError, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (ValidationError, 422, "invalid"),
    (RateLimited, 429, "rate_limited"),
    (DatabaseUnavailable, 503, "unavailable"),
)
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}
DETAILS_MAX = 5  # validation problems listed in one message


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or "")


def error_response(
    request: Request | None,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    rid: str | None = None,
) -> JSONResponse:
    rid = rid if rid is not None else (request_id(request) if request is not None else "")
    body = {"error": {"code": code, "message": message, "request_id": rid}}
    return JSONResponse(
        body, status_code=status, headers={REQUEST_ID_HEADER: rid, **(headers or {})}
    )


def status_of(error: SprintSyncError) -> tuple[int, str]:
    for kind, status, code in STATUS:
        if isinstance(error, kind):
            return status, code
    return 400, "bad_request"


def _domain(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, SprintSyncError)
    status, code = status_of(error)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    retry = getattr(error, "retry_after", None)
    if status == 429 and retry:
        headers["Retry-After"] = str(int(retry))
    return error_response(request, status, code, error.message, headers)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return shorten(".".join(parts), 80) or "the request"


def _invalid(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    if any(p.get("type") == "json_invalid" for p in problems):
        return error_response(request, 400, "bad_request", "The body is not valid JSON.")
    # Only where and what: pydantic's `input` would echo a hostile megabyte back.
    said = [
        f"{_where(tuple(p.get('loc', ())))}: {shorten(str(p.get('msg', '')), 120)}"
        for p in problems[:DETAILS_MAX]
    ] or ["the request is not valid"]
    more = len(problems) - DETAILS_MAX
    message = "; ".join(said) + (f"; and {more} more" if more > 0 else "")
    return error_response(request, 422, "invalid", message)


def _http(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = HTTP_CODES.get(error.status_code, "error")
    message = {
        404: "There is nothing at this address; see /api/v1/docs.",
        405: "This address does not take that method; see /api/v1/docs.",
    }.get(error.status_code, shorten(str(error.detail), 200))
    return error_response(request, error.status_code, code, message, dict(error.headers or {}))


def _unexpected(request: Request, error: Exception) -> JSONResponse:
    rid = request_id(request)
    log.exception("unexpected error in %s, request %s", request.url.path, rid)
    return error_response(
        request,
        500,
        "internal",
        f"Something unexpected went wrong (request {rid}); the log has the details.",
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(SprintSyncError, _domain)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
