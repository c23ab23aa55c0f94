"""An API token in Chromium: created on the Account page, its secret read from the page once,
used against the real `sprintsync api` process on 127.0.0.1 over the server's database,
revoked in the page (after the confirmation), and then refused by the API."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.e2e_actions import button, main, settle, textbox, toast

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, secret: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 (loopback)
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@contextmanager
def api_process(server, log: Path) -> Iterator[str]:
    """`sprintsync api` on a free loopback port over the app server's own database."""
    port = _free_port()
    env = server.env | {
        "SPRINTSYNC_DATABASE_URL": server.db.engine.url.render_as_string(hide_password=False),
        "SPRINTSYNC_API_PORT": str(port),
        "SPRINTSYNC_API_METRICS_PORT": "0",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sprintsync.cli", "api"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_token_made_in_the_page_reaches_the_api_until_it_is_revoked_there(
    signed_in, person, server, step, tmp_path
):
    owner = person()
    page = signed_in(owner, "/my-account")
    form = main(page).get_by_test_id("stForm").filter(has=button(page, "Create token"))
    with step("create a read-write token"):
        textbox(form, "Token name").fill("e2e laptop")
        form.get_by_text("Read and write", exact=True).click()
        button(form, "Create token").click()
        toast(page, "Token 'e2e laptop' created.")
        settle(page)
    with step("the secret shows once"):
        code = main(page).get_by_test_id("stCode")
        expect(code).to_have_count(1)
        secret = code.inner_text().strip()
        assert secret.startswith("sst_")
        expect(main(page).get_by_text("e2e laptop", exact=False).first).to_be_visible()
    [row] = server.db.rows(
        "SELECT t.scope, t.revoked_at, t.last_used_at FROM api_tokens t JOIN users u "
        "ON u.id = t.owner_id WHERE u.username = :u",
        u=owner.username,
    )
    assert (row.scope, row.revoked_at, row.last_used_at) == ("write", None, None)
    with api_process(server, tmp_path / "api.log") as base:
        status, me = _get(f"{base}/me", secret)
        assert (status, me["username"], me["token_writes"]) == (200, owner.username, True)
        assert (
            server.db.scalar("SELECT last_used_at FROM api_tokens WHERE prefix = :p", p=secret[:12])
            is not None
        )
        with step("revoke it, confirmed"):
            page.reload()
            settle(page)
            expect(main(page).get_by_test_id("stCode")).to_have_count(0)  # never shown again
            button(main(page), "Revoke").click()
            settle(page)
            expect(main(page).get_by_text("Revoke the token 'e2e laptop'?")).to_be_visible()
            button(main(page), "Revoke e2e laptop").click()
            toast(page, "Token 'e2e laptop' revoked.")
            settle(page)
        assert (
            server.db.scalar("SELECT revoked_at FROM api_tokens WHERE prefix = :p", p=secret[:12])
            is not None
        )
        status, refused = _get(f"{base}/me", secret)
        assert status == 401 and "revoked" in refused["error"]["message"]
    page.screenshot(path=tmp_path / "account-tokens.png", full_page=True)
