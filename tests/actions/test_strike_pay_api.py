"""Strike pay through the API: claimed by a member for days their unit's officer reported them taking
part, approved (as an executive's decision under its delegated power) and paid by the members of an
executive whose council's reach covers the member's unit, never by the claimant, and totalled per unit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commune.actions.models import StrikePayClaim
from commune.audit.models import LogEntry
from commune.governance.models import ExecutiveDecision
from tests.actions.conftest import Fed, adopted, call, establish

pytestmark = pytest.mark.django_db


def _called_and_reported(fed: Fed) -> tuple[int, str]:
    """District 0 calls action; its Secretary of D0-U0 reports m1 and m4 out on its first day, today.
    Returns the call's id and that day."""
    made = call(fed, 3, "D0", adopted(fed, "D0", (3, 6))).json()
    reported = fed.api(2).post(
        f"/orgs/{fed.slug}/action-calls/{made['id']}/participation",
        {
            "unit": "D0-U0",
            "day": timezone.localdate().isoformat(),
            "members": [fed.members["m1"].number, fed.members["m4"].number],
        },
    )
    assert reported.status_code == 201, reported.json()
    return int(made["id"]), made["starts_on"]


def test_strike_pay_is_claimed_approved_and_paid_with_its_provenance_and_totalled_per_unit(fed: Fed) -> None:
    """m4 claims for the day reported (not for a day that was not); m7 of the Strike Fund commission
    approves it as the commission's decision and pays it with a reference; the unit's totals show it."""
    call_id, day = _called_and_reported(fed)
    establish(fed, "FUND", ["pay-strike-pay"])
    next_day = (date.fromisoformat(day) + timedelta(days=1)).isoformat()
    claims = f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims"
    assert fed.api(4).post(claims, {"days": [next_day]}).status_code == 403
    assert fed.api(5).post(claims, {"days": [day]}).status_code == 403
    made = fed.api(4).post(claims, {"days": [day]})
    assert made.status_code == 201, made.json()
    claim = made.json()["id"]
    assert fed.api(4).post(claims, {"days": [day]}).status_code == 409
    assert fed.api(9).get(f"/orgs/{fed.slug}/strike-pay-claims/{claim}").status_code == 404
    decided = fed.api(7).post(
        f"/orgs/{fed.slug}/strike-pay-claims/{claim}/decision", {"executive": "FUND", "amount": "50.00"}
    )
    assert decided.status_code == 200, decided.json()
    decision = ExecutiveDecision.objects.get(pk=decided.json()["approval_decision"])
    assert decision.power == "pay-strike-pay" and decision.executive.code == "FUND"
    pay = f"/orgs/{fed.slug}/strike-pay-claims/{claim}/payment"
    assert fed.api(7).post(pay, {"reference": " "}).status_code == 400
    paid = fed.api(1).post(pay, {"reference": "BACS 0042"})
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["status"], paid.json()["paid_by"]) == ("paid", fed.members["m1"].number)
    assert LogEntry.objects.get(action="strike_pay.paid").payload["approved_by_decision"] == decision.pk
    totals = fed.api(20).get(f"/orgs/{fed.slug}/strike-pay").json()
    assert totals == [
        {"unit": "D0-U0", "name": "Unit 0.0", "claims": 1, "approved": "50.00", "paid": "50.00"}
    ]


