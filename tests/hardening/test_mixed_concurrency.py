"""Sixteen threads of mixed actions on shared tasks: nothing lost, nothing leaked."""

import os
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from sprintsync.db import UnitOfWork
from sprintsync.errors import Conflict, NotFound, ValidationError
from sprintsync.services import tasks, timelog, users
from sprintsync.services.views import CONSOLE

SECONDS = float(os.environ.get("SPRINTSYNC_STRESS_SECONDS", "30"))
THREADS = 16


@pytest.mark.slow
def test_sixteen_threads_of_mixed_actions_lose_nothing(fresh_db):
    sessions = sessionmaker(bind=fresh_db, expire_on_commit=False)

    def uow():
        return UnitOfWork(sessions)

    actors = []
    for name, role in [("ann", "admin"), ("abe", "admin"), ("meg", "member"), ("max", "member")]:
        users.create_user(uow(), actor=CONSOLE, username=name, role=role)
        actors.append(users.actor_for(uow(), username=name))
    shared = [
        tasks.create_task(uow(), actor=actors[2 + i % 2], title=f"Shared {i}").id for i in range(6)
    ]

    lock = threading.Lock()
    done_ok: Counter[str] = Counter()
    edits: list[tuple[int, int]] = []  # (task, expected version) of every successful edit
    bumps: Counter[int] = Counter()  # successful version-bumping changes per task
    unexpected: list[BaseException] = []
    deadline = time.monotonic() + SECONDS
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        rng = random.Random(n)
        me = actors[n % len(actors)]
        mine = [t for i, t in enumerate(shared) if me.is_admin or actors[2 + i % 2] == me]
        my_entries: list[int] = []
        barrier.wait()
        while time.monotonic() < deadline:
            task_id = rng.choice(mine)
            action = rng.choices(["edit", "move", "log", "delete", "create"], [4, 3, 4, 2, 1])[0]
            try:
                if action == "edit":
                    seen = tasks.get_task(uow(), actor=me, task_id=task_id)
                    time.sleep(rng.random() / 100)  # let others race in between
                    tasks.update_task(
                        uow(),
                        actor=me,
                        task_id=task_id,
                        expected_version=seen.version,
                        title=f"T{n}-{rng.randrange(10**6)}",
                    )
                    with lock:
                        edits.append((task_id, seen.version))
                        bumps[task_id] += 1
                    key = "task.update"
                elif action == "move":
                    current = tasks.get_task(uow(), actor=me, task_id=task_id)
                    tasks.move_task(
                        uow(), actor=me, task_id=task_id, to_status=rng.choice(current.moves)
                    )
                    with lock:
                        bumps[task_id] += 1
                    key = "task.move"
                elif action == "log":
                    entry = timelog.log_time(
                        uow(), actor=me, task_id=task_id, duration=rng.randint(1, 120)
                    )
                    my_entries.append(entry.id)
                    key = "time.log"
                elif action == "delete" and my_entries:
                    timelog.delete_entry(
                        uow(), actor=me, entry_id=my_entries.pop(rng.randrange(len(my_entries)))
                    )
                    key = "time.delete"
                elif action == "create":
                    tasks.create_task(uow(), actor=me, title=f"New from {n}")
                    key = "task.create"
                else:
                    continue
                with lock:
                    done_ok[key] += 1
            except (Conflict, ValidationError, NotFound):
                with lock:
                    done_ok["refused"] += 1
            except BaseException as error:  # deadlocks, leaks, anything else fails the test
                with lock:
                    unexpected.append(error)
                return

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))

    assert unexpected == []
    assert done_ok["task.update"] > 10 and done_ok["refused"] > 0, done_ok
    assert len(edits) == len(set(edits)), "two edits succeeded from the same version"
    with fresh_db.connect() as conn:
        versions = dict(conn.execute(text("SELECT id, version FROM tasks")).all())
        for task_id in shared:
            assert versions[task_id] == 1 + bumps[task_id]
        mismatched = conn.scalar(
            text(
                "SELECT count(*) FROM tasks t WHERE total_minutes <> "
                "(SELECT coalesce(sum(minutes), 0) FROM time_entries e WHERE e.task_id = t.id)"
            )
        )
        assert mismatched == 0
        audited = dict(
            conn.execute(
                text(
                    "SELECT action, count(*) FROM audit_log WHERE action LIKE 'task.%' "
                    "OR action LIKE 'time.%' GROUP BY action"
                )
            ).all()
        )
    expected = {k: v for k, v in done_ok.items() if k != "refused"}
    expected["task.create"] = expected.get("task.create", 0) + len(shared)
    assert audited == expected
    assert fresh_db.pool.checkedout() == 0
