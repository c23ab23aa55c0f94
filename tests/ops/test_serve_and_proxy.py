"""`sprintsync serve` for real, behind a real nginx with TLS and websockets.

One app process for the module: the sidecar must be up before any visitor, a browser-like
websocket through nginx must run the app script, and the metrics and logs must show it.
"""

from __future__ import annotations

import http.client
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect

from sprintsync import __version__
from tests.ops.opskit import (
    ROOT,
    free_port,
    http_get,
    nginx_args,
    render_nginx_conf,
    require_tool,
    sample,
)

pytestmark = pytest.mark.slow


@dataclass
class App:
    process: subprocess.Popen[bytes]
    port: int
    metrics_port: int
    log: Path
    sidecar_up_after: float  # seconds from spawn to the first /healthz answer

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_port}"


def wait_for(url: str, deadline: float, context: ssl.SSLContext | None = None) -> bool:
    while time.monotonic() < deadline:
        try:
            if http_get(url, timeout=2, context=context)[0] < 500:
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def app(db_url, tmp_path_factory) -> Iterator[App]:
    port, metrics_port = free_port(), free_port()
    log = tmp_path_factory.mktemp("serve") / "stdout.jsonl"
    env = os.environ | {
        "SPRINTSYNC_DATABASE_URL": db_url,
        "SPRINTSYNC_METRICS_PORT": str(metrics_port),
        "SPRINTSYNC_LOG_LEVEL": "INFO",
        "SPRINTSYNC_ENV": "dev",
    }
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sprintsync.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
    try:
        assert wait_for(f"http://127.0.0.1:{metrics_port}/healthz", started + 60), "no sidecar"
        sidecar_up = time.monotonic() - started
        assert wait_for(f"http://127.0.0.1:{port}/_stcore/health", started + 90), "no app"
        yield App(process, port, metrics_port, log, sidecar_up)
    finally:
        process.terminate()
        process.wait(timeout=20)


@dataclass
class Proxy:
    https: int
    http: int
    client_tls: ssl.SSLContext


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> tuple[Path, trustme.CA]:
    tmp = tmp_path_factory.mktemp("nginx")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    (tmp / "certs").mkdir()
    cert.private_key_pem.write_to_path(tmp / "certs/privkey.pem")
    cert.cert_chain_pems[0].write_to_path(tmp / "certs/fullchain.pem")
    for pem in cert.cert_chain_pems[1:]:
        pem.write_to_path(tmp / "certs/fullchain.pem", append=True)
    return tmp, ca


def test_nginx_accepts_the_config(certs, app):
    nginx = require_tool("nginx")
    tmp, _ = certs
    conf = render_nginx_conf(tmp, app.port, free_port(), free_port())
    result = subprocess.run(
        [*nginx_args(nginx, conf), "-t", "-g", f"pid {tmp}/test.pid;"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture(scope="module")
def proxy(certs, app) -> Iterator[Proxy]:
    nginx = require_tool("nginx")
    tmp, ca = certs
    https, http = free_port(), free_port()
    conf = render_nginx_conf(tmp, app.port, https, http)
    process = subprocess.Popen(
        [*nginx_args(nginx, conf), "-g", f"daemon off; pid {tmp}/nginx.pid;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    client_tls = ssl.create_default_context()
    ca.configure_trust(client_tls)
    try:
        ok = wait_for(
            f"https://localhost:{https}/_stcore/health", time.monotonic() + 20, client_tls
        )
        assert ok, process.stderr.read().decode() if process.poll() is not None else "no nginx"
        yield Proxy(https, http, client_tls)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_sidecar_is_up_before_any_visitor(app):
    status, body = http_get(f"{app.metrics_url}/metrics")
    health, _ = http_get(f"{app.metrics_url}/healthz")

    assert (status, health) == (200, 200)
    assert sample(body, "sprintsync_build_info", version=__version__) == 1
    assert sample(body, "sprintsync_page_views_total", page="home") is None  # nobody came yet
    print(f"sidecar answered {app.sidecar_up_after:.2f}s after the process was spawned")


def test_nginx_serves_the_app_over_tls_and_redirects_plain_http(proxy):
    status, body = http_get(
        f"https://localhost:{proxy.https}/_stcore/health", context=proxy.client_tls
    )
    assert (status, body) == (200, "ok")
    plain = http.client.HTTPConnection("127.0.0.1", proxy.http, timeout=5)
    plain.request("GET", "/tasks?x=1", headers={"Host": "sprintsync.test"})
    redirect = plain.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://sprintsync.test/tasks?x=1"


def run_script_over_websocket(
    url: str, origin: str, tls: ssl.SSLContext, while_open: Callable[[], float | None]
) -> tuple[list[str], float | None]:
    """What a browser tab does: open the stream, ask for a script run, read until it ends.
    Returns the message kinds received and what while_open() saw before the tab closed."""
    kinds: list[str] = []
    with connect(url, subprotocols=["streamlit"], origin=origin, ssl=tls, open_timeout=10) as ws:
        request = BackMsg()
        request.rerun_script.query_string = ""
        ws.send(request.SerializeToString())
        while "script_finished" not in kinds:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=30))
            kinds.append(msg.WhichOneof("type"))
        seen = while_open()
    return kinds, seen


def test_a_websocket_session_through_nginx_runs_the_app_and_moves_the_metrics(app, proxy):
    def scrape(name: str, **labels: str) -> float | None:
        return sample(http_get(f"{app.metrics_url}/metrics")[1], name, **labels)

    views = scrape("sprintsync_page_views_total", page="home") or 0

    kinds, sessions_while_open = run_script_over_websocket(
        f"wss://localhost:{proxy.https}/_stcore/stream",
        origin=f"https://localhost:{proxy.https}",
        tls=proxy.client_tls,
        while_open=lambda: scrape("sprintsync_active_sessions"),
    )

    assert kinds[0] == "new_session"
    assert "delta" in kinds
    assert sessions_while_open == 1
    assert scrape("sprintsync_page_views_total", page="home") == views + 1
    assert scrape("sprintsync_page_run_seconds_count", page="home") == views + 1
    deadline = time.monotonic() + 10
    while scrape("sprintsync_active_sessions") != 0:
        assert time.monotonic() < deadline, "the closed tab is still counted"
        time.sleep(0.1)
    # Dev (this server) logs readable lines; stage and prod the same lines as JSON.
    runs = [line for line in app.log.read_text().splitlines() if " ran in " in line]
    assert runs, "the script run was not logged on stdout"
