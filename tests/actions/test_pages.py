"""The pages of collective action work without JavaScript: the calendar, a call's page where a member moves
their unit's endorsement, and an event's page where they sign up, with refusals shown at the API's status;
the calendar's page reads a fixed number of queries however many events it lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commune.actions.models import CallEndorsement, SignUp, StrikePayClaim
from tests.actions.conftest import Fed, adopted, call, establish
from tests.actions.test_events_api import picket
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(n: int) -> Client:
    client = Client()
    assert client.login(email=f"m{n}@tf.example", password=PASSWORD)
    return client


def test_a_member_signs_up_for_a_shift_on_the_event_page_and_a_full_shift_is_refused(fed: Fed) -> None:
    made = picket(fed).json()
    early = made["shifts"][0]["id"]
    page = f"/o/{fed.slug}/action/events/{made['id']}/"
    assert Client().get(page).status_code == 302
    first = _signed_in(1)
    assert "Sign up for Early" in first.get(page).content.decode()
    assert first.post(page, {"shift": early}).status_code == 302
    assert "You are signed up." in first.get(page).content.decode()
    refused = _signed_in(4).post(page, {"shift": early})
    assert refused.status_code == 409 and "is full" in refused.content.decode()
    assert _signed_in(4).post(page, {"shift": "nonsense"}).status_code == 404
    assert SignUp.objects.count() == 1
    assert first.post(page, {"shift": early, "action": "withdraw"}).status_code == 302
    assert SignUp.objects.count() == 0


def test_a_member_moves_their_units_endorsement_from_the_calls_page(fed: Fed) -> None:
    made = call(fed, 3, "D0", adopted(fed, "D0", (3, 6))).json()
    page = f"/o/{fed.slug}/action/calls/{made['id']}/"
    member = _signed_in(1)
    shown = member.get(page).content.decode()
    assert "Move that our assembly endorses it" in shown and "motion " in shown
    moved = member.post(page, {"action": "endorse"})
    assert moved.status_code == 302 and "/motions/" in moved["Location"]
    assert CallEndorsement.objects.get().unit.code == "D0-U0"
    again = member.post(page, {"action": "endorse"})
    assert again.status_code == 409
    # A member of a unit the call does not reach is offered nothing, and refused if they try.
    assert "Move that our assembly" not in _signed_in(11).get(page).content.decode()
    assert _signed_in(11).post(page, {"action": "endorse"}).status_code == 403


def test_the_calendar_lists_what_is_coming_in_a_fixed_number_of_queries(fed: Fed) -> None:
    picket(fed)
    member = _signed_in(1)
    with CaptureQueriesContext(connection) as one:
        assert "Picket at the depot gate" in member.get(f"/o/{fed.slug}/action/").content.decode()
    for _ in range(5):
        picket(fed)
    call(fed, 3, "D0", adopted(fed, "D0", (3, 6)))
    with CaptureQueriesContext(connection) as many:
        assert member.get(f"/o/{fed.slug}/action/").status_code == 200
    assert len(many) == len(one)


def test_strike_pay_is_claimed_decided_and_paid_on_the_pages(fed: Fed) -> None:
    """m4, reported out, claims from the call's page; m7 of the fund approves and pays it on the strike-pay
    page, where the claimant is refused their own and a sum that is not money is refused."""
    from tests.actions.test_strike_pay_api import _called_and_reported

    call_id, day = _called_and_reported(fed)
    establish(fed, "FUND", ["pay-strike-pay"])
    claimant = _signed_in(4)
    call_page = f"/o/{fed.slug}/action/calls/{call_id}/"
    assert "Claim strike pay" in claimant.get(call_page).content.decode()
    assert claimant.post(call_page, {"action": "claim", "day": day}).status_code == 302
    assert "Claim strike pay" not in claimant.get(call_page).content.decode()
    claim = StrikePayClaim.objects.get()
    desk = f"/o/{fed.slug}/action/strike-pay/"
    treasurer = _signed_in(7)
    assert f"Claim {claim.pk}" in treasurer.get(desk).content.decode()
    decide = {"claim": claim.pk, "action": "decide", "executive": "FUND"}
    assert treasurer.post(desk, {**decide, "amount": "NaN"}).status_code == 400
    assert treasurer.post(desk, {**decide, "amount": "lots"}).status_code == 400
    assert treasurer.post(desk, {**decide, "amount": "50.00"}).status_code == 302
    own = claimant.post(desk, {"claim": claim.pk, "action": "pay", "reference": "X"})
    assert (
        own.status_code == 403
        and "Nobody approves, refuses or pays their own strike pay" in own.content.decode()
    )
    assert (
        treasurer.post(desk, {"claim": claim.pk, "action": "pay", "reference": "BACS 7"}).status_code == 302
    )
    assert StrikePayClaim.objects.get().status == "paid"
    assert "Paid" in claimant.get(desk).content.decode()
