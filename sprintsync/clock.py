"""The workspace's clock: today in SPRINTSYNC_TIMEZONE, and now in UTC. One place, so the
services, the pages and the CLI agree on what day it is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sprintsync.config import get_settings


def tz() -> ZoneInfo:
    return ZoneInfo(get_settings().timezone)


def today() -> dt.date:
    return dt.datetime.now(tz()).date()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
