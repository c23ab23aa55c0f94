"""What a process does once before serving: reach the database, migrate, bootstrap an admin."""

from __future__ import annotations

import logging
import threading

from sprintsync import db
from sprintsync.config import get_settings

log = logging.getLogger(__name__)
_done = threading.Event()
_lock = threading.Lock()


def prepare_database() -> None:
    """Idempotent and cheap after the first call in a process."""
    if _done.is_set():
        return
    with _lock:
        if _done.is_set():
            return
        db.prepare()
        bootstrap_admin_from_settings()
        from sprintsync.services.auth import warm_up

        warm_up()
        _done.set()


def bootstrap_admin_from_settings() -> None:
    from sprintsync.services.users import bootstrap_admin

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
