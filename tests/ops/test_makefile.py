"""`make clean-db`: forgets the demo workspace, and never while its database runs."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.ops.opskit import ROOT

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def clean_db(data_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "clean-db", f"DATA={data_dir}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_clean_db_removes_the_demo_database_and_logins_but_keeps_the_benchmark(tmp_path):
    (tmp_path / "pgdata").mkdir()
    (tmp_path / "pgdata" / "PG_VERSION").write_text("17\n")
    (tmp_path / "demo-logins.txt").write_text("alice ...\n")
    (tmp_path / "bench").mkdir()
    done = clean_db(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "next make run seeds a fresh one" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bench"]


def test_clean_db_refuses_while_the_database_runs(tmp_path):
    (tmp_path / "pgdata").mkdir()
    # postmaster.pid names a live process (this one) as PostgreSQL's does.
    (tmp_path / "pgdata" / "postmaster.pid").write_text(f"{os.getpid()}\n{tmp_path}\n")
    done = clean_db(tmp_path)
    assert done.returncode != 0
    assert "stop make run (Ctrl+C) first" in done.stdout
    assert (tmp_path / "pgdata" / "postmaster.pid").exists()
