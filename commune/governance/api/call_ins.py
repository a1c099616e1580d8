"""Endpoints: calling in an executive decision, signing a call-in and applying it."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.governance.access import access_call_in, access_decision, call_in_electors
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.models import CallIn
from commune.governance.selectors import call_in_detail
from commune.governance.services import (
    call_in_open,
    call_in_settle,
    call_in_sign,
    decision_retake_consent_propose,
)


class CallInIn(_Strict):
    reason: str = Field(max_length=5000)


class CallInOut(Schema):
    id: int
    decision: int
    council: str
    status: str
    reason: str
    threshold: int
    signers: list[str]
    motion: int | None = Field(description="The council's motion to reverse it, once the threshold is met.")
    settled_at: datetime | None


def _call_in(call_in: CallIn) -> dict[str, Any]:
    detail = call_in_detail(call_in=call_in)
    return {
        "id": call_in.pk,
        "decision": call_in.decision_id,
        "council": call_in.council.code,
        "status": call_in.status,
        "reason": call_in.reason,
        "threshold": call_in.threshold,
        "signers": detail["signers"],
        "motion": call_in.motion_id,
        "settled_at": call_in.settled_at,
    }


@router.post(
    "/orgs/{slug}/decisions/{decision_id}/call-in",
    response={201: CallInOut, **REFUSED},
    summary="Call an executive decision in (delegates of its council)",
    operation_id="commune_governance_api_call_in",
)
def call_in(request: HttpRequest, slug: str, decision_id: int, data: CallInIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    opened = call_in_open(
        decision=access_decision(user, org, decision_id),
        member=member,
        reason=data.reason,
        actor=_actor(member),
    )
    return Status(201, _call_in(access_call_in(user, org, opened.pk)))


class RetakeConsentOut(Schema):
    decision: int
    motion: int = Field(description="The council's motion consenting to the decision being taken again.")


@router.post(
    "/orgs/{slug}/decisions/{decision_id}/retake-consent",
    response={201: RetakeConsentOut, **REFUSED},
    summary="Move a council motion letting a reversed decision be taken again (delegates of its council)",
    operation_id="commune_governance_api_retake_consent",
)
def retake_consent(
    request: HttpRequest, slug: str, decision_id: int, data: CallInIn
) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    decision = decision_retake_consent_propose(
        decision=access_decision(user, org, decision_id),
        member=member,
        reason=data.reason,
        actor=_actor(member),
    )
    return Status(201, {"decision": decision.pk, "motion": decision.retake_motion_id})


@router.get(
    "/orgs/{slug}/call-ins/{call_in_id}",
    response=CallInOut,
    summary="A call-in",
    operation_id="commune_governance_api_call_in_get",
)
def call_in_get(request: HttpRequest, slug: str, call_in_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug, electorate=call_in_electors(call_in_id=call_in_id))
    return _call_in(access_call_in(user, org, call_in_id))


@router.post(
    "/orgs/{slug}/call-ins/{call_in_id}/signatures",
    response={201: CallInOut, **REFUSED},
    summary="Sign a call-in (delegates of the council)",
    operation_id="commune_governance_api_call_in_signature",
)
def call_in_signature(request: HttpRequest, slug: str, call_in_id: int) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug, electorate=call_in_electors(call_in_id=call_in_id))
    signed = call_in_sign(call_in=access_call_in(user, org, call_in_id), member=member, actor=_actor(member))
    return Status(201, _call_in(access_call_in(user, org, signed.pk)))


@router.post(
    "/orgs/{slug}/call-ins/{call_in_id}/settle",
    response={200: CallInOut, **REFUSED},
    summary="Apply the council's vote on a call-in: reverse the decision or let it stand",
    operation_id="commune_governance_api_call_in_apply",
)
def call_in_apply(request: HttpRequest, slug: str, call_in_id: int) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    settled = call_in_settle(call_in=access_call_in(user, org, call_in_id), actor=_actor(member))
    return _call_in(access_call_in(user, org, settled.pk))
