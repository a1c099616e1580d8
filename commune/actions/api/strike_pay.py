"""Endpoints: strike-pay claims, their approval and payment by an executive holding the power, and the
totals per unit."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.actions.access import access_call, access_claim
from commune.actions.api.common import Strict, actor, caller, router
from commune.actions.models import StrikePayClaim
from commune.actions.selectors import strike_pay_totals
from commune.actions.services import strike_pay_claim, strike_pay_decide, strike_pay_pay
from commune.api.answers import REFUSED
from commune.governance.access import access_executive


class ClaimIn(Strict):
    days: list[date] = Field(max_length=366)


class ClaimDecisionIn(Strict):
    executive: str = Field(description="The executive holding the power to pay strike pay.")
    amount: Decimal | None = Field(None, description="The sum approved; leave out to refuse.")
    refusal: str = Field("", max_length=2000, description="Why the claim is refused; leave out to approve.")


class PaymentIn(Strict):
    reference: str = Field(max_length=120)


class ClaimOut(Schema):
    id: int
    call: int
    member: str
    unit: str
    days: list[date]
    attendance: dict[str, list[int]] = Field(
        description="The shifts of the action's events the member was recorded attending, cited by day (ISO date)."
    )
    without_attendance: list[date] = Field(description="The days claimed with no recorded shift attendance.")
    claimed_at: datetime
    status: str
    executive: str | None
    amount: Decimal | None
    approved_by: str | None
    approval_decision: int | None
    refusal_reason: str
    paid_by: str | None
    paid_at: datetime | None
    payment_reference: str


class UnitPayOut(Schema):
    unit: str
    name: str
    claims: int
    approved: Decimal
    paid: Decimal


def _claim(c: StrikePayClaim) -> dict[str, Any]:
    return {
        "id": c.pk,
        "call": c.call_id,
        "member": c.member.number,
        "unit": c.unit.code,
        "days": c.days,
        "attendance": c.attendance,
        "without_attendance": c.days_without_attendance,
        "claimed_at": c.claimed_at,
        "status": c.status,
        "executive": c.executive.code if c.executive else None,
        "amount": c.amount,
        "approved_by": c.approved_by.number if c.approved_by else None,
        "approval_decision": c.approval_id,
        "refusal_reason": c.refusal_reason,
        "paid_by": c.paid_by.number if c.paid_by else None,
        "paid_at": c.paid_at,
        "payment_reference": c.payment_reference,
    }


@router.post(
    "/orgs/{slug}/action-calls/{call_id}/strike-pay-claims",
    response={201: ClaimOut, **REFUSED},
    summary="Claim strike pay for days you were reported taking part or attended a shift",
    operation_id="commune_actions_api_claim",
)
def claim(request: HttpRequest, slug: str, call_id: int, data: ClaimIn) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    made = strike_pay_claim(
        call=access_call(user, org, call_id), member=member, days=data.days, actor=actor(member)
    )
    return Status(201, _claim(made))


@router.get(
    "/orgs/{slug}/strike-pay-claims/{claim_id}",
    response=ClaimOut,
    summary="A strike-pay claim (its claimant, and the members of an executive that may pay it)",
    operation_id="commune_actions_api_claim_detail",
)
def claim_detail(request: HttpRequest, slug: str, claim_id: int) -> dict[str, Any]:
    user, org, _ = caller(request, slug)
    return _claim(access_claim(user, org, claim_id))


@router.post(
    "/orgs/{slug}/strike-pay-claims/{claim_id}/decision",
    response={200: ClaimOut, **REFUSED},
    summary="Approve or refuse a claim, as a decision of an executive holding the power to pay strike pay",
    operation_id="commune_actions_api_decide_claim",
)
def decide_claim(request: HttpRequest, slug: str, claim_id: int, data: ClaimDecisionIn) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    decided = strike_pay_decide(
        claim=access_claim(user, org, claim_id),
        executive=access_executive(user, org, data.executive),
        member=member,
        amount=data.amount,
        refusal=data.refusal,
        actor=actor(member),
    )
    return _claim(decided)


@router.post(
    "/orgs/{slug}/strike-pay-claims/{claim_id}/payment",
    response={200: ClaimOut, **REFUSED},
    summary="Record an approved claim paid from the strike fund, with the payment's reference",
    operation_id="commune_actions_api_pay_claim",
)
def pay_claim(request: HttpRequest, slug: str, claim_id: int, data: PaymentIn) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    paid = strike_pay_pay(
        claim=access_claim(user, org, claim_id), member=member, reference=data.reference, actor=actor(member)
    )
    return _claim(paid)


@router.get(
    "/orgs/{slug}/strike-pay",
    response=list[UnitPayOut],
    summary="Strike pay per unit: claims, and the sums approved and paid",
    operation_id="commune_actions_api_strike_pay_totals",
)
def totals(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = caller(request, slug)
    return [
        {"unit": t.unit.code, "name": t.unit.name, "claims": t.claims, "approved": t.approved, "paid": t.paid}
        for t in strike_pay_totals(organisation=org)
    ]
