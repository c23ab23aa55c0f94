"""Settings, read once from the environment (and a .env file when present)."""

from __future__ import annotations

import os
import secrets
import threading
import zoneinfo
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sprintsync.errors import ConfigurationError

# Keys that were ever committed to the repository: anyone can read them, so anyone could sign
# a session cookie with them. Refused in every environment.
PUBLISHED_KEYS = frozenset({"dev-only-secret-key-change-me-in-production"})
SECRET_KEY_MIN = 32
# Where a dev install without SPRINTSYNC_SECRET_KEY keeps the key it generated on first start.
KEY_FILE_NAME = "secret_key"
WEAK_KEY = "SPRINTSYNC_SECRET_KEY must be set to a random value of 32+ characters."
PUBLISHED_KEY = (  # a message, not a key
    "SPRINTSYNC_SECRET_KEY is a key published in the SprintSync repository; anyone could sign "
    "sign-in cookies with it. Set a random value of 32+ characters, or unset it in dev to have "
    "one generated."
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SPRINTSYNC_",
        env_file=".env",
        extra="ignore",
        populate_by_name=True,
        # "NAME=" in an env file means "use the default", as in .env.example.
        env_ignore_empty=True,
    )

    env: Literal["dev", "stage", "prod"] = "dev"
    database_url: str | None = None
    db_connect_attempts: int = Field(6, ge=1, le=100)
    db_pool_size: int = Field(5, ge=1, le=200)
    db_max_overflow: int = Field(10, ge=0, le=200)
    data_dir: Path = Path(".sprintsync")
    # Only where the package is installed away from its checkout (the container image).
    migrations_dir: Path | None = None
    # Unset in dev: generated into data_dir on first start (see session_secret). Stage and
    # prod must set it, the same on every replica.
    secret_key: SecretStr | None = None
    # Every number has both bounds: a setting that parses but is absurd (1e8 hours, an
    # infinite timeout) would break every action instead of being refused at start.
    session_hours: float = Field(24.0, gt=0, le=24 * 30, allow_inf_nan=False)
    # The sign-in cookie is sent over HTTPS only; defaults to on outside dev.
    cookie_secure: bool | None = None
    allow_signup: bool | None = None
    admin_username: str | None = None
    admin_password: SecretStr | None = None
    bcrypt_rounds: int = Field(12, ge=4, le=16)
    timezone: str = Field("UTC", max_length=64)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(9464, ge=0, le=65535)
    focus_hours: float = Field(6.0, gt=0, le=16, allow_inf_nan=False)
    gemini_model: str = Field("gemini-2.5-flash", min_length=1, max_length=100)
    gemini_timeout_seconds: float = Field(10.0, gt=0, le=120, allow_inf_nan=False)
    ai_cache_minutes: float = Field(60.0, ge=0, le=7 * 24 * 60, allow_inf_nan=False)
    ai_rate_per_minute: int = Field(20, ge=1, le=10_000)
    # The HTTP API (`sprintsync api`): its own port, loopback unless told otherwise.
    api_host: str = "127.0.0.1"
    api_port: int = Field(8502, ge=1, le=65535)
    # The API process's own metrics sidecar: beside the app's on one machine (make run).
    api_metrics_port: int = Field(9465, ge=0, le=65535)
    api_rate_per_minute: int = Field(120, ge=1, le=100_000)
    api_body_max_bytes: int = Field(65_536, ge=1024, le=10_485_760)
    # Time: no person logs more than this on one day; a week is short below its expected hours
    # (a person's own override, set by an admin, wins).
    max_day_hours: float = Field(16.0, ge=1, le=24, allow_inf_nan=False)
    expected_week_hours: float = Field(40.0, ge=0, le=168, allow_inf_nan=False)
    # Reminder e-mails: sent only when a host is set.
    smtp_host: str | None = Field(None, max_length=253)
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    smtp_username: str | None = Field(None, max_length=254)
    smtp_password: SecretStr | None = None
    smtp_from: str = Field("sprintsync@localhost", min_length=3, max_length=254)
    smtp_timeout_seconds: float = Field(10.0, gt=0, le=120, allow_inf_nan=False)
    # Keys keep the names Google's own tools use, so no SPRINTSYNC_ prefix.
    gemini_api_key: SecretStr | None = Field(None, validation_alias="GEMINI_API_KEY")
    google_api_key: SecretStr | None = Field(None, validation_alias="GOOGLE_API_KEY")

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, url: str | None) -> str | None:
        if not url:
            return None
        if url.startswith(("postgres://", "postgresql://")):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        if not url.startswith("postgresql+psycopg://"):
            raise ValueError("SPRINTSYNC_DATABASE_URL must be a PostgreSQL URL (postgresql://...)")
        return url

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{name!r} is not a time zone; use an IANA name such as Europe/Berlin or UTC"
            ) from None
        return name

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, level: object) -> object:
        return level.strip().upper() if isinstance(level, str) else level

    @property
    def signup_open(self) -> bool:
        """Sign-up defaults to open in dev and closed elsewhere."""
        return self.allow_signup if self.allow_signup is not None else self.env == "dev"

    @property
    def secure_cookie(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else self.env != "dev"

    @property
    def max_day_minutes(self) -> int:
        return round(self.max_day_hours * 60)

    @property
    def expected_week_minutes(self) -> int:
        return round(self.expected_week_hours * 60)

    @property
    def ai_api_key(self) -> str | None:
        key = self.gemini_api_key or self.google_api_key
        return key.get_secret_value() if key else None

    def problems(self) -> list[str]:
        """What makes these settings unfit for their environment, one message each."""
        found: list[str] = []
        secret = self.secret_key.get_secret_value() if self.secret_key else None
        if secret in PUBLISHED_KEYS:
            found.append(PUBLISHED_KEY)
        elif secret is not None and len(secret) < SECRET_KEY_MIN:
            found.append(WEAK_KEY)
        elif secret is None and self.env != "dev":
            # Replicas must share one key, so a shared environment names it; only a laptop
            # may have one made for it.
            found.append(WEAK_KEY)
        if self.env != "prod":
            return found
        if self.allow_signup is None:
            found.append("SPRINTSYNC_ALLOW_SIGNUP must be set explicitly (true or false) in prod.")
        if not self.database_url:
            found.append("SPRINTSYNC_DATABASE_URL must point at the production PostgreSQL.")
        return found


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


_key_lock = threading.Lock()
_generated: dict[Path, str] = {}


def session_secret(settings: Settings | None = None) -> str:
    """The key that signs sign-in cookies: SPRINTSYNC_SECRET_KEY, or (dev only, when unset) a
    random key generated into <data_dir>/secret_key on first start, readable by its owner
    only, and read from there after. Never a value anyone could read in the repository."""
    settings = settings or get_settings()
    problems = [p for p in settings.problems() if p in (WEAK_KEY, PUBLISHED_KEY)]
    if problems:
        raise ConfigurationError(problems)
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = (settings.data_dir / KEY_FILE_NAME).expanduser().resolve()
    with _key_lock:
        if path not in _generated:
            _generated[path] = _load_or_create_key(path)
        return _generated[path]


def _load_or_create_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written to a file of its own, then linked into place: another process starting at
        # the same moment either wins the link or reads the finished key, never half of one.
        scratch = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(scratch, path)
        except FileExistsError:
            pass
        finally:
            scratch.unlink()
    mode = path.stat().st_mode
    if mode & 0o077:
        raise ConfigurationError(
            [f"{path} (the generated secret key) is readable by other users: chmod 600 it."]
        )
    key = path.read_text().strip()
    if len(key) < SECRET_KEY_MIN:
        raise ConfigurationError([f"{path} does not hold a secret key; delete it to make one."])
    return key
