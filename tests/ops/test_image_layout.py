"""The container installs sprintsync as a wheel, so the package sits away from migrations/.
Rebuild that layout here: the wheel in a site directory, app files in an /app-like folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid

import pytest

from sprintsync import db
from tests.ops.opskit import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "sprintsync", src / "sprintsync", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheels, site = src / "wheels", tmp_path_factory.mktemp("site")
    # Offline: the build backend comes from the dev extras, not from the network.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(src),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("sprintsync-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    assert not (site / "migrations").exists()
    return site


@pytest.fixture
def empty_database(pg_admin_url, drop_database):
    name = f"image_{uuid.uuid4().hex[:8]}"
    url = db.ensure_database(pg_admin_url, name)
    yield url
    drop_database(name)


def run_installed(site, app_dir, env, *args):
    return subprocess.run(
        [sys.executable, "-m", "sprintsync.cli", *args],
        cwd=app_dir,
        env={k: v for k, v in os.environ.items() if not k.startswith("SPRINTSYNC_")}
        | {"PYTHONPATH": str(site)}
        | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_installed_wheel_migrates_from_the_shipped_migrations(
    installed_wheel, empty_database, tmp_path
):
    app_dir = tmp_path / "app"
    shutil.copytree(ROOT / "migrations", app_dir / "migrations")
    env = {"SPRINTSYNC_DATABASE_URL": empty_database}

    without = run_installed(installed_wheel, app_dir, env, "db", "upgrade")
    found = run_installed(
        installed_wheel,
        app_dir,
        env | {"SPRINTSYNC_MIGRATIONS_DIR": str(app_dir / "migrations")},
        "db",
        "upgrade",
    )

    # The wheel alone cannot find them, and says so: the setting matters.
    assert without.returncode == 2, without.stderr
    assert "No migrations at" in without.stderr
    assert "SPRINTSYNC_MIGRATIONS_DIR" in without.stderr
    assert found.returncode == 0, found.stderr
    heads = sorted(p.name.split("_")[0] for p in (ROOT / "migrations/versions").glob("*.py"))
    assert found.stdout.strip() == f"Database at revision {heads[-1]}."
    probe = subprocess.run(
        [sys.executable, "-c", "import sprintsync; print(sprintsync.__file__)"],
        cwd=app_dir,
        env=os.environ | {"PYTHONPATH": str(installed_wheel)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(installed_wheel))  # the wheel's copy ran, not the checkout
