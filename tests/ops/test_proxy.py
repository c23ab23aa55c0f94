"""The shipped nginx config with two app replicas behind it, for real: nginx -t accepts it,
each client keeps its replica, nobody can frame the app, bodies are capped, and a client
opening sessions (where sign-ins happen) too fast is slowed down by address.

The replicas are two small HTTP servers that say who they are: what is under test is nginx."""

from __future__ import annotations

import http.client
import ssl
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

from tests.ops.opskit import ROOT, free_port, nginx_args, render_nginx_conf, require_tool

UPSTREAM_FILES = sorted(p.name for p in (ROOT / "deploy/nginx").glob("upstream*.conf"))


class _Replica(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def replicas() -> Iterator[list[int]]:
    servers = []
    for name in ("replica-1", "replica-2"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Replica)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    yield [s.server_address[1] for s in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def tls(tmp_path_factory) -> tuple[Path, ssl.SSLContext]:
    tmp = tmp_path_factory.mktemp("proxy")
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    (tmp / "certs").mkdir()
    cert.private_key_pem.write_to_path(tmp / "certs/privkey.pem")
    for n, pem in enumerate(cert.cert_chain_pems):
        pem.write_to_path(tmp / "certs/fullchain.pem", append=n > 0)
    client = ssl.create_default_context()
    ca.configure_trust(client)
    return tmp, client


@pytest.mark.parametrize("upstream_file", UPSTREAM_FILES)
def test_nginx_accepts_the_shipped_config_with_each_upstream_file(tls, upstream_file):
    nginx = require_tool("nginx")
    tmp, _ = tls
    ports = [free_port() for _ in range(2 if "replicas" in upstream_file else 1)]
    conf = render_nginx_conf(tmp, ports, free_port(), free_port(), upstream_file)
    result = subprocess.run(
        [*nginx_args(nginx, conf), "-t", "-g", f"pid {tmp}/test.pid;"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_replica_setup_has_two_upstreams_with_affinity():
    replicas = (ROOT / "deploy/nginx/upstream-replicas.conf").read_text()
    assert len([line for line in replicas.splitlines() if line.startswith("server ")]) == 2
    main = (ROOT / "deploy/nginx.conf").read_text()
    assert "hash $binary_remote_addr consistent;" in main
    guide = (ROOT / "docs/OPERATIONS.md").read_text()
    assert "deploy/nginx/upstream-replicas.conf" in guide


@pytest.fixture(scope="module")
def proxy(tls, replicas) -> Iterator[int]:
    nginx = require_tool("nginx")
    tmp, client = tls
    https = free_port()
    conf = render_nginx_conf(tmp, replicas, https, free_port(), "upstream-replicas.conf")
    process = subprocess.Popen(
        [*nginx_args(nginx, conf), "-g", f"daemon off; pid {tmp}/nginx.pid;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if request(https, client, "/health")[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.terminate()
        pytest.fail(process.stderr.read().decode() if process.poll() is not None else "no nginx")
    yield https
    process.terminate()
    process.wait(timeout=10)


def request(
    port: int,
    context: ssl.SSLContext,
    path: str,
    *,
    source: str = "127.0.0.1",
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPSConnection(
        "localhost", port, context=context, timeout=10, source_address=(source, 0)
    )
    try:
        conn.request(method, path, body=body)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_each_client_keeps_its_replica_and_clients_spread_over_both(proxy, tls):
    _, client = tls
    served: dict[str, set[str]] = {}
    for n in range(2, 42):
        source = f"127.0.0.{n}"
        served[source] = {request(proxy, client, f"/page{k}", source=source)[2] for k in range(3)}
    assert all(len(names) == 1 for names in served.values()), served  # sticky
    spread = Counter(next(iter(names)) for names in served.values())
    assert set(spread) == {"replica-1", "replica-2"}, spread


def test_no_page_can_be_framed_by_another_site(proxy, tls):
    status, headers, _ = request(proxy, tls[1], "/", source="127.0.1.1")
    assert status == 200
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_body_over_a_megabyte_is_refused_at_the_proxy(proxy, tls):
    big = b"x" * (1024 * 1024 + 1)
    assert request(proxy, tls[1], "/", source="127.0.1.2", method="POST", body=big)[0] == 413
    ok = request(proxy, tls[1], "/", source="127.0.1.2", method="POST", body=b"x" * 1000)
    assert ok[0] == 200


def test_a_client_opening_sessions_too_fast_is_slowed_down_others_are_not(proxy, tls):
    statuses = [request(proxy, tls[1], "/_stcore/stream", source="127.0.2.1")[0] for _ in range(30)]
    assert statuses[:5] == [200] * 5
    assert statuses.count(429) >= 15  # past the burst, about 1 in 3 s gets through
    assert request(proxy, tls[1], "/_stcore/stream", source="127.0.2.2")[0] == 200
