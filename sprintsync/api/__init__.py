"""The HTTP API (`sprintsync api`): a third door into the same services as the app and the
CLI. No SQL and no business rules here: each route reads its input, makes one service call
as the token's owner, and renders what the service returned."""

from sprintsync.api.app import create_app

__all__ = ["create_app"]
