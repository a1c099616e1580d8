"""Moving and resigning on the pages, without JavaScript: a member asks on their page, the receiving unit's
roll officer decides on theirs, a member resigns after ticking that they mean it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commune.accounts.models import User
from commune.federation.models import Member
from commune.membership.models import Transfer, TransferStatus
from commune.membership.services import transfer_request
from tests.conftest import SmallFederation, build_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    return build_federation()


def _signed_in(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_member_asks_to_move_and_the_receiving_officer_admits_on_their_pages(fed: SmallFederation) -> None:
    m6 = _signed_in(fed.members["m6"].person)
    page = m6.get("/o/tf/transfers/")
    assert page.status_code == 200 and b"Ask to move" in page.content
    assert m6.post("/o/tf/transfers/", {"unit": ""}).status_code == 400
    asked = m6.post("/o/tf/transfers/", {"unit": "D0-U0", "statement": "New job"})
    assert asked.status_code == 200 and b"waits for an officer" in asked.content
    transfer = Transfer.objects.get()
    officer = _signed_in(fed.officer)
    listing = officer.get("/o/tf/transfers/")
    assert b"Members asking to join your unit" in listing.content and b"New job" in listing.content
    refused = officer.post(f"/o/tf/transfers/{transfer.pk}/decide/", {"decision": "refuse", "reason": ""})
    assert refused.status_code == 400
    admitted = officer.post(f"/o/tf/transfers/{transfer.pk}/decide/", {"decision": "admit"})
    assert admitted.status_code == 200 and b"is now a member of Unit 0.0" in admitted.content
    assert Member.objects.get(pk=fed.members["m6"].pk).current_unit_id == fed.units[0].pk


def test_a_stranger_to_the_request_gets_a_404_and_the_member_withdraws(fed: SmallFederation) -> None:
    m6 = _signed_in(fed.members["m6"].person)
    m6.post("/o/tf/transfers/", {"unit": "D1-U0"})
    transfer = Transfer.objects.get()
    officer = _signed_in(fed.officer)  # keeps D0-U0's roll, not D1-U0's
    assert officer.post(f"/o/tf/transfers/{transfer.pk}/decide/", {"decision": "admit"}).status_code == 404
    assert m6.post(f"/o/tf/transfers/{transfer.pk}/decide/", {"decision": "admit"}).status_code == 403
    withdrawn = m6.post(f"/o/tf/transfers/{transfer.pk}/decide/", {"decision": "withdraw"})
    assert withdrawn.status_code == 200 and b"withdrawn" in withdrawn.content
    assert Transfer.objects.get().status == TransferStatus.WITHDRAWN
    assert Client().get("/o/tf/transfers/").status_code == 302


def test_a_member_resigns_only_after_ticking_the_box(fed: SmallFederation) -> None:
    m9 = _signed_in(fed.members["m9"].person)
    assert m9.get("/o/tf/resign/").status_code == 200
    assert m9.post("/o/tf/resign/", {"statement": "Bye"}).status_code == 400
    assert Member.objects.get(pk=fed.members["m9"].pk).current_unit_id is not None
    done = m9.post("/o/tf/resign/", {"confirm": "on", "statement": "Bye"})
    assert done.status_code == 200 and b"You have resigned" in done.content
    assert Member.objects.get(pk=fed.members["m9"].pk).current_unit_id is None
    assert m9.get("/o/tf/resign/").status_code == 404


def test_the_officers_page_reads_the_same_number_of_queries_however_many_ask(fed: SmallFederation) -> None:
    """One request or six waiting: the page costs the same."""
    officer = _signed_in(fed.officer)
    transfer_request(member=fed.members["m6"], to_unit_code="D0-U0")
    with CaptureQueriesContext(connection) as one:
        assert officer.get("/o/tf/transfers/").status_code == 200
    for n in (7, 8, 11, 12, 16):
        transfer_request(member=fed.members[f"m{n}"], to_unit_code="D0-U0")
    with CaptureQueriesContext(connection) as six:
        page = officer.get("/o/tf/transfers/")
    assert page.content.count(b'value="admit"') == 6
    assert len(six) == len(one)
