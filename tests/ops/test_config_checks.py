"""Production refuses unsafe settings, with one clear message each, before serving anything."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sprintsync import config, startup
from sprintsync.cli import main
from sprintsync.config import PUBLISHED_KEY, PUBLISHED_KEYS
from sprintsync.errors import ConfigurationError
from tests.ops.opskit import free_port

GOOD_PROD = {
    "SPRINTSYNC_ENV": "prod",
    "SPRINTSYNC_SECRET_KEY": "x" * 40,
    "SPRINTSYNC_ALLOW_SIGNUP": "false",
    "SPRINTSYNC_DATABASE_URL": "postgresql://app:pw@db.internal:5432/sprintsync",
}
SECRET = "SPRINTSYNC_SECRET_KEY must be set to a random value of 32+ characters."
SIGNUP = "SPRINTSYNC_ALLOW_SIGNUP must be set explicitly (true or false) in prod."
DATABASE = "SPRINTSYNC_DATABASE_URL must point at the production PostgreSQL."


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"SPRINTSYNC_SECRET_KEY": None}, SECRET),
        ({"SPRINTSYNC_SECRET_KEY": next(iter(PUBLISHED_KEYS))}, PUBLISHED_KEY),
        ({"SPRINTSYNC_SECRET_KEY": "short-but-not-empty"}, SECRET),
        ({"SPRINTSYNC_ALLOW_SIGNUP": None}, SIGNUP),
        ({"SPRINTSYNC_DATABASE_URL": None}, DATABASE),
    ],
    ids=["no-secret", "default-secret", "short-secret", "signup-default", "no-database"],
)
def test_prod_refuses_each_unsafe_setting_with_its_own_message(settings_env, change, problem):
    settings_env(**(GOOD_PROD | change))

    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()

    assert refused.value.problems == [problem]


def test_prod_lists_every_problem_at_once(settings_env):
    settings_env(
        SPRINTSYNC_ENV="prod",
        SPRINTSYNC_SECRET_KEY=None,
        SPRINTSYNC_ALLOW_SIGNUP=None,
        SPRINTSYNC_DATABASE_URL=None,
    )
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    assert refused.value.problems == [SECRET, SIGNUP, DATABASE]


def test_dev_starts_with_defaults(settings_env):
    settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY=None, SPRINTSYNC_ALLOW_SIGNUP=None)
    assert startup.check_settings().env == "dev"


def test_stage_needs_its_own_secret_key_but_not_the_rest_of_prods_rules(settings_env):
    settings_env(SPRINTSYNC_ENV="stage", SPRINTSYNC_SECRET_KEY=None, SPRINTSYNC_ALLOW_SIGNUP=None)
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    assert refused.value.problems == [SECRET]
    settings_env(SPRINTSYNC_SECRET_KEY="s" * 40)
    assert startup.check_settings().env == "stage"


def test_a_good_prod_config_passes(settings_env):
    settings_env(**GOOD_PROD)
    assert startup.check_settings().env == "prod"


def test_settings_that_do_not_parse_are_named(settings_env, monkeypatch):
    settings_env()
    monkeypatch.setenv("SPRINTSYNC_METRICS_PORT", "ninety")
    config.get_settings.cache_clear()
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    (message,) = refused.value.problems
    assert message.startswith("SPRINTSYNC_METRICS_PORT:")


def test_every_cli_command_refuses_a_bad_prod_config(settings_env, capsys):
    settings_env(**(GOOD_PROD | {"SPRINTSYNC_SECRET_KEY": None, "SPRINTSYNC_ALLOW_SIGNUP": None}))

    code = main(["users", "list"])

    err = capsys.readouterr().err
    assert code == 2
    assert SECRET in err
    assert SIGNUP in err


def test_serve_exits_non_zero_before_listening_on_anything(tmp_path):
    metrics_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPRINTSYNC_")}
    env |= {"SPRINTSYNC_ENV": "prod", "SPRINTSYNC_METRICS_PORT": str(metrics_port)}
    result = subprocess.run(
        [sys.executable, "-m", "sprintsync.cli", "serve", "--port", str(free_port())],
        cwd=tmp_path,  # no .env here
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    for problem in (SECRET, SIGNUP, DATABASE):
        assert result.stderr.count(problem) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # refused before logging, the sidecar or Streamlit started
