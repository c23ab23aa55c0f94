"""One app replica for tests/hardening/test_replicas.py: a process of its own that serves its
metrics sidecar and runs the service calls it is sent, one JSON object per line on stdin,
answering each with one JSON line on stdout. Gemini is the tests' fake (no network)."""

from __future__ import annotations

import json
import sys
from typing import Any

from sprintsync import observability, startup
from sprintsync.errors import SprintSyncError
from sprintsync.services import ai, auth, tasks, unit_of_work, users
from sprintsync.services.ai import gemini
from sprintsync.services.views import Actor
from tests.ai.gemini_fake import GOOD_DRAFT, FakeGemini, json_response

fake = FakeGemini().will(*[json_response(GOOD_DRAFT)] * 50)
gemini.make_client = lambda settings: fake
gemini.RETRY_DELAY_SECONDS = 0


def _actor(cmd: dict[str, Any]) -> Actor:
    return users.actor_for(unit_of_work(), username=cmd["username"])


def handle(cmd: dict[str, Any]) -> Any:
    op = cmd["op"]
    if op == "sign_in":
        actor = auth.authenticate(
            unit_of_work(), username=cmd["username"], password=cmd["password"]
        )
        return {"id": actor.id, "token_version": actor.token_version}
    if op == "resume":
        actor = auth.resume_session(
            unit_of_work(), user_id=cmd["id"], token_version=cmd["token_version"]
        )
        return {"username": actor.username}
    if op == "sign_out":
        actor = auth.resume_session(
            unit_of_work(), user_id=cmd["id"], token_version=cmd["token_version"]
        )
        auth.sign_out(unit_of_work(), actor=actor)
        return None
    if op == "draft":
        suggestion = ai.draft_task(unit_of_work(), actor=_actor(cmd), title=cmd["title"])
        return {"source": suggestion.source, "cached": suggestion.cached}
    if op == "create_task":
        return tasks.create_task(unit_of_work(), actor=_actor(cmd), title=cmd["title"]).id
    if op == "gemini_calls":
        return len(fake.calls)
    raise ValueError(op)


def main() -> None:
    startup.prepare_database()
    sidecar = observability.start_once()
    assert sidecar is not None
    print(json.dumps({"ok": {"metrics": sidecar.url}}), flush=True)
    for line in sys.stdin:
        try:
            answer = {"ok": handle(json.loads(line))}
        except SprintSyncError as error:
            answer = {"error": type(error).__name__, "message": error.message}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
