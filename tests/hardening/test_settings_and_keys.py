"""Settings an attacker or a typo could exploit: a signing key anyone can read, and values that
parse but would break every action. Each is refused at start with the variable's name."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import types
import typing

import pytest

from sprintsync import config, startup
from sprintsync.config import PUBLISHED_KEY, PUBLISHED_KEYS, WEAK_KEY, Settings
from sprintsync.errors import ConfigurationError
from tests.ops.opskit import ROOT


@pytest.fixture
def settings_env(monkeypatch, tmp_path):
    """Fresh settings from these variables, with a data directory of the test's own."""

    def apply(*, read: bool = True, **env: str | None) -> Settings | None:
        monkeypatch.setenv("SPRINTSYNC_DATA_DIR", str(tmp_path / "data"))
        for key, value in env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)
        config.get_settings.cache_clear()
        config._generated.clear()
        return config.get_settings() if read else None

    monkeypatch.chdir(tmp_path)  # no .env here
    yield apply
    monkeypatch.undo()
    config.get_settings.cache_clear()
    config._generated.clear()


def test_a_fresh_dev_install_generates_its_own_key_readable_by_its_owner_only(settings_env):
    settings = settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY=None)

    startup.check_settings()

    key_file = settings.data_dir / config.KEY_FILE_NAME
    key = config.session_secret()
    assert key_file.read_text().strip() == key
    assert len(key) >= config.SECRET_KEY_MIN
    assert key not in PUBLISHED_KEYS
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not (ROOT / config.KEY_FILE_NAME).exists()


def test_every_process_on_one_data_directory_signs_with_the_same_generated_key(settings_env):
    settings = settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY=None)
    env = os.environ | {"SPRINTSYNC_DATA_DIR": str(settings.data_dir)}
    code = "from sprintsync.config import session_secret; print(session_secret())"
    first, second = (
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    )
    assert first == second == config.session_secret()


def test_two_installs_never_share_a_generated_key(settings_env, tmp_path):
    settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY=None)
    first = config.session_secret()
    settings_env(SPRINTSYNC_DATA_DIR=str(tmp_path / "other"))
    assert config.session_secret() != first


@pytest.mark.parametrize("env", ["dev", "stage", "prod"])
def test_the_key_once_committed_to_the_repository_is_refused_everywhere(settings_env, env):
    settings_env(
        SPRINTSYNC_ENV=env,
        SPRINTSYNC_SECRET_KEY=next(iter(PUBLISHED_KEYS)),
        SPRINTSYNC_ALLOW_SIGNUP="false",
        SPRINTSYNC_DATABASE_URL="postgresql://app:pw@db.internal/sprintsync",
    )
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    assert refused.value.problems == [PUBLISHED_KEY]
    with pytest.raises(ConfigurationError):
        config.session_secret()  # nothing signs with it, even past the start-up check


def test_a_short_key_is_refused_in_dev_too(settings_env):
    settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY="short-key")
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    assert refused.value.problems == [WEAK_KEY]


def test_a_generated_key_others_can_read_is_refused(settings_env):
    settings = settings_env(SPRINTSYNC_ENV="dev", SPRINTSYNC_SECRET_KEY=None)
    startup.check_settings()
    key_file = settings.data_dir / config.KEY_FILE_NAME
    key_file.chmod(0o644)
    config._generated.clear()
    with pytest.raises(ConfigurationError, match="readable by other users"):
        startup.check_settings()


@pytest.mark.parametrize("env", ["stage", "prod"])
def test_shared_environments_never_generate_a_key(settings_env, env):
    settings = settings_env(
        SPRINTSYNC_ENV=env,
        SPRINTSYNC_SECRET_KEY=None,
        SPRINTSYNC_ALLOW_SIGNUP="false",
        SPRINTSYNC_DATABASE_URL="postgresql://app:pw@db.internal/sprintsync",
    )
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    assert refused.value.problems == [WEAK_KEY]
    assert not (settings.data_dir / config.KEY_FILE_NAME).exists()


BAD_SETTINGS = [
    ("SPRINTSYNC_TIMEZONE", "Mars/Olympus"),
    ("SPRINTSYNC_TIMEZONE", "../../etc/passwd"),
    ("SPRINTSYNC_SESSION_HOURS", "1e8"),
    ("SPRINTSYNC_SESSION_HOURS", "inf"),
    ("SPRINTSYNC_SESSION_HOURS", "nan"),
    ("SPRINTSYNC_SESSION_HOURS", "0"),
    ("SPRINTSYNC_GEMINI_TIMEOUT_SECONDS", "1e300"),
    ("SPRINTSYNC_AI_CACHE_MINUTES", "inf"),
    ("SPRINTSYNC_AI_RATE_PER_MINUTE", "99999999999"),
    ("SPRINTSYNC_FOCUS_HOURS", "nan"),
    ("SPRINTSYNC_LOG_LEVEL", "VERBOSE"),
    ("SPRINTSYNC_BCRYPT_ROUNDS", "31"),
    ("SPRINTSYNC_METRICS_PORT", "70000"),
    ("SPRINTSYNC_DB_POOL_SIZE", "100000"),
    ("SPRINTSYNC_GEMINI_MODEL", "x" * 200),
]


@pytest.mark.parametrize(("name", "value"), BAD_SETTINGS)
def test_a_setting_that_would_break_every_action_is_refused_at_start(settings_env, name, value):
    settings_env(read=False, SPRINTSYNC_ENV="dev", **{name: value})
    with pytest.raises(ConfigurationError) as refused:
        startup.check_settings()
    (problem,) = refused.value.problems
    assert problem.startswith(f"{name}:")


def _numeric(annotation: object) -> bool:
    args = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    return annotation in (int, float) or any(a in (int, float) for a in args)


@pytest.mark.parametrize(
    "name", [n for n, f in Settings.model_fields.items() if _numeric(f.annotation)]
)
def test_every_numeric_setting_has_a_lower_and_an_upper_bound(name):
    rules = {type(m).__name__ for m in Settings.model_fields[name].metadata}
    assert rules & {"Gt", "Ge"}, f"{name} has no lower bound"
    assert rules & {"Lt", "Le"}, f"{name} has no upper bound"


def test_lower_case_log_levels_still_work(settings_env):
    assert settings_env(SPRINTSYNC_LOG_LEVEL="warning").log_level == "WARNING"
