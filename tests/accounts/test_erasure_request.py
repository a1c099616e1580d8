"""A member asks for erasure from their account page or the API; the request is recorded and listed to the
operator, who carries it out with ``commune audit erase-person`` (the one erasure), which closes it."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.models import ErasureRequest
from commune.cli.main import main
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


def test_a_member_asks_the_operator_sees_it_and_erasing_closes_it(
    federation: SmallFederation, capsys: pytest.CaptureFixture[str]
) -> None:
    client = Client()
    client.force_login(federation.member)
    assert client.post("/accounts/data/erasure/", {"statement": "x"}).status_code == 400
    assert not ErasureRequest.objects.exists()
    asked = client.post("/accounts/data/erasure/", {"confirm": "on", "statement": "I left the trade"})
    assert asked.status_code == 302
    assert b"You asked on" in client.get("/accounts/").content
    again = ApiClient(federation.member).post("/api/me/erasure-request", {})
    assert again.status_code == 201 and ErasureRequest.objects.count() == 1
    assert main(["audit", "erasure-requests"]) == 0
    listed = capsys.readouterr().out
    assert federation.member.email in listed and "TF00001 in tf" in listed and "I left the trade" in listed
    assert main(["audit", "erase-person", federation.member.email, "--yes"]) == 0
    assert ErasureRequest.objects.get().carried_out_at is not None
    capsys.readouterr()
    assert main(["audit", "erasure-requests"]) == 0
    assert "no request for erasure is waiting" in capsys.readouterr().out


def test_asking_changes_nothing_else_and_nobody_asks_for_another(federation: SmallFederation) -> None:
    """The request erases nothing by itself, and concerns only the one asking."""
    ApiClient(federation.officer).post("/api/me/erasure-request", {"statement": "me"})
    (request,) = ErasureRequest.objects.all()
    assert request.person_id == federation.officer.pk
    federation.officer.refresh_from_db()
    assert federation.officer.is_active and "@" in federation.officer.email
    assert Client().post("/accounts/data/erasure/", {"confirm": "on"}).status_code == 302  # to sign in
    assert ErasureRequest.objects.count() == 1
