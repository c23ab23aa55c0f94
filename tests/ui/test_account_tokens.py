"""The Account page's API tokens: created with a name, scope and expiry, the secret shown
once, listed, and revoked after a confirmation; checked against the tokens service."""

from __future__ import annotations

import datetime as dt

import pytest

from sprintsync.clock import today
from sprintsync.errors import AuthError
from sprintsync.services import tokens
from tests.ui.apptest_helpers import field, press, values

PAGE = "app_pages/account.py"


def _create(at, name: str, scope: str = "read", expires_on: dt.date | None = None):
    field(at, "Token name").input(name)
    [radio] = [r for r in at.radio if r.label == "Scope"]
    radio.set_value(scope)
    if expires_on is not None:
        [day] = [d for d in at.date_input if d.label.startswith("Expires on")]
        day.set_value(expires_on)
    return press(at, "Create token")


def test_a_new_token_shows_its_secret_once_and_the_secret_works(app, uow, member):
    at = _create(app(member, PAGE).run(), "laptop", "write", today() + dt.timedelta(days=30))
    assert not at.exception
    [secret] = [c.value for c in at.code]
    found = tokens.authenticate_token(uow(), secret=secret, write=True, per_minute=100)
    assert found.actor.id == member.id and found.can_write
    [made] = tokens.list_tokens(uow(), actor=member)
    assert (made.name, made.scope, made.prefix) == ("laptop", "write", secret[:12])
    assert made.expires_at is not None
    assert "Token 'laptop' created." in values(at.toast)
    assert field(at, "Token name").value == ""  # the form starts afresh
    at.run()
    assert [c.value for c in at.code] == []  # never shown again
    assert any("laptop" in m and made.prefix in m for m in values(at.markdown))


def test_a_refused_token_says_why_keeps_what_was_typed_and_makes_nothing(app, uow, member):
    at = _create(app(member, PAGE).run(), "x" * (tokens.NAME_MAX + 1))
    [said] = values(at.error)
    assert "Token name" in said and str(tokens.NAME_MAX) in said
    assert field(at, "Token name").value == "x" * (tokens.NAME_MAX + 1)
    assert tokens.list_tokens(uow(), actor=member) == []
    assert [c.value for c in at.code] == []


@pytest.mark.parametrize("answer", ["Cancel", "Revoke ci"])
def test_revoking_asks_first_and_then_the_token_is_refused_at_once(app, uow, member, answer):
    made = tokens.create_token(uow(), actor=member, name="ci", scope="read")
    at = press(app(member, PAGE).run(), "Revoke")
    assert any("Revoke the token 'ci'?" in w for w in values(at.warning))
    at = press(at, answer)
    assert not at.exception
    [listed] = tokens.list_tokens(uow(), actor=member)
    if answer == "Cancel":
        assert listed.revoked_at is None
        return
    assert listed.revoked_at is not None
    with pytest.raises(AuthError):
        tokens.authenticate_token(uow(), secret=made.secret, write=False, per_minute=100)
    assert "Token 'ci' revoked." in values(at.toast)
    assert any("revoked" in m for m in values(at.markdown))
    assert [b.label for b in at.button if b.label == "Revoke"] == []
