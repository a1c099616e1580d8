"""Guessing passwords is slowed down and then stopped: wrong passwords for one account, or from one address,
first make each further try wait longer, then lock signing in for a while. The answers are the same whether
the account exists or not, and a locked account does not open even to the right password until the lock
ends (a password reset by email still works)."""

from __future__ import annotations

import re
from itertools import pairwise

from django.test import Client

from commune.accounts.services import SIGN_IN_LIMITS
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation

LOGIN = "/accounts/login/"
ACCOUNT, ADDRESS = SIGN_IN_LIMITS["account"], SIGN_IN_LIMITS["address"]


def _try(client: Client, email: str, password: str, address: str = "192.0.2.10") -> tuple[int, str, bool]:
    response = client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)
    return response.status_code, response.content.decode(), "_auth_user_id" in client.session


def test_fifty_wrong_passwords_do_not_leave_the_account_open(
    federation: SmallFederation, clock: Clock
) -> None:
    """After the limit the right password is refused too, with a message saying to wait; once the lock
    ends it opens again."""
    client, email = Client(), federation.member.email
    for _ in range(50):
        _try(client, email, "not the password")
        clock.advance(seconds=ACCOUNT.lock.total_seconds() / 100)  # steady, but well inside the lock
    status, page, signed_in = _try(client, email, PASSWORD)
    assert (status, signed_in) == (429, False)
    assert "Too many wrong passwords" in page
    clock.advance(seconds=ACCOUNT.lock.total_seconds() + 1)
    assert _try(client, email, PASSWORD)[2]


def test_wrong_passwords_first_slow_down_then_lock(federation: SmallFederation, clock: Clock) -> None:
    """The first few tries are free; after them each try must wait longer than the one before; at the
    limit signing in is locked."""
    client, email = Client(), federation.member.email
    for _ in range(ACCOUNT.free):
        assert _try(client, email, "wrong")[0] == 200
    waits = []
    for _ in range(ACCOUNT.free, ACCOUNT.lock_at):
        status, page, _ = _try(client, email, "wrong")
        assert status == 429 and "wait" in page  # too soon: refused without checking the password
        wait = 1
        while _try(client, email, "wrong")[0] == 429:
            clock.advance(seconds=wait)
        waits.append(clock.now)
    gaps = [(b - a).total_seconds() for a, b in pairwise(waits)]
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]
    clock.advance(seconds=60)
    status, page, signed_in = _try(client, email, PASSWORD)
    assert (status, signed_in) == (429, False)


def test_the_answers_do_not_say_whether_an_account_exists(federation: SmallFederation, clock: Clock) -> None:
    """An address nobody has and a member's address get the same answers, try by try."""
    answers = []
    for email, address in ((federation.member.email, "192.0.2.1"), ("nobody@tf.example", "192.0.2.2")):
        client = Client()
        seen = []
        for _ in range(ACCOUNT.lock_at + 2):
            status, page, _ = _try(client, email, "wrong", address)
            seen.append((status, re.findall(r'role="alert">(.*?)</div>', page, re.S)))
            clock.advance(seconds=3)
        answers.append(seen)
    assert answers[0] == answers[1]


def test_many_accounts_tried_from_one_address_slow_that_address(federation: SmallFederation) -> None:
    """Spraying one password over many accounts from one address is slowed too, while another address
    signs in as usual."""
    client = Client()
    for n in range(ADDRESS.free):
        assert _try(client, f"guess{n}@tf.example", "Password1", "198.51.100.7")[0] == 200
    assert _try(client, "another@tf.example", "Password1", "198.51.100.7")[0] == 429
    assert _try(Client(), federation.member.email, PASSWORD, "198.51.100.8")[2]


def test_a_right_password_clears_the_accounts_count(federation: SmallFederation, clock: Clock) -> None:
    """A member who mistypes a few times and then signs in starts afresh."""
    client, email = Client(), federation.member.email
    for _ in range(ACCOUNT.free):
        _try(client, email, "wrong")
    clock.advance(seconds=5)
    assert _try(client, email, PASSWORD)[2]
    client.logout()
    for _ in range(ACCOUNT.free):
        assert _try(client, email, "wrong")[0] == 200


def test_a_password_reset_opens_a_locked_account(federation: SmallFederation, clock: Clock) -> None:
    """Whoever locked an account by guessing cannot keep its owner out: a reset by email opens it."""
    from django.core import mail

    client, email = Client(), federation.member.email
    for _ in range(ACCOUNT.lock_at):
        _try(client, email, "wrong")
        clock.advance(seconds=600)
    assert _try(client, email, PASSWORD)[0] == 429
    Client().post("/accounts/password-reset/", {"email": email})
    link = re.search(r"/accounts/reset/\S+/", mail.outbox[-1].body)
    assert link is not None
    visitor = Client()
    form = visitor.get(link.group(0), follow=True)
    new = "a brand new passphrase 42"
    visitor.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _try(Client(), email, new)[2]
