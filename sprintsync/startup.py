"""What a process does once before serving: reach the database, migrate, bootstrap an admin."""

from __future__ import annotations

import logging
import threading

import pydantic

from sprintsync import db
from sprintsync.config import Settings, get_settings, session_secret
from sprintsync.errors import ConfigurationError

log = logging.getLogger(__name__)
_done = threading.Event()
_lock = threading.Lock()


def check_settings(settings: Settings | None = None) -> Settings:
    """Refuse settings that do not parse, or are unfit for their environment
    (Settings.problems), with one message per problem."""
    if settings is None:
        try:
            settings = get_settings()
        except pydantic.ValidationError as error:
            raise ConfigurationError(
                [f"{_env_name(e['loc'])}: {e['msg']}" for e in error.errors()]
            ) from None
    problems = settings.problems()
    if problems:
        raise ConfigurationError(problems)
    session_secret(settings)  # generated now on a first start in dev, or refused if unsafe
    return settings


def _env_name(loc: tuple[str | int, ...]) -> str:
    name = str(loc[0]) if loc else "settings"
    return name if name.isupper() else f"SPRINTSYNC_{name.upper()}"


def prepare_database() -> None:
    """Idempotent and cheap after the first call in a process."""
    if _done.is_set():
        return
    with _lock:
        if _done.is_set():
            return
        check_settings()
        db.prepare()
        bootstrap_admin_from_settings()
        from sprintsync.services.auth import warm_up

        warm_up()
        _done.set()


def bootstrap_admin_from_settings() -> None:
    from sprintsync.services.bootstrap import bootstrap_admin

    settings = get_settings()
    if not (settings.admin_username and settings.admin_password):
        return
    created = bootstrap_admin(
        db.unit_of_work(),
        username=settings.admin_username,
        password=settings.admin_password.get_secret_value(),
    )
    if created:
        log.warning("created the first admin %r from the environment", created.username)
