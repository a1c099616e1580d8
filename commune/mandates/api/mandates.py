"""Endpoints: mandates on items before the council above, and each delegate's compliance record."""

from datetime import datetime, timedelta
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from commune.accounts.access import request_person
from commune.api.answers import REFUSED
from commune.audit.services import Actor
from commune.federation.access import access_body, access_organisation
from commune.mandates.access import access_delegate, access_mandate
from commune.mandates.api.common import router
from commune.mandates.api.schemas import ComplianceOut, ComplianceRowOut, MandateIn, MandateOut
from commune.mandates.models import Mandate
from commune.mandates.selectors import compliance_record, mandates_of_motion
from commune.mandates.services import mandate_decide, mandate_propose
from commune.motions.access import access_motion, access_session


def _out(m: Mandate) -> MandateOut:
    return MandateOut(
        id=m.pk,
        constituency=m.constituency.code,
        council=m.council.code,
        motion=m.motion_id,
        motion_title=m.motion.title,
        kind=m.kind,
        instruction=m.instruction,
        note=m.note,
        proposed_by=m.proposed_by.person.name,
        proposed_at=m.proposed_at,
        status=m.status,
        vote=m.vote_id,
        decided_at=m.decided_at,
    )


def _in(minutes: int) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


@router.post(
    "/orgs/{slug}/motions/{motion_id}/mandates",
    response={201: MandateOut, **REFUSED},
    summary="Propose to your constituency's own vote a mandate for its delegates on an agenda item",
    operation_id="commune_mandates_api_propose",
)
def propose(request: HttpRequest, slug: str, motion_id: int, data: MandateIn) -> Status[MandateOut]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    motion = access_motion(user, org, motion_id)
    constituency = access_body(user, org, data.constituency)
    session = access_session(user, org, data.session) if data.session is not None else None
    mandate = mandate_propose(
        constituency=constituency,
        motion=motion,
        member=member,
        kind=data.kind,
        instruction=data.instruction,
        note=data.note,
        closes_at=_in(data.minutes),
        session=session,
        actor=Actor.of(user, role=f"member {member.number}"),
    )
    return Status(201, _out(access_mandate(user, org, mandate.pk)))


@router.get(
    "/orgs/{slug}/motions/{motion_id}/mandates",
    response=list[MandateOut],
    summary="The mandates given (or being voted on) for an item",
    operation_id="commune_mandates_api_of_motion",
)
def of_motion(request: HttpRequest, slug: str, motion_id: int) -> list[MandateOut]:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    motion = access_motion(user, org, motion_id)
    return [_out(m) for m in mandates_of_motion(motion_id=motion.pk)]


@router.get(
    "/orgs/{slug}/mandates/{mandate_id}",
    response=MandateOut,
    summary="A mandate",
    operation_id="commune_mandates_api_mandate",
)
def mandate(request: HttpRequest, slug: str, mandate_id: int) -> MandateOut:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    return _out(access_mandate(user, org, mandate_id))


@router.post(
    "/orgs/{slug}/mandates/{mandate_id}/decide",
    response={200: MandateOut, **REFUSED},
    summary="Close the constituency's vote on a mandate (once its time is up or all have voted)",
    operation_id="commune_mandates_api_decide",
)
def decide(request: HttpRequest, slug: str, mandate_id: int) -> MandateOut:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    found = access_mandate(user, org, mandate_id)
    mandate_decide(mandate=found, actor=Actor.of(user, role=f"member {member.number}"))
    return _out(access_mandate(user, org, found.pk))


def _compliance(kind: str, departed: bool) -> Literal["complied", "departed", "free", "no mandate"]:
    if not kind:
        return "no mandate"
    if kind == "free":
        return "free"
    return "departed" if departed else "complied"


@router.get(
    "/orgs/{slug}/delegates/{number}/compliance",
    response=ComplianceOut,
    summary="A delegate's compliance record: every vote cast for their seats beside the mandate in force",
    operation_id="commune_mandates_api_compliance",
)
def compliance(request: HttpRequest, slug: str, number: str) -> ComplianceOut:
    user = request_person(request)
    org, _ = access_organisation(user, slug)
    delegate = access_delegate(user, org, number)
    rows = [
        ComplianceRowOut(
            vote=d.vote_id,
            question=d.vote.question,
            motion=d.vote.motion_id,
            motion_title=d.vote.motion.title,
            council=d.delegation.council.code,
            constituency=d.delegation.constituency.code,
            session=d.vote.session_id,
            cast_at=d.cast_at,
            choice=d.choice,
            cast_by=d.cast_by.person.name,
            as_alternate=d.as_alternate,
            mandate_kind=d.mandate_kind,
            mandate_instruction=d.mandate_instruction,
            compliance=_compliance(d.mandate_kind, d.departed),
            departure_reason=d.departure_reason,
        )
        for d in compliance_record(member=delegate)
    ]
    return ComplianceOut(
        member=delegate.number,
        name=delegate.person.name,
        votes=len(rows),
        departures=sum(1 for r in rows if r.compliance == "departed"),
        record=rows,
    )
