"""Hours per user come from the database through Grafana's read-only login: the grants script
runs under real psql, and the dashboard's SQL answers under that login and nothing more."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess

import psycopg
import pytest
from sqlalchemy import make_url

from tests.ops.opskit import ROOT, libpq_env, pg_tool

GRANTS = ROOT / "deploy/postgres/grafana-reader.sql"
DASHBOARD = json.loads((ROOT / "deploy/grafana/dashboards/sprintsync.json").read_text())
(HOURS_SQL,) = [t["rawSql"] for p in DASHBOARD["panels"] for t in p["targets"] if "rawSql" in t]


def grafana_macros(sql: str, start: dt.date, end: dt.date) -> str:
    """Grafana's $__timeFilter(col) becomes col BETWEEN the dashboard's range."""
    return re.sub(
        r"\$__timeFilter\(([^)]+)\)",
        rf"\1 BETWEEN '{start.isoformat()}' AND '{end.isoformat()}'",
        sql,
    )


def run_grants(url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(pg_tool("psql")),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            "reader_password=r3ader-pw",
            "-f",
            str(GRANTS),
        ],
        env=os.environ | libpq_env(url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def reader(url: str) -> psycopg.Connection:
    parsed = make_url(url)
    return psycopg.connect(
        dbname=parsed.database,
        user="grafana_reader",
        password="r3ader-pw",
        host=parsed.query["host"],
        autocommit=True,
    )


def test_the_grants_script_runs_twice_and_the_dashboard_query_answers(workspace):
    assert run_grants(workspace).returncode == 0
    again = run_grants(workspace)  # every `docker compose up` runs it again
    assert again.returncode == 0, again.stderr

    today = dt.date.today()
    sql = grafana_macros(HOURS_SQL, today - dt.timedelta(days=30), today + dt.timedelta(days=1))
    with reader(workspace) as conn:
        rows = conn.execute(sql).fetchall()

    assert [(user, float(hours)) for user, hours in rows] == [("mia", 3.5), ("otto", 0.8)]


REFUSED = psycopg.errors.InsufficientPrivilege
READ_ONLY = psycopg.errors.ReadOnlySqlTransaction


@pytest.mark.parametrize(
    ("statement", "refusal"),
    [
        ("SELECT password_hash FROM users", REFUSED),
        ("SELECT email FROM users", REFUSED),
        ("SELECT * FROM audit_log", REFUSED),
        ("UPDATE time_entries SET minutes = 1", (REFUSED, READ_ONLY)),
        ("DELETE FROM tasks", (REFUSED, READ_ONLY)),
    ],
)
def test_grafanas_login_reads_only_what_the_dashboard_needs(workspace, statement, refusal):
    assert run_grants(workspace).returncode == 0
    with reader(workspace) as conn, pytest.raises(refusal):
        conn.execute(statement)


def test_grafanas_login_is_read_only_even_where_it_may_read(workspace):
    assert run_grants(workspace).returncode == 0
    with reader(workspace) as conn:
        assert conn.execute("SHOW default_transaction_read_only").fetchone() == ("on",)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("CREATE TEMP TABLE t (x int)")
