"""Endpoints: executives, their settlement and dissolution, and their decisions."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.federation.access import access_body
from commune.federation.models import Member
from commune.governance.access import access_decision, access_executive
from commune.governance.api.common import _actor, _caller, _Strict, router
from commune.governance.errors import GovernanceError
from commune.governance.models import Executive, ExecutiveDecision
from commune.governance.selectors import executive_detail, executives_of_organisation
from commune.governance.services import (
    executive_decision_record,
    executive_dissolution_propose,
    executive_propose,
    executive_settle,
)


class ExecutiveIn(_Strict):
    kind: str = Field(description="executive, commission or officers")
    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    remit: str = Field("", max_length=5000)
    powers: list[str] = Field(description="Named powers delegated, e.g. ['book-venues', 'negotiate-pay'].")
    members: list[str] = Field([], description="Member numbers to sit on it, from within the council.")


class ExecutiveOut(Schema):
    code: str
    name: str
    kind: str
    status: str
    council: str
    powers: list[str]
    remit: str
    motion: int = Field(description="The council's motion that creates it.")
    dissolution_motion: int | None
    established_at: datetime | None
    dissolved_at: datetime | None


class SeatOut(Schema):
    member: str
    name: str
    since: datetime


class DecisionOut(Schema):
    id: int
    executive: str
    power: str
    title: str
    text: str
    decided_by: str
    decided_at: datetime
    status: str
    reversed_by_motion: int | None
    reversed_at: datetime | None


class ExecutiveDetailOut(ExecutiveOut):
    seats: list[SeatOut]
    decisions: list[DecisionOut]


def _executive(e: Executive) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "kind": e.kind,
        "status": e.status,
        "council": e.council.code,
        "powers": list(e.powers),
        "remit": e.remit,
        "motion": e.motion_id,
        "dissolution_motion": e.dissolution_motion_id,
        "established_at": e.established_at,
        "dissolved_at": e.dissolved_at,
    }


def _decision(d: ExecutiveDecision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "executive": d.executive.code,
        "power": d.power,
        "title": d.title,
        "text": d.text,
        "decided_by": d.decided_by.number,
        "decided_at": d.decided_at,
        "status": d.status,
        "reversed_by_motion": d.reversed_by_id,
        "reversed_at": d.reversed_at,
    }


def _executive_detail(executive: Executive) -> dict[str, Any]:
    detail = executive_detail(executive=executive)
    return {
        **_executive(executive),
        "seats": [
            {"member": s.member.number, "name": s.member.person.name, "since": s.started_at}
            for s in detail["seats"]
        ],
        "decisions": [_decision(d) for d in detail["decisions"]],
    }


@router.get(
    "/orgs/{slug}/executives",
    response=list[ExecutiveOut],
    summary="Executives, commissions, officers",
    operation_id="commune_governance_api_executives",
)
def executives(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = _caller(request, slug)
    return [_executive(e) for e in executives_of_organisation(organisation=org)]


@router.post(
    "/orgs/{slug}/bodies/{code}/executives",
    response={201: ExecutiveDetailOut, **REFUSED},
    summary="Move a council motion establishing an executive with stated powers (council delegates only)",
    operation_id="commune_governance_api_propose_executive",
)
def propose_executive(
    request: HttpRequest, slug: str, code: str, data: ExecutiveIn
) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    council = access_body(user, org, code)
    numbers = list(dict.fromkeys(data.members))
    members = list(
        Member.objects.select_related("current_unit", "person").filter(organisation=org, number__in=numbers)
    )
    if len(members) != len(numbers):
        missing = sorted(set(numbers) - {m.number for m in members})
        raise GovernanceError(f"no such member: {', '.join(missing)}")
    executive = executive_propose(
        council=council,
        member=member,
        kind=data.kind,
        code=data.code,
        name=data.name,
        remit=data.remit,
        powers=data.powers,
        members=members,
        actor=_actor(member),
    )
    return Status(201, _executive_detail(executive))


@router.get(
    "/orgs/{slug}/executives/{code}",
    response=ExecutiveDetailOut,
    summary="An executive and its record",
    operation_id="commune_governance_api_executive",
)
def executive(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _executive_detail(access_executive(user, org, code))


@router.post(
    "/orgs/{slug}/executives/{code}/settle",
    response={200: ExecutiveDetailOut, **REFUSED},
    summary="Apply the council's decided motion: establish or dissolve the executive",
    operation_id="commune_governance_api_settle_executive",
)
def settle_executive(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    user, org, member = _caller(request, slug)
    settled = executive_settle(executive=access_executive(user, org, code), actor=_actor(member))
    return _executive_detail(settled)


@router.post(
    "/orgs/{slug}/executives/{code}/dissolution",
    response={201: ExecutiveDetailOut, **REFUSED},
    summary="Move a motion in the executive's council to dissolve it (council delegates only)",
    operation_id="commune_governance_api_dissolve_executive",
)
def dissolve_executive(request: HttpRequest, slug: str, code: str) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    executive = executive_dissolution_propose(
        executive=access_executive(user, org, code), member=member, actor=_actor(member)
    )
    return Status(201, _executive_detail(executive))


class DecisionIn(_Strict):
    power: str = Field(max_length=60)
    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)


@router.post(
    "/orgs/{slug}/executives/{code}/decisions",
    response={201: DecisionOut, **REFUSED},
    summary="Record a decision of the executive under one of its powers (its members only)",
    operation_id="commune_governance_api_decide",
)
def decide(request: HttpRequest, slug: str, code: str, data: DecisionIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    decision = executive_decision_record(
        executive=access_executive(user, org, code),
        member=member,
        power=data.power,
        title=data.title,
        text=data.text,
        actor=_actor(member),
    )
    return Status(201, _decision(decision))


@router.get(
    "/orgs/{slug}/decisions/{decision_id}",
    response=DecisionOut,
    summary="An executive decision",
    operation_id="commune_governance_api_decision",
)
def decision(request: HttpRequest, slug: str, decision_id: int) -> dict[str, Any]:
    user, org, _ = _caller(request, slug)
    return _decision(access_decision(user, org, decision_id))
