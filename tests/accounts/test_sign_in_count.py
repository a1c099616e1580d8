"""Only a right password clears an account's count of wrong ones: a try whose password never reached the
check (left empty, or holding a NUL) leaves the count as it was."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.models import SignInThrottle
from commune.accounts.services import sign_in_keys
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["", "a\x00b"])
def test_a_password_that_is_not_checked_does_not_clear_the_count(
    federation: SmallFederation, password: str
) -> None:
    """Two wrong passwords, then a try with no usable password: the account still has its two."""
    client = Client()
    email = federation.member.email
    for _ in range(2):
        client.post("/accounts/login/", {"username": email, "password": "wrong"})
    client.post("/accounts/login/", {"username": email, "password": password})
    keys = [key for kind, key in sign_in_keys(account=email, address="127.0.0.1") if kind == "account"]
    assert SignInThrottle.objects.get(key__in=keys).failures == 2
