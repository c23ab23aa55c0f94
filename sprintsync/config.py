"""Settings, read once from the environment (and a .env file when present)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Only good enough for a laptop: production refuses it (see Settings.problems).
DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production"  # noqa: S105


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
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    session_hours: float = Field(24.0, gt=0)
    # The sign-in cookie is sent over HTTPS only; defaults to on outside dev.
    cookie_secure: bool | None = None
    allow_signup: bool | None = None
    admin_username: str | None = None
    admin_password: SecretStr | None = None
    bcrypt_rounds: int = Field(12, ge=4, le=16)
    timezone: str = "UTC"
    log_level: str = "INFO"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(9464, ge=0, le=65535)
    focus_hours: float = Field(6.0, gt=0, le=16)
    gemini_model: str = "gemini-2.5-flash"
    gemini_timeout_seconds: float = Field(10.0, gt=0)
    ai_cache_minutes: float = Field(60.0, ge=0)
    ai_rate_per_minute: int = Field(20, ge=1)
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

    @property
    def signup_open(self) -> bool:
        """Sign-up defaults to open in dev and closed elsewhere."""
        return self.allow_signup if self.allow_signup is not None else self.env == "dev"

    @property
    def secure_cookie(self) -> bool:
        return self.cookie_secure if self.cookie_secure is not None else self.env != "dev"

    @property
    def ai_api_key(self) -> str | None:
        key = self.gemini_api_key or self.google_api_key
        return key.get_secret_value() if key else None

    def problems(self) -> list[str]:
        """What makes these settings unfit for their environment, one message each."""
        found: list[str] = []
        if self.env == "dev":
            return found
        # Every shared environment needs its own key: the dev default is in the repository,
        # so anyone could sign cookies for a stage that kept it.
        secret = self.secret_key.get_secret_value()
        if secret == DEV_SECRET_KEY or len(secret) < 32:
            found.append("SPRINTSYNC_SECRET_KEY must be set to a random value of 32+ characters.")
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
