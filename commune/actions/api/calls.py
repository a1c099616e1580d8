"""Endpoints: calls to action, their endorsement by unit assemblies and the participation reported."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field

from commune.actions.access import access_call, access_endorsement
from commune.actions.api.common import Strict, actor, caller, members_numbered, router
from commune.actions.errors import ActionError
from commune.actions.models import ActionCall, CallEndorsement
from commune.actions.selectors import call_record, calls_of_organisation
from commune.actions.services import (
    NoticeTerms,
    action_call,
    endorsement_propose,
    endorsement_settle,
    participation_report,
)
from commune.api.answers import REFUSED
from commune.federation.access import access_body
from commune.governance.access import access_executive
from commune.motions.models import Motion


class ActionCallIn(Strict):
    authority: int = Field(
        description="The adopted motion (or the motion a carried ballot decided) authorising it."
    )
    kind: str = Field(description="strike, work_to_rule, overtime_ban, demonstration or boycott")
    title: str = Field(max_length=200)
    demands: str = Field(max_length=10000)
    starts_on: date
    ends_on: date
    reach: str | None = Field(
        None, description="The body whose units it reaches; by default the calling council."
    )
    executive: str | None = Field(
        None, description="The council's executive calling it under its power to call action."
    )
    days: list[date] = Field(
        default_factory=list,
        max_length=366,
        description="Industrial action on a statutory ballot: the days of a discontinuous action, for the "
        "employer's notice (leave out for continuous action).",
    )
    employer_agreed_shorter_notice: bool = Field(
        False, description="The employer agreed to ten days' notice of the action rather than fourteen."
    )
    notice_explanation: str = Field(
        "",
        max_length=2000,
        description="What the union adds, in the notice, on how the figures were arrived at.",
    )


class CallOut(Schema):
    id: int
    kind: str
    industrial: bool
    title: str
    demands: str
    starts_on: date
    ends_on: date
    body: str
    reach: str
    executive: str | None
    executive_decision: int | None
    authority_motion: int
    authority_body: str
    authority_vote: int | None
    authority_referral: int | None
    called_by: str
    called_at: datetime


class CallEndorsementOut(Schema):
    id: int
    unit: str
    motion: int
    status: str
    decided_at: datetime | None


class CallUnitOut(Schema):
    unit: str
    name: str
    endorsement: CallEndorsementOut | None
    taking_part: dict[str, int] = Field(description="Members reported taking part, by day.")
    claims: int
    approved: Decimal
    paid: Decimal


class CallDetailOut(CallOut):
    units: list[CallUnitOut]
    events: list[int]
    strike_pay_approved: Decimal
    strike_pay_paid: Decimal


class EndorseIn(Strict):
    unit: str


class ParticipationIn(Strict):
    unit: str
    day: date
    members: list[str] = Field(
        description="Member numbers of the unit who took part that day.", max_length=5000
    )


class ParticipationOut(Schema):
    unit: str
    day: date
    reported: int
    members: list[str]


def call_out(c: ActionCall) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "industrial": c.industrial,
        "title": c.title,
        "demands": c.demands,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "body": c.body.code,
        "reach": c.reach.code,
        "executive": c.executive.code if c.executive else None,
        "executive_decision": c.decision_id,
        "authority_motion": c.authority_id,
        "authority_body": c.authority.body.code,
        "authority_vote": c.authority_vote_id,
        "authority_referral": c.authority_referral_id,
        "called_by": c.called_by.number,
        "called_at": c.called_at,
    }


def _endorsement(e: CallEndorsement) -> dict[str, Any]:
    return {
        "id": e.pk,
        "unit": e.unit.code,
        "motion": e.motion_id,
        "status": e.status,
        "decided_at": e.decided_at,
    }


def _detail(call: ActionCall) -> dict[str, Any]:
    record = call_record(call=call)
    return {
        **call_out(call),
        "units": [
            {
                "unit": u.unit.code,
                "name": u.unit.name,
                "endorsement": _endorsement(u.endorsement) if u.endorsement else None,
                "taking_part": {d.isoformat(): n for d, n in sorted(u.taking_part.items())},
                "claims": u.claimed,
                "approved": u.approved,
                "paid": u.paid,
            }
            for u in record.units
        ],
        "events": [e.pk for e in record.events],
        "strike_pay_approved": record.approved,
        "strike_pay_paid": record.paid,
    }


@router.get(
    "/orgs/{slug}/action-calls",
    response=list[CallOut],
    summary="Calls to action",
    operation_id="commune_actions_api_calls",
)
def calls(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    _, org, _ = caller(request, slug)
    return [call_out(c) for c in calls_of_organisation(organisation=org).select_related("called_by")]


@router.post(
    "/orgs/{slug}/bodies/{code}/action-calls",
    response={201: CallDetailOut, **REFUSED},
    summary="Call action over the units within the council's reach, citing the decision that authorises it",
    operation_id="commune_actions_api_call",
)
def call(request: HttpRequest, slug: str, code: str, data: ActionCallIn) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    body = access_body(user, org, code)
    reach = access_body(user, org, data.reach) if data.reach else None
    executive = access_executive(user, org, data.executive) if data.executive else None
    authority = Motion.objects.select_related("body").filter(organisation=org, pk=data.authority).first()
    if authority is None:
        raise ActionError(f"there is no motion {data.authority} of this organisation to authorise the call")
    made = action_call(
        member=member,
        body=body,
        authority=authority,
        kind=data.kind,
        title=data.title,
        demands=data.demands,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        reach=reach,
        executive=executive,
        notice=NoticeTerms(
            days=data.days,
            employer_agreed=data.employer_agreed_shorter_notice,
            explanation=data.notice_explanation,
        ),
        actor=actor(member),
    )
    return Status(201, _detail(access_call(user, org, made.pk)))


@router.get(
    "/orgs/{slug}/action-calls/{call_id}",
    response=CallDetailOut,
    summary="A call to action: its authority, and each unit's endorsement, participation and strike pay",
    operation_id="commune_actions_api_call_detail",
)
def call_detail(request: HttpRequest, slug: str, call_id: int) -> dict[str, Any]:
    user, org, _ = caller(request, slug)
    return _detail(access_call(user, org, call_id))


@router.post(
    "/orgs/{slug}/action-calls/{call_id}/endorsements",
    response={201: CallEndorsementOut, **REFUSED},
    summary="Move a motion in your unit's assembly to endorse the call",
    operation_id="commune_actions_api_endorse",
)
def endorse(request: HttpRequest, slug: str, call_id: int, data: EndorseIn) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    endorsement = endorsement_propose(
        call=access_call(user, org, call_id),
        unit=access_body(user, org, data.unit),
        member=member,
        actor=actor(member),
    )
    return Status(201, _endorsement(endorsement))


@router.post(
    "/orgs/{slug}/action-endorsements/{endorsement_id}/settle",
    response={200: CallEndorsementOut, **REFUSED},
    summary="Apply the assembly's vote on an endorsement",
    operation_id="commune_actions_api_settle_endorsement",
)
def settle_endorsement(request: HttpRequest, slug: str, endorsement_id: int) -> dict[str, Any]:
    user, org, member = caller(request, slug)
    settled = endorsement_settle(
        endorsement=access_endorsement(user, org, endorsement_id), actor=actor(member)
    )
    return _endorsement(settled)


@router.post(
    "/orgs/{slug}/action-calls/{call_id}/participation",
    response={201: ParticipationOut, **REFUSED},
    summary="Report the members of a unit who took part on a day (an officer of the unit)",
    operation_id="commune_actions_api_participation",
)
def participation(
    request: HttpRequest, slug: str, call_id: int, data: ParticipationIn
) -> Status[dict[str, Any]]:
    user, org, member = caller(request, slug)
    rows = participation_report(
        call=access_call(user, org, call_id),
        unit=access_body(user, org, data.unit),
        day=data.day,
        members=members_numbered(org, data.members),
        reporter=member,
        actor=actor(member),
    )
    return Status(
        201,
        {
            "unit": data.unit.upper(),
            "day": data.day,
            "reported": len(rows),
            "members": [r.member.number for r in rows],
        },
    )
