"""The metrics sidecar: a small HTTP server in the app process serving /metrics and /healthz.

Started once per process (Streamlit reruns the app script for every click, in many sessions);
if its port is taken the app logs one warning and keeps serving users without it.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from sprintsync import __version__, metrics

log = logging.getLogger("sprintsync.observability.sidecar")

HEALTH_TIMEOUT_SECONDS = 1.0
# A connection that sends nothing for this long is closed: each holds a thread and a file
# descriptor, and idle ones used to hold them forever.
IDLE_TIMEOUT_SECONDS = 5.0
# Connections served at once; more are closed straight away (a scrape needs one).
MAX_CONNECTIONS = 64


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], TimeoutError | ConnectionError):
            return  # an idle or vanished client, closed as it should be: not news
        super().handle_error(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _QuietHandler(WSGIRequestHandler):
    def setup(self) -> None:
        # StreamRequestHandler puts this timeout on the socket: reading a request that never
        # comes ends the handler (and its thread) instead of waiting forever.
        self.timeout = IDLE_TIMEOUT_SECONDS  # type: ignore[misc]  # per connection, on purpose
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:  # scrapes every 15 s are not news
        pass


class DatabaseProbe:
    """`ping` answered within the timeout? At most one ping in flight: while the database
    hangs, more health checks wait on the same ping instead of piling up threads."""

    def __init__(self, ping: Callable[[], None], timeout: float = HEALTH_TIMEOUT_SECONDS):
        self._ping = ping
        self._timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sprintsync-health")
        self._lock = threading.Lock()
        self._inflight: Future[None] | None = None

    def check(self) -> tuple[bool, str, float]:
        """(ok, detail, seconds the check took)."""
        started = time.perf_counter()
        with self._lock:
            if self._inflight is None or self._inflight.done():
                self._inflight = self._pool.submit(self._ping)
            future = self._inflight
        try:
            future.result(timeout=self._timeout)
            ok, detail = True, "ok"
        except FutureTimeout:
            ok, detail = False, f"no answer within {self._timeout:g}s"
        except Exception as error:
            ok, detail = False, type(error).__name__
        return ok, detail, time.perf_counter() - started


def make_app(probe: DatabaseProbe) -> Callable[..., Iterable[bytes]]:
    metrics_app = make_wsgi_app(metrics.REGISTRY)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "/")
        if path == "/healthz":
            ok, detail, seconds = probe.check()
            body = json.dumps(
                {
                    "status": "ok" if ok else "unavailable",
                    "database": detail,
                    "seconds": round(seconds, 3),
                    "version": __version__,
                }
            ).encode()
            status = "200 OK" if ok else "503 Service Unavailable"
            start_response(
                status, [("Content-Type", "application/json"), ("Cache-Control", "no-store")]
            )
            return [body]
        if path in ("/metrics", "/"):
            scraped: Iterable[bytes] = metrics_app(environ, start_response)
            return scraped
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not found: try /metrics or /healthz\n"]

    return app


@dataclass(frozen=True, slots=True)
class Sidecar:
    host: str
    port: int
    server: WSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def start(host: str, port: int, ping: Callable[[], None]) -> Sidecar | None:
    """Serve in a daemon thread; None (and one warning) when the port cannot be bound."""
    try:
        server = make_server(
            host, port, make_app(DatabaseProbe(ping)), _Server, handler_class=_QuietHandler
        )
    except OSError as error:
        log.warning(
            "metrics sidecar not started: cannot listen on %s:%s (%s); the app keeps serving",
            host,
            port,
            error.strerror or error,
            extra={"event": "sidecar_unavailable", "outcome": "port_taken"},
        )
        return None
    bound_port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="sprintsync-metrics", daemon=True)
    thread.start()
    log.info(
        "metrics sidecar listening on http://%s:%s/metrics",
        host,
        bound_port,
        extra={"event": "sidecar_started", "outcome": "ok"},
    )
    return Sidecar(host, bound_port, server, thread)
