"""Sign-in time for an unknown username against a wrong password for a real one.

    .venv/bin/python benchmarks/sign_in_timing.py [--attempts 40]

Both cost one bcrypt check at the configured cost (SPRINTSYNC_BCRYPT_ROUNDS, 12 by default);
a known user's failure also writes its failure count and an audit row. Prints the median and
the spread of each, and their difference, so docs/SECURITY.md can say how far apart they are.
Runs against SPRINTSYNC_DATABASE_URL, or a fresh database in an embedded PostgreSQL in
.sprintsync/soak (as benchmarks/soak.py does).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soak import build_engine

from sprintsync import db
from sprintsync.config import get_settings
from sprintsync.db import UnitOfWork
from sprintsync.errors import AuthError
from sprintsync.services import auth, users
from sprintsync.services.views import CONSOLE

WRONG = "not-the-password"


def timed_failure(uow: UnitOfWork, username: str) -> float:
    started = time.perf_counter()
    with contextlib.suppress(AuthError):
        auth.authenticate(uow, username=username, password=WRONG)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=40, help="of each kind")
    args = parser.parse_args(argv)
    engine = build_engine(get_settings().database_url)
    db.migrate(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    # Fewer failures per account than the lockout needs, so every attempt checks a password.
    per_user = auth.MAX_FAILED_LOGINS - 1
    known = []
    for _ in range(-(-args.attempts // per_user)):
        name = f"timing-{uuid.uuid4().hex[:8]}"
        users.create_user(UnitOfWork(sessions), actor=CONSOLE, username=name)
        known += [name] * per_user
    auth.warm_up()
    samples: dict[str, list[float]] = {"unknown user": [], "wrong password": []}
    for n in range(args.attempts):  # interleaved, so drifting load hits both alike
        unknown = f"nobody-{uuid.uuid4().hex[:8]}"
        samples["unknown user"].append(timed_failure(UnitOfWork(sessions), unknown))
        samples["wrong password"].append(timed_failure(UnitOfWork(sessions), known[n]))
    rounds = get_settings().bcrypt_rounds
    print(f"bcrypt cost {rounds}, {args.attempts} attempts of each, interleaved")
    print(f"{'failure':<16}{'median ms':>10}{'p10 ms':>9}{'p90 ms':>9}")
    medians = {}
    for kind, values in samples.items():
        deciles = statistics.quantiles(values, n=10)
        medians[kind] = statistics.median(values)
        print(
            f"{kind:<16}{medians[kind] * 1000:>10.1f}{deciles[0] * 1000:>9.1f}"
            f"{deciles[-1] * 1000:>9.1f}"
        )
    difference = medians["wrong password"] - medians["unknown user"]
    print(
        f"difference of medians: {difference * 1000:+.1f} ms "
        f"({difference / medians['unknown user']:+.1%} of an unknown user's)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