def test_nobody_approves_or_pays_their_own_strike_pay(fed: Fed) -> None:
    """m1 sits on the commission and took part: their own claim is refused to them at approval and at
    payment, and the database refuses it too; m7 approves it and pays it."""
    call_id, day = _called_and_reported(fed)
    establish(fed, "FUND", ["pay-strike-pay"])
    claim = (
        fed.api(1)
        .post(f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims", {"days": [day]})
        .json()["id"]
    )
    decide = f"/orgs/{fed.slug}/strike-pay-claims/{claim}/decision"
    refused = fed.api(1).post(decide, {"executive": "FUND", "amount": "50.00"})
    assert refused.status_code == 403 and "nobody approves" in refused.json()["detail"]
    assert StrikePayClaim.objects.get().status == "claimed"
    assert not ExecutiveDecision.objects.exists()
    assert fed.api(7).post(decide, {"executive": "FUND", "amount": "50.00"}).status_code == 200
    pay = f"/orgs/{fed.slug}/strike-pay-claims/{claim}/payment"
    assert fed.api(1).post(pay, {"reference": "BACS 1"}).status_code == 403
    assert fed.api(7).post(pay, {"reference": "BACS 1"}).status_code == 200
    assert StrikePayClaim.objects.get().paid_by == fed.members["m7"]


def test_only_an_executive_holding_the_power_pays_and_only_within_its_council(fed: Fed) -> None:
    """A commission without the power to pay strike pay, a member on no commission that may pay it, and an
    amount that is not money are refused; a refusal is recorded as the commission's decision with its reason."""
    call_id, day = _called_and_reported(fed)
    establish(fed, "PRINT", ["print-leaflets"])
    establish(fed, "FUND", ["pay-strike-pay"], members=(7,))
    claim = (
        fed.api(4)
        .post(f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims", {"days": [day]})
        .json()["id"]
    )
    decide = f"/orgs/{fed.slug}/strike-pay-claims/{claim}/decision"
    no_power = fed.api(7).post(decide, {"executive": "PRINT", "amount": "50.00"})
    assert no_power.status_code == 403 and "holds no power to pay strike pay" in no_power.json()["detail"]
    # m1 sits on no executive that may pay it: the claim is not theirs to see, let alone decide.
    assert fed.api(1).post(decide, {"executive": "FUND", "amount": "50.00"}).status_code == 404
    assert fed.api(7).post(decide, {"executive": "FUND", "amount": "-5"}).status_code == 400
    refused = fed.api(7).post(decide, {"executive": "FUND", "refusal": "Already paid by the branch."})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert Decimal(0) == sum((c.amount or Decimal(0)) for c in StrikePayClaim.objects.all())
    assert (
        fed.api(7).post(f"/orgs/{fed.slug}/strike-pay-claims/{claim}/payment", {"reference": "X"}).status_code
        == 409
    )


def test_an_executive_pays_only_within_its_councils_reach_and_never_an_approval_its_council_called_in(
    fed: Fed,
) -> None:
    """District 1's fund cannot decide a claim from a unit of District 0, even by m12, who may read it as a
    member of Congress's fund too; District 0's fund approves it, and once District 0's delegates call that
    approval in, it is not paid."""
    call_id, day = _called_and_reported(fed)
    establish(fed, "FUND", ["pay-strike-pay"], members=(7,))
    establish(fed, "NORTH", ["pay-strike-pay"], members=(12,), council="D1", delegates=(11, 16))
    establish(fed, "NATIONAL", ["pay-strike-pay"], members=(12,), council="CONGRESS", delegates=(3, 11))
    claim = (
        fed.api(4)
        .post(f"/orgs/{fed.slug}/action-calls/{call_id}/strike-pay-claims", {"days": [day]})
        .json()["id"]
    )
    decide = f"/orgs/{fed.slug}/strike-pay-claims/{claim}/decision"
    beyond = fed.api(12).post(decide, {"executive": "NORTH", "amount": "50.00"})
    assert beyond.status_code == 403 and "District 1" in beyond.json()["detail"]
    approval = fed.api(7).post(decide, {"executive": "FUND", "amount": "50.00"}).json()["approval_decision"]
    opened = fed.api(3).post(f"/orgs/{fed.slug}/decisions/{approval}/call-in", {"reason": "Paid twice."})
    assert opened.status_code == 201, opened.json()
    signed = fed.api(6).post(f"/orgs/{fed.slug}/call-ins/{opened.json()['id']}/signatures")
    assert signed.status_code in (200, 201), signed.json()
    assert ExecutiveDecision.objects.get(pk=approval).status == "called_in"
    refused = fed.api(7).post(f"/orgs/{fed.slug}/strike-pay-claims/{claim}/payment", {"reference": "BACS 9"})
    assert refused.status_code == 409 and "called in" in refused.json()["detail"]
    assert StrikePayClaim.objects.get().status == "approved"
