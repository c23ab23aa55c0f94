"""What a route gets from its request: the caller (the token's owner, checked by the tokens
service) and a unit of work fit for what the route does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sprintsync.config import get_settings
from sprintsync.errors import AuthError
from sprintsync.services import UnitOfWork, read_only_unit_of_work, tokens, unit_of_work
from sprintsync.services.views import Actor

NO_TOKEN = "Send your API token in the header Authorization: Bearer <token>."  # noqa: S105 (a message)

bearer = HTTPBearer(auto_error=False, description="A personal access token (Account page).")


@dataclass(frozen=True, slots=True)
class Caller:
    actor: Actor
    token_id: int
    writes: bool  # the route writes (and was let through: the token may write)
    token_writes: bool  # the token's scope is write

    def uow(self) -> UnitOfWork:
        """A unit of work per service call; read routes' cannot commit, so a read-only token
        never changes anything, whatever the route calls."""
        return unit_of_work() if self.writes else read_only_unit_of_work()


def _caller(
    request: Request, credentials: HTTPAuthorizationCredentials | None, write: bool
) -> Caller:
    if credentials is None or not credentials.credentials:
        raise AuthError(NO_TOKEN)
    found = tokens.authenticate_token(
        unit_of_work(),
        secret=credentials.credentials,
        write=write,
        per_minute=get_settings().api_rate_per_minute,
    )
    request.state.token_id = found.token_id  # for the request's log line (never the secret)
    return Caller(found.actor, found.token_id, write, found.can_write)


def reader(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    return _caller(request, credentials, write=False)


def writer(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    return _caller(request, credentials, write=True)


Reader = Annotated[Caller, Depends(reader)]
Writer = Annotated[Caller, Depends(writer)]
