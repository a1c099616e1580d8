"""A new password, whether changed by the person or set through an emailed reset link, ends every other
session and revokes every API token of that person: whoever had the old password or a token made with it is
shut out at once."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from commune.accounts.models import ApiToken
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD, SmallFederation

NEW_PASSWORD = "a brand new passphrase 42"


def _signed_in(email: str, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(username=email, password=password)
    return client


def _still_in(client: Client) -> bool:
    return client.get("/accounts/").status_code == 200


def test_changing_the_password_ends_other_sessions_and_revokes_tokens(federation: SmallFederation) -> None:
    """The session that changed it stays signed in; the other session and both tokens stop working."""
    person = federation.member
    here, elsewhere = _signed_in(person.email), _signed_in(person.email)
    tokens = [ApiClient(person), ApiClient(person)]
    assert all(t.get("/api/me").status_code == 200 for t in tokens)
    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _still_in(here)
    assert not _still_in(elsewhere)
    assert [t.get("/api/me").status_code for t in tokens] == [401, 401]
    assert not ApiToken.objects.filter(user=person, revoked_at__isnull=True).exists()


def test_a_password_reset_ends_every_session_and_revokes_tokens(federation: SmallFederation) -> None:
    """Reset by email (as after a stolen password): every session and token of the person ends."""
    person = federation.member
    session = _signed_in(person.email)
    token = ApiClient(person)
    Client().post("/accounts/password-reset/", {"email": person.email})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[-1].body)
    assert link is not None
    visitor = Client()
    form = visitor.get(link.group(0), follow=True)
    response = visitor.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not _still_in(session)
    assert token.get("/api/me").status_code == 401
    assert _signed_in(person.email, NEW_PASSWORD)
