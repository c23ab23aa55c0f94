"""FastAPI's TestClient over the real PostgreSQL: every request's units of work join the
test's transaction (tests/conftest.py's db_session_factory), rolled back after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sprintsync.api import create_app
from sprintsync.models import AuditLog
from sprintsync.services import tokens
from sprintsync.services.views import Actor

V1 = "/api/v1"


@pytest.fixture(scope="session")
def api_app() -> FastAPI:
    return create_app()


@pytest.fixture
def client(api_app, db_session_factory) -> Iterator[TestClient]:
    with TestClient(api_app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def token_for(uow) -> Callable[..., str]:
    """token_for(actor, scope="write") -> the secret of a new token of theirs."""

    def make(actor: Actor, scope: str = "write", **more: object) -> str:
        return tokens.create_token(
            uow(), actor=actor, name=f"{scope} token", scope=scope, **more
        ).secret  # type: ignore[arg-type]

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def audit_rows(db_session_factory) -> Callable[[], int]:
    def count() -> int:
        with db_session_factory() as s:
            return int(s.scalar(select(func.count()).select_from(AuditLog)) or 0)

    return count
