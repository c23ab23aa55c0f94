"""The `sprintsync` console script: ops and scripting over the same services as the app.

Exit codes: 0 success, 2 bad input or usage, 3 not found, 4 permission denied,
5 conflict, 1 anything else (database unavailable, unexpected errors).
"""

from __future__ import annotations

import logging
import sys
import uuid

import click

from sprintsync.cli.app import cli
from sprintsync.domain import shorten
from sprintsync.errors import SprintSyncError

log = logging.getLogger("sprintsync.cli")
MESSAGE_MAX = 300


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="sprintsync", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code or 0)
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as error:
        # Click quotes a refused value back whole; a pasted 100k-character argument must not
        # come back as a 100k-character error line.
        error.message = shorten(error.message, MESSAGE_MAX)  # type: ignore[misc]
        error.show()
        return error.exit_code
    except SprintSyncError as error:
        click.echo(f"Error: {error.message}", err=True)
        return error.exit_code
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("unexpected error, incident %s", incident)
        click.echo(
            f"Error: something unexpected went wrong (incident {incident}); "
            "see the log for details.",
            err=True,
        )
        return 1
    return 0


def run() -> None:
    sys.exit(main())
