"""A person admitted without a password (from a roll import, or an application to join) chooses their first
one through the ordinary password reset."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client

from commune.accounts.services import user_create


def test_a_person_without_a_password_is_sent_a_reset_link_and_chooses_one(db: None) -> None:
    person = user_create(email="rosa@example.org", name="Rosa Parks", password=None)
    assert not person.has_usable_password()
    Client().post("/accounts/password-reset/", {"email": "Rosa@Example.org"})
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    body = str(mail.outbox[0].body)
    link = body[body.index("/accounts/reset/") :].split()[0]
    browser = Client()
    form = browser.get(link, follow=True)
    new = "my own first password, at last"
    assert (
        browser.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}).status_code
        == 302
    )
    assert authenticate(username="rosa@example.org", password=new) == person


def test_no_link_goes_to_an_address_with_no_account(db: None) -> None:
    Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert mail.outbox == []
