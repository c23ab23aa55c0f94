"""Around every request: its id, the body-size cap, one log line, and the metrics.

A plain ASGI middleware (not BaseHTTPMiddleware), so the body is capped as it streams in: a
request without Content-Length cannot send more than the cap either.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sprintsync import metrics
from sprintsync.api.errors import error_response

log = logging.getLogger("sprintsync.api")

API_PREFIX = "/api/v1"
REQUEST_ID_MAX = 64
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


class BodyTooLarge(Exception):
    pass


@dataclass
class _Response:
    status: int = 500  # what an exception that escapes every handler becomes
    started: bool = False


def given_request_id(value: str | None) -> str | None:
    """A caller's own request id, if it is short and plain enough to log and echo back."""
    if value and len(value) <= REQUEST_ID_MAX and set(value) <= _ID_CHARS:
        return value
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _route_template(scope: Scope) -> str:
    """The route's path template (/api/v1/tasks/{task_id}): bounded, unlike paths."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if not path:
        return "unmatched"
    # Routes of an included router name their path below its prefix.
    if not str(path).startswith(API_PREFIX) and str(scope.get("path", "")).startswith(API_PREFIX):
        return API_PREFIX + str(path)
    return str(path)


def _replay(chunks: list[bytes], last: Message | None, rest: Receive) -> Receive:
    """The body read ahead, then whatever the client sends next (its disconnect)."""
    given = False

    async def receive() -> Message:
        nonlocal given
        if not given:
            given = True
            if last is not None:
                return last
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        return await rest()

    return receive


class RequestContext:
    def __init__(self, app: ASGIApp, body_max: int) -> None:
        self.app = app
        self.body_max = body_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = given_request_id(_header(scope, b"x-request-id")) or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        seen = _Response()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen.status, seen.started = int(message["status"]), True
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"x-request-id" for k, _ in headers):
                    headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            length = _header(scope, b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.body_max):
                raise BodyTooLarge
            await self.app(scope, await self._capped(receive), send_with_id)
        except BodyTooLarge:
            if seen.started:
                raise
            await self._too_large(rid, scope, receive, send_with_id)
        finally:
            self._observe(scope, seen.status, time.perf_counter() - started, rid)

    async def _capped(self, receive: Receive) -> Receive:
        """The whole body, read here up to the cap (BodyTooLarge past it), then handed on as
        one message: at most body_max bytes are ever held, whatever the client claims."""
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return _replay([], message, receive)
            seen += len(message.get("body", b""))
            if seen > self.body_max:
                raise BodyTooLarge
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return _replay(chunks, None, receive)

    async def _too_large(self, rid: str, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            None,
            413,
            "too_large",
            f"The body is larger than {self.body_max} bytes, the most a request may send.",
            rid=rid,
        )
        await response(scope, receive, send)

    @staticmethod
    def _observe(scope: Scope, status: int, seconds: float, rid: str) -> None:
        route = _route_template(scope)
        method = scope.get("method", "GET")
        method = method if method in METHODS else "OTHER"
        metrics.api_requests.labels(route=route, method=method, status=str(status)).inc()
        metrics.api_request_seconds.labels(route=route, method=method).observe(seconds)
        extra: dict[str, Any] = {
            "event": "api_request",
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "request_id": rid,
        }
        caller = scope.get("state", {}).get("token_id")
        if caller is not None:
            extra["token_id"] = caller
        # The route template, never the path or query (ids, search text) or any header.
        log.info("%s %s -> %d", method, route, status, extra=extra)
