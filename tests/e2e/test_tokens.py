"""An API token in Chromium: created on the Account page, its secret read from the page once,
used against the real `sprintsync api` process on 127.0.0.1 over the server's database,
revoked in the page (after the confirmation), and then refused by the API."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.api.apikit import api_process, call
from tests.e2e.e2e_actions import button, main, settle, textbox, toast


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
    database_url = server.db.engine.url.render_as_string(hide_password=False)
    with api_process(server.env, database_url, tmp_path / "api.log") as base:
        status, me = call(f"{base}/me", secret)
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
        status, refused = call(f"{base}/me", secret)
        assert status == 401 and "revoked" in refused["error"]["message"]
    page.screenshot(path=tmp_path / "account-tokens.png", full_page=True)
